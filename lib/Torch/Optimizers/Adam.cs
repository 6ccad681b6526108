using Lib.Torch.Optimizers;
using static Lib.Torch.torch;

namespace Lib.Torch.Optimizers
{
    /// <summary>
    /// Adam (Kingma and Ba 2015), with exactly the operations of PyTorch 1.13's single-tensor
    /// implementation, so parameters match PyTorch's step for step (the parity test checks 3 steps).
    /// </summary>
    public sealed class Adam : Optimizer
    {
        private readonly double _beta1, _beta2, _eps, _weightDecay;
        private readonly bool _amsgrad;
        private readonly Dictionary<nn.Parameter, long> _steps = new(ReferenceEqualityComparer.Instance);

        public Adam(IEnumerable<nn.Parameter> parameters, double lr, double beta1, double beta2,
            double eps, double weight_decay, bool amsgrad) : base(parameters, lr)
        {
            if (beta1 is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(beta1), beta1, "Invalid beta parameter at index 0");
            if (beta2 is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(beta2), beta2, "Invalid beta parameter at index 1");
            if (eps < 0) throw new ArgumentOutOfRangeException(nameof(eps), eps, "Invalid epsilon value");
            (_beta1, _beta2, _eps, _weightDecay, _amsgrad) = (beta1, beta2, eps, weight_decay, amsgrad);
        }

        protected override Tensor[] CreateState(nn.Parameter p) => _amsgrad
            ? [Keep(zeros_like(p)), Keep(zeros_like(p)), Keep(zeros_like(p))]
            : [Keep(zeros_like(p)), Keep(zeros_like(p))];

        protected override string[] StateNames => _amsgrad ? ["exp_avg", "exp_avg_sq", "max_exp_avg_sq"] : ["exp_avg", "exp_avg_sq"];

        protected override IEnumerable<(string name, double value)> ExtraState(nn.Parameter parameter) =>
            _steps.TryGetValue(parameter, out var s) ? [("step", s)] : [];

        protected override void LoadExtraState(nn.Parameter parameter, IReadOnlyDictionary<string, double> values)
        {
            if (values.TryGetValue("step", out var s)) _steps[parameter] = (long)s;
        }

        protected override void ForgetExtraState(nn.Parameter parameter) => _steps.Remove(parameter);

        /// <summary>All parameters in one native call (native/src/optim_fused.cpp), one pass over memory each.</summary>
        protected override unsafe void UpdateAll(IReadOnlyList<(nn.Parameter parameter, Tensor grad, Tensor[] state)> items)
        {
            if (items.Count == 0) return;
            var steps = new long[items.Count];
            for (var i = 0; i < items.Count; i++)
                steps[i] = _steps[items[i].parameter] = _steps.GetValueOrDefault(items[i].parameter) + 1;
            var lists = new IReadOnlyList<Tensor>?[]
            {
                items.Select(x => (Tensor)x.parameter).ToList(), items.Select(x => x.grad).ToList(),
                items.Select(x => x.state[0]).ToList(), items.Select(x => x.state[1]).ToList(),
                _amsgrad ? items.Select(x => x.state[2]).ToList() : null,
            };
            WithHandles(lists, h =>
            {
                fixed (IntPtr* p = h[0], g = h[1], m = h[2], v = h[3], x = h[4])
                fixed (long* s = steps)
                    Native.LibNative.Check(Native.LibNative.ts_adam_step_(p, g, m, v, _amsgrad ? x : null, items.Count, s,
                        lr, _beta1, _beta2, _eps, _weightDecay));
            });
        }

        protected override void Update(nn.Parameter param, Tensor grad, Tensor[] state)
        {
            var step = _steps[param] = _steps.GetValueOrDefault(param) + 1;
            var (expAvg, expAvgSq) = (state[0], state[1]);
            if (_weightDecay != 0) grad = grad.add(param, _weightDecay);
            expAvg.mul_(_beta1).add_(grad, 1 - _beta1);
            expAvgSq.mul_(_beta2).addcmul_(grad, grad, 1 - _beta2);
            var biasCorrection1 = 1 - Math.Pow(_beta1, step);
            var biasCorrection2Sqrt = Math.Sqrt(1 - Math.Pow(_beta2, step));
            var stepSize = lr / biasCorrection1;
            Tensor denom;
            if (_amsgrad)
            {
                using var max = state[2].maximum(expAvgSq);
                state[2].copy_(max);
                using var root = state[2].sqrt();
                denom = root.div(biasCorrection2Sqrt).add_(_eps);
            }
            else
            {
                using var root = expAvgSq.sqrt();
                denom = root.div(biasCorrection2Sqrt).add_(_eps);
            }
            using (denom) param.addcdiv_(expAvg, denom, -stepSize);
        }
    }
}

namespace Lib.Torch
{
    // The factories, spelled as in TorchSharp (torch.optim.Adam(...)). PyTorch's defaults are stated here only:
    // the constructors above take every argument.
    public static partial class torch
    {
        public static partial class optim
        {
            public static Adam Adam(IEnumerable<nn.Parameter> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
                double eps = 1e-8, double weight_decay = 0, bool amsgrad = false) =>
                new(parameters, lr, beta1, beta2, eps, weight_decay, amsgrad);
        }
    }
}
