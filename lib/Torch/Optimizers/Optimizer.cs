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

    /// <summary>
    /// Clears the gradients. set_to_none (PyTorch 2's default) drops them so the next backward
    /// allocates fresh ones; false zeroes them in place (PyTorch 1.13's default), which reuses the
    /// memory — faster for large models, where re-allocating means page faults every step.
    /// </summary>
    public void zero_grad(bool set_to_none = true)
    {
        foreach (var p in _parameters)
        {
            if (set_to_none) { p.grad = null; continue; }
            using var g = p.grad;
            g?.zero_();
        }
    }

    /// <summary>Updates every parameter that has a gradient, without recording autograd.</summary>
    public void step()
    {
        step_count++;
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var items = new List<(nn.Parameter parameter, Tensor grad, Tensor[] state)>(_parameters.Count);
        try
        {
            foreach (var p in _parameters)
            {
                var g = p.grad;
                if (g is null) continue;
                if (!_state.TryGetValue(p, out var state))
                    _state[p] = state = CreateState(p);
                items.Add((p, g, state));
            }
            if (fused) UpdateAll(items);
            else foreach (var (p, g, state) in items) Update(p, g, state);
        }
        finally
        {
            foreach (var item in items) item.grad.Dispose();
        }
    }

    /// <summary>
    /// Whether step() updates all parameters in one native call, one pass over memory each (Adam, SGD), instead of
    /// PyTorch's sequence of tensor operations. Both give the same values to float32 rounding; true unless
    /// <see cref="FastPaths.Variable"/> turns the fast paths off.
    /// </summary>
    public static bool UseFusedKernels { get; set; } = FastPaths.Default;

    /// <summary>This optimizer's choice (PyTorch's fused=/foreach=), <see cref="UseFusedKernels"/> when it was created.</summary>
    public bool fused { get; set; } = UseFusedKernels;

    /// <summary>Updates all parameters that have a gradient; by default one <see cref="Update"/> each.</summary>
    protected virtual void UpdateAll(IReadOnlyList<(nn.Parameter parameter, Tensor grad, Tensor[] state)> items)
    {
        foreach (var (p, g, state) in items) Update(p, g, state);
    }

    /// <summary>Runs a native call over the raw handles of several tensor lists, each kept alive for the call.</summary>
    protected static void WithHandles(IReadOnlyList<IReadOnlyList<Tensor>?> lists, Action<IntPtr[]?[]> call) =>
        Native.PinnedHandles.With(lists, h => { call(h); return 0; });

    /// <summary>The per-parameter tensors this optimizer keeps (created on a parameter's first update).</summary>
    protected abstract Tensor[] CreateState(nn.Parameter parameter);

    /// <summary>Names of the tensors CreateState returns, in order (PyTorch's: exp_avg, momentum_buffer, …).</summary>
    protected abstract string[] StateNames { get; }

    /// <summary>
    /// Copies of the optimizer's state under PyTorch-like keys ("state.3.exp_avg", "lr", "step_count"),
    /// for checkpoints; the caller disposes the returned tensors.
    /// </summary>
    public Dictionary<string, Tensor> state_dict()
    {
        var result = new Dictionary<string, Tensor>();
        using (no_grad())
            for (var i = 0; i < _parameters.Count; i++)
            {
                if (!_state.TryGetValue(_parameters[i], out var state)) continue;
                for (var j = 0; j < state.Length; j++)
                    result[$"state.{i}.{StateNames[j]}"] = state[j].clone().DetachFromDisposeScope();
                foreach (var (name, value) in ExtraState(_parameters[i]))
                    result[$"state.{i}.{name}"] = tensor(value, ScalarType.Float64).DetachFromDisposeScope();
            }
        result["lr"] = tensor(lr, ScalarType.Float64).DetachFromDisposeScope();
        result["step_count"] = tensor((double)step_count, ScalarType.Float64).DetachFromDisposeScope();
        return result;
    }

    /// <summary>Restores what state_dict saved (same parameters, same order).</summary>
    public void load_state_dict(IReadOnlyDictionary<string, Tensor> state)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        for (var i = 0; i < _parameters.Count; i++)
        {
            var p = _parameters[i];
            if (!state.ContainsKey($"state.{i}.{StateNames.FirstOrDefault() ?? "step"}") && !state.ContainsKey($"state.{i}.step"))
            {
                if (_state.Remove(p, out var old)) foreach (var t in old) t.Dispose();
                ForgetExtraState(p);
                continue;
            }
            if (!_state.TryGetValue(p, out var own)) _state[p] = own = CreateState(p);
            for (var j = 0; j < own.Length; j++)
            {
                var key = $"state.{i}.{StateNames[j]}";
                if (!state.TryGetValue(key, out var src))
                    throw new InvalidOperationException($"optimizer state has no '{key}'; was it saved by a different optimizer or model?");
                if (!src.shape.SequenceEqual(own[j].shape))
                    throw new InvalidOperationException($"optimizer state '{key}' has shape [{string.Join(", ", src.shape)}] but parameter {i} has shape [{string.Join(", ", own[j].shape)}]");
                own[j].copy_(src);
            }
            var extra = state.Where(kv => kv.Key.StartsWith($"state.{i}.") && !StateNames.Contains(kv.Key[$"state.{i}.".Length..]))
                             .ToDictionary(kv => kv.Key[$"state.{i}.".Length..], kv => kv.Value.item<double>());
            LoadExtraState(p, extra);
        }
        if (state.TryGetValue("lr", out var lrT)) lr = lrT.item<double>();
        if (state.TryGetValue("step_count", out var sc)) step_count = (long)sc.item<double>();
    }

    /// <summary>Per-parameter numbers beside the tensors (Adam's step).</summary>
    protected virtual IEnumerable<(string name, double value)> ExtraState(nn.Parameter parameter) => [];

    protected virtual void LoadExtraState(nn.Parameter parameter, IReadOnlyDictionary<string, double> values) { }

    protected virtual void ForgetExtraState(nn.Parameter parameter) { }

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
