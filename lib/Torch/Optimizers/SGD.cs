using Lib.Torch.Optimizers;
using static Lib.Torch.torch;

namespace Lib.Torch.Optimizers
{
    /// <summary>Stochastic gradient descent with PyTorch's momentum, dampening and Nesterov rule.</summary>
    public sealed class SGD : Optimizer
    {
        private readonly double _momentum, _dampening, _weightDecay;
        private readonly bool _nesterov;
        private readonly HashSet<nn.Parameter> _started = new(ReferenceEqualityComparer.Instance);

        public SGD(IEnumerable<nn.Parameter> parameters, double lr, double momentum, double dampening,
            double weight_decay, bool nesterov) : base(parameters, lr)
        {
            if (momentum < 0) throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "Invalid momentum value");
            if (nesterov && (momentum <= 0 || dampening != 0))
                throw new ArgumentException("Nesterov momentum requires a momentum and zero dampening");
            (_momentum, _dampening, _weightDecay, _nesterov) = (momentum, dampening, weight_decay, nesterov);
        }

        protected override Tensor[] CreateState(nn.Parameter p) => _momentum != 0 ? [Keep(zeros_like(p))] : [];

        protected override string[] StateNames => ["momentum_buffer"];

        protected override IEnumerable<(string name, double value)> ExtraState(nn.Parameter parameter) =>
            _started.Contains(parameter) ? [("started", 1)] : [];

        protected override void LoadExtraState(nn.Parameter parameter, IReadOnlyDictionary<string, double> values)
        {
            if (values.ContainsKey("started")) _started.Add(parameter);
        }

        protected override void ForgetExtraState(nn.Parameter parameter) => _started.Remove(parameter);

        /// <summary>All parameters in one native call (native/src/optim_fused.cpp), one pass over memory each.</summary>
        protected override unsafe void UpdateAll(IReadOnlyList<(nn.Parameter parameter, Tensor grad, Tensor[] state)> items)
        {
            if (items.Count == 0) return;
            var first = new int[items.Count];
            if (_momentum != 0)
                for (var i = 0; i < items.Count; i++) first[i] = _started.Add(items[i].parameter) ? 1 : 0;
            var lists = new IReadOnlyList<Tensor>?[]
            {
                items.Select(x => (Tensor)x.parameter).ToList(), items.Select(x => x.grad).ToList(),
                _momentum != 0 ? items.Select(x => x.state[0]).ToList() : null,
            };
            WithHandles(lists, h =>
            {
                fixed (IntPtr* p = h[0], g = h[1], b = h[2])
                fixed (int* f = first)
                    Native.LibNative.Check(Native.LibNative.ts_sgd_step_(p, g, _momentum != 0 ? b : null, f, items.Count,
                        lr, _momentum, _dampening, _weightDecay, _nesterov ? 1 : 0));
            });
        }

        protected override void Update(nn.Parameter param, Tensor grad, Tensor[] state)
        {
            var d = _weightDecay != 0 ? grad.add(param, _weightDecay) : grad;
            if (_momentum != 0)
            {
                var buf = state[0];
                // PyTorch seeds the buffer with the first gradient itself, undamped.
                if (_started.Add(param)) buf.copy_(d);
                else buf.mul_(_momentum).add_(d, 1 - _dampening);
                d = _nesterov ? d.add(buf, _momentum) : buf;
            }
            param.add_(d, -lr);
        }
    }
}

namespace Lib.Torch
{
    // The factories, spelled as in TorchSharp (torch.optim.SGD(...)). PyTorch's defaults are stated here only:
    // the constructors above take every argument.
    public static partial class torch
    {
        public static partial class optim
        {
            public static SGD SGD(IEnumerable<nn.Parameter> parameters, double lr, double momentum = 0, double dampening = 0,
                double weight_decay = 0, bool nesterov = false) =>
                new(parameters, lr, momentum, dampening, weight_decay, nesterov);
        }
    }
}
