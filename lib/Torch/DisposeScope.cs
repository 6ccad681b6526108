namespace Lib.Torch;

/// <summary>
/// Collects every tensor created on this thread while it is the innermost scope and disposes
/// them when the scope ends, except those moved out. A training step written inside
/// <c>using (torch.NewDisposeScope())</c> frees its temporaries deterministically instead of
/// waiting for the GC, which never sees how much native memory a tensor holds.
/// </summary>
public sealed class DisposeScope : IDisposable
{
    [ThreadStatic] private static DisposeScope? _current;

    private readonly HashSet<Tensor> _tensors = new(ReferenceEqualityComparer.Instance);
    private bool _disposed;

    internal DisposeScope? Outer { get; }

    internal DisposeScope()
    {
        Outer = _current;
        _current = this;
    }

    internal static DisposeScope? Current => _current;

    /// <summary>Tensors this scope will dispose.</summary>
    public int Count => _tensors.Count;

    internal void Register(Tensor t) => _tensors.Add(t);

    internal bool Forget(Tensor t) => _tensors.Remove(t);

    /// <summary>Makes this scope dispose a tensor created elsewhere (another thread, or before the scope began).</summary>
    public Tensor Include(Tensor tensor)
    {
        if (ReferenceEquals(tensor.Scope, this)) return tensor;
        tensor.Scope?.Forget(tensor);
        tensor.Scope = this;
        _tensors.Add(tensor);
        return tensor;
    }

    /// <summary>Hands the tensor to the enclosing scope (or to nobody: then the caller disposes it).</summary>
    public Tensor MoveToOuter(Tensor tensor)
    {
        if (_tensors.Remove(tensor))
        {
            tensor.Scope = Outer;
            Outer?.Register(tensor);
        }
        return tensor;
    }

    /// <summary>Keeps the tensor alive past every scope; its owner must dispose it.</summary>
    public Tensor Detach(Tensor tensor)
    {
        if (_tensors.Remove(tensor)) tensor.Scope = null;
        return tensor;
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        // Scopes must end innermost first; tolerate a leaked inner scope by unwinding to ours.
        if (_current == this) _current = Outer;
        else
        {
            for (var s = _current; s is not null; s = s.Outer)
                if (s.Outer == this) { _current = Outer; break; }
        }
        foreach (var t in _tensors)
        {
            t.Scope = null;
            t.Dispose();
        }
        _tensors.Clear();
    }
}
