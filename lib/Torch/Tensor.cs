using System.Runtime.InteropServices;
using Lib.Torch.Native;
using static Lib.Torch.Native.LibNative;

namespace Lib.Torch;

/// <summary>
/// A libtorch tensor. Dispose it (or create it inside a <see cref="DisposeScope"/>) to free its
/// native memory now; the SafeHandle's finalizer is only a backstop. Names follow TorchSharp's,
/// which follow PyTorch's, so code ports both ways.
/// </summary>
public partial class Tensor : IDisposable
{
    private TensorHandle? _handle;

    internal DisposeScope? Scope { get; set; }

    /// <summary>Wraps a handle returned by the shim (throwing its pending error if it is null).</summary>
    internal Tensor(IntPtr handle)
    {
        _handle = new TensorHandle(Check(handle));
        Scope = DisposeScope.Current;
        Scope?.Register(this);
    }

    internal TensorHandle Handle => _handle ?? throw new ObjectDisposedException(nameof(Tensor),
        "This tensor was disposed. If a dispose scope ended, keep the tensor with MoveToOuterDisposeScope() or DetachFromDisposeScope().");

    public bool IsDisposed => _handle is null;

    public void Dispose()
    {
        var h = _handle;
        if (h is null) return;
        _handle = null;
        Scope?.Forget(this);
        Scope = null;
        h.Dispose();
    }

    /// <summary>Moves the tensor to the dispose scope around the current one (TorchSharp's name).</summary>
    public Tensor MoveToOuterDisposeScope() => Scope is null ? this : Scope.MoveToOuter(this);

    /// <summary>Removes the tensor from every dispose scope; the caller now owns it.</summary>
    public Tensor DetachFromDisposeScope() => Scope is null ? this : Scope.Detach(this);

    /// <summary>Replaces the native tensor this object stands for (used by Module.to and optimizers).</summary>
    internal void Swap(IntPtr newHandle)
    {
        var old = Handle;
        _handle = new TensorHandle(Check(newHandle));
        old.Dispose();
    }

    // ---- metadata ----------------------------------------------------------------------------

    public int dim() => ts_dim(Handle);
    public int ndim => dim();
    public long numel() => ts_numel(Handle);

    public unsafe long[] shape
    {
        get
        {
            var n = ts_dim(Handle);
            var dims = new long[n];
            fixed (long* p = dims) Check(ts_sizes(Handle, p, n) == n ? 0 : -1);
            return dims;
        }
    }

    public long size(int dim)
    {
        var s = shape;
        var d = dim < 0 ? dim + s.Length : dim;
        if (d < 0 || d >= s.Length)
            throw new ArgumentOutOfRangeException(nameof(dim), $"Dimension out of range (expected to be in range of [{-s.Length}, {s.Length - 1}], but got {dim})");
        return s[d];
    }

    public unsafe long[] stride()
    {
        var n = ts_dim(Handle);
        var st = new long[n];
        fixed (long* p = st) ts_strides(Handle, p, n);
        return st;
    }

    public ScalarType dtype => (ScalarType)ts_dtype(Handle);

    public Device device
    {
        get
        {
            var type = (DeviceType)ts_device_type(Handle);
            return new Device(type, type == DeviceType.CPU ? -1 : ts_device_index(Handle));
        }
    }

    public DeviceType device_type => (DeviceType)ts_device_type(Handle);
    public bool is_cuda => device_type == DeviceType.CUDA;
    public bool is_contiguous() => ts_is_contiguous(Handle) != 0;

    /// <summary>Whether the elements lie densely in the given layout's order.</summary>
    public bool is_contiguous(MemoryFormat memory_format) => ts_is_contiguous_format(Handle, (int)memory_format) != 0;
    public long element_size() => dtype.ElementSize();

    /// <summary>PyTorch's own printout of the values (libtorch's operator&lt;&lt;).</summary>
    public string ToString(bool withValues) => withValues ? TakeString(ts_to_string(Handle)) ?? "" : ToString();

    public override string ToString() => IsDisposed
        ? "[disposed tensor]"
        : $"[{string.Join(", ", shape)}], type = {dtype.TorchName()}, device = {device}";

    // ---- conversion --------------------------------------------------------------------------

    public Tensor to(ScalarType type, bool non_blocking = false, bool copy = false)
    {
        var dev = device;
        return new Tensor(ts_to(Handle, (int)type, (int)dev.type, dev.index, non_blocking ? 1 : 0, copy ? 1 : 0));
    }

