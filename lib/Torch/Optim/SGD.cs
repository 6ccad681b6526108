using static Lib.Torch.torch;

namespace Lib.Torch.Optimizers;

/// <summary>Stochastic gradient descent with PyTorch's momentum, dampening and Nesterov rule.</summary>
public sealed class SGD : Optimizer
{
    private readonly double _momentum, _dampening, _weightDecay;
    private readonly bool _nesterov;
    private readonly HashSet<nn.Parameter> _started = new(ReferenceEqualityComparer.Instance);

    public SGD(IEnumerable<nn.Parameter> parameters, double lr, double momentum = 0, double dampening = 0,
        double weight_decay = 0, bool nesterov = false) : base(parameters, lr)
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
