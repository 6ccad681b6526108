using static Lib.Torch.torch;

namespace Lib.Torch.Optimizers;

/// <summary>
/// Base of the optimizers: parameters with a learning rate each schedulers can change.
/// Per-parameter state (moments, momentum buffers) lives outside every dispose scope and is
/// freed by Dispose.
/// </summary>
public abstract class Optimizer : IDisposable
{
    private readonly List<nn.Parameter> _parameters;
    private readonly Dictionary<nn.Parameter, Tensor[]> _state = new(ReferenceEqualityComparer.Instance);

    protected Optimizer(IEnumerable<nn.Parameter> parameters, double lr)
    {
        if (lr < 0) throw new ArgumentOutOfRangeException(nameof(lr), lr, "Invalid learning rate: must be >= 0");
        _parameters = parameters.ToList();
        if (_parameters.Count == 0) throw new ArgumentException("optimizer got an empty parameter list", nameof(parameters));
        this.lr = initial_lr = lr;
    }

    /// <summary>The current learning rate (schedulers set it).</summary>
    public double lr { get; set; }

    /// <summary>The learning rate the optimizer was created with.</summary>
    public double initial_lr { get; }

    /// <summary>Number of step() calls so far.</summary>
    public long step_count { get; private set; }

    public IReadOnlyList<nn.Parameter> parameters => _parameters;

    /// <summary>Drops the gradients of every parameter (set_to_none, PyTorch 2's default).</summary>
    public void zero_grad()
    {
        foreach (var p in _parameters) p.grad = null;
    }

    /// <summary>Updates every parameter that has a gradient, without recording autograd.</summary>
    public void step()
    {
        step_count++;
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        foreach (var p in _parameters)
        {
            using var g = p.grad;
            if (g is null) continue;
            if (!_state.TryGetValue(p, out var state))
                _state[p] = state = CreateState(p);
            Update(p, g, state);
        }
    }

    /// <summary>The per-parameter tensors this optimizer keeps (created on a parameter's first update).</summary>
    protected abstract Tensor[] CreateState(nn.Parameter parameter);

    protected abstract void Update(nn.Parameter parameter, Tensor grad, Tensor[] state);

    /// <summary>State tensors must outlive the step's scope.</summary>
    protected static Tensor Keep(Tensor t) => t.DetachFromDisposeScope();

    public void Dispose()
    {
        foreach (var s in _state.Values) foreach (var t in s) t.Dispose();
        _state.Clear();
        GC.SuppressFinalize(this);
    }
}