    public Tensor to(Device dev, bool non_blocking = false, bool copy = false) =>
        new(ts_to(Handle, (int)dtype, (int)dev.type, dev.index, non_blocking ? 1 : 0, copy ? 1 : 0));

    public Tensor to(ScalarType type, Device dev, bool non_blocking = false, bool copy = false) =>
        new(ts_to(Handle, (int)type, (int)dev.type, dev.index, non_blocking ? 1 : 0, copy ? 1 : 0));

    public Tensor to(string dev) => to(Device.Parse(dev));
    public Tensor cpu() => to(new Device(DeviceType.CPU));
    public Tensor cuda(int index = -1) => to(new Device(DeviceType.CUDA, index));
    public Tensor to_type(ScalarType type) => to(type);
    public Tensor @float() => to(ScalarType.Float32);
    public Tensor @double() => to(ScalarType.Float64);
    public Tensor @long() => to(ScalarType.Int64);
    public Tensor @byte() => to(ScalarType.Byte);
    public Tensor @bool() => to(ScalarType.Bool);

    public Tensor clone() => new(ts_clone(Handle));
    public Tensor contiguous() => new(ts_contiguous(Handle));

    /// <summary>This tensor in the given layout: itself (a new handle) when it already is, else a copy.</summary>
    public Tensor contiguous(MemoryFormat memory_format) => new(ts_contiguous_format(Handle, (int)memory_format));

    /// <summary>A second handle to the same tensor, with its own lifetime (TorchSharp's alias()).</summary>
    public Tensor alias() => new(ts_alias(Handle));

    public Tensor copy_(Tensor src)
    {
        Check(ts_copy_(Handle, src.Handle));
        return this;
    }

    // ---- element access ----------------------------------------------------------------------

    /// <summary>The single value of a one-element tensor.</summary>
    public T item<T>() where T : unmanaged
    {
        var n = numel();
        if (n != 1)
            throw new TorchException($"a Tensor with {n} elements cannot be converted to Scalar");
        var result = new T[1];
        CopyTo<T>(result);
        return result[0];
    }

    /// <summary>Copies the elements (converted to T, row-major) into a new array.</summary>
    public T[] ToArray<T>() where T : unmanaged
    {
        var result = new T[numel()];
        CopyTo<T>(result);
        return result;
    }

    /// <summary>TorchSharp's spelling of <see cref="ToArray{T}"/>.</summary>
    public T[] data<T>() where T : unmanaged => ToArray<T>();

    /// <summary>Copies the elements (converted to T, row-major) into <paramref name="destination"/>.</summary>
    public unsafe void CopyTo<T>(Span<T> destination) where T : unmanaged
    {
        var type = ScalarTypeExtensions.Of<T>();
        var n = numel();
        if (destination.Length != n)
            throw new ArgumentException($"the destination holds {destination.Length} elements but the tensor of shape [{string.Join(", ", shape)}] has {n}", nameof(destination));
        fixed (T* p = destination)
            Check(ts_copy_to(Handle, p, n * sizeof(T), (int)type));
    }

    /// <summary>
    /// A span over the storage of a contiguous CPU tensor, without copying. Valid only while the
    /// tensor is alive; writes go straight into the tensor.
    /// </summary>
    public unsafe Span<T> AsSpan<T>() where T : unmanaged => new(DataPointer<T>(), checked((int)numel()));

    /// <summary>
    /// The first element of a contiguous CPU tensor's storage, for kernels that hand it to several threads
    /// (a span cannot be captured). Valid only while the tensor is alive.
    /// </summary>
    internal unsafe T* DataPointer<T>() where T : unmanaged
    {
        if (ScalarTypeExtensions.Of<T>() != dtype)
            throw new InvalidOperationException($"direct access as {typeof(T).Name} needs a tensor of that element type but this one is {dtype.TorchName()}");
        if (!is_contiguous())
            throw new InvalidOperationException("direct access to a tensor's storage needs a contiguous tensor; call contiguous() first");
        if (device_type != DeviceType.CPU)
            throw new InvalidOperationException($"direct access to a tensor's storage needs a CPU tensor but this one is on {device}; call cpu() first");
        var p = ts_data_ptr(Handle);
        if (p == null) ThrowIfError();
        return (T*)p;
    }
}
