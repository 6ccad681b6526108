using static Lib.Torch.Native.LibNative;

namespace Lib.Torch;

// Factories. Defaults match PyTorch: float32 on the CPU.
public static partial class torch
{
    private unsafe delegate IntPtr Factory(long* shape, int ndim, int dtype, int dev, int idx, int rg);

    private static unsafe Tensor Make(Factory f, long[] size, ScalarType? dtype, Device? device, bool requires_grad)
    {
        var dev = device ?? CPU;
        Tensor t;
        fixed (long* p = size) t = new Tensor(f(p, size.Length, (int)(dtype ?? float32), (int)dev.type, dev.index, 0));
        if (requires_grad) t.requires_grad = true;
        return t;
    }

    public static unsafe Tensor empty(long[] size, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) => Make(ts_empty, size, dtype, device, requires_grad);
    public static unsafe Tensor zeros(long[] size, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) => Make(ts_zeros, size, dtype, device, requires_grad);
    public static unsafe Tensor ones(long[] size, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) => Make(ts_ones, size, dtype, device, requires_grad);
    public static unsafe Tensor rand(long[] size, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) => Make(ts_rand, size, dtype, device, requires_grad);
    public static unsafe Tensor randn(long[] size, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) => Make(ts_randn, size, dtype, device, requires_grad);
    public static Tensor empty(params long[] size) => empty(size, null);
    public static Tensor zeros(params long[] size) => zeros(size, null);
    public static Tensor ones(params long[] size) => ones(size, null);
    public static Tensor rand(params long[] size) => rand(size, null);
    public static Tensor randn(params long[] size) => randn(size, null);

    public static unsafe Tensor full(long[] size, Scalar value, ScalarType? dtype = null, Device? device = null, bool requires_grad = false)
    {
        var dev = device ?? CPU;
        // PyTorch infers int64 for an integral fill value and float32 otherwise.
        var type = dtype ?? (value.IsIntegral ? int64 : float32);
        Tensor t;
        fixed (long* p = size) t = new Tensor(ts_full(p, size.Length, value.Value, value.IntFlag, (int)type, (int)dev.type, dev.index, 0));
        if (requires_grad) t.requires_grad = true;
        return t;
    }

    public static unsafe Tensor randint(long low, long high, long[] size, ScalarType? dtype = null, Device? device = null)
    {
        var dev = device ?? CPU;
        fixed (long* p = size) return new Tensor(ts_randint(low, high, p, size.Length, (int)(dtype ?? int64), (int)dev.type, dev.index));
    }

    public static Tensor randint(long high, long[] size, ScalarType? dtype = null, Device? device = null) => randint(0, high, size, dtype, device);

    public static Tensor randperm(long n, ScalarType? dtype = null, Device? device = null)
    {
        var dev = device ?? CPU;
        return new Tensor(ts_randperm(n, (int)(dtype ?? int64), (int)dev.type, dev.index));
    }

    /// <summary>Values start, start+step, … below end. Integral arguments give int64, as in PyTorch.</summary>
    public static Tensor arange(Scalar start, Scalar end, Scalar? step = null, ScalarType? dtype = null, Device? device = null, bool requires_grad = false)
    {
        var dev = device ?? CPU;
        var s = step ?? 1;
        var type = dtype ?? (start.IsIntegral && end.IsIntegral && s.IsIntegral ? int64 : float32);
        var t = new Tensor(ts_arange(start.Value, end.Value, s.Value, (int)type, (int)dev.type, dev.index, 0));
        if (requires_grad) t.requires_grad = true;
        return t;
    }

    public static Tensor arange(Scalar end, ScalarType? dtype = null, Device? device = null) => arange(0, end, null, dtype, device);

    public static Tensor linspace(double start, double end, long steps, ScalarType? dtype = null, Device? device = null)
    {
        var dev = device ?? CPU;
        return new Tensor(ts_linspace(start, end, steps, (int)(dtype ?? float32), (int)dev.type, dev.index));
    }

    public static Tensor eye(long n, ScalarType? dtype = null, Device? device = null)
    {
        var dev = device ?? CPU;
        return new Tensor(ts_eye(n, (int)(dtype ?? float32), (int)dev.type, dev.index));
    }

    public static Tensor zeros_like(Tensor t) => new(ts_zeros_like(t.Handle));
    public static Tensor ones_like(Tensor t) => new(ts_ones_like(t.Handle));
    public static Tensor empty_like(Tensor t) => new(ts_empty_like(t.Handle));
    public static Tensor rand_like(Tensor t) => new(ts_rand_like(t.Handle));
    public static Tensor randn_like(Tensor t) => new(ts_randn_like(t.Handle));
    public static Tensor full_like(Tensor t, Scalar value) => new(ts_full_like(t.Handle, value.Value, value.IntFlag));

    /// <summary>A CPU tensor holding a copy of <paramref name="data"/>; shape defaults to 1-d.</summary>
    public static unsafe Tensor tensor<T>(ReadOnlySpan<T> data, long[]? shape = null, Device? device = null, bool requires_grad = false) where T : unmanaged
    {
        shape ??= [data.Length];
        long n = 1;
        foreach (var d in shape) n *= d;
        if (n != data.Length)
            throw new ArgumentException($"shape [{string.Join(", ", shape)}] holds {n} elements but {data.Length} were given", nameof(shape));
        var type = ScalarTypeExtensions.Of<T>();
        Tensor t;
        fixed (T* p = data)
        fixed (long* s = shape)
            t = new Tensor(ts_from_data(p, (long)data.Length * sizeof(T), s, shape.Length, (int)type));
        if (device is not null && device.type != DeviceType.CPU)
        {
            var moved = t.to(device);
            t.Dispose();
            t = moved;
        }
        if (requires_grad) t.requires_grad = true;
        return t;
    }

    public static Tensor tensor<T>(T[] data, long[]? shape = null, Device? device = null, bool requires_grad = false) where T : unmanaged =>
        tensor((ReadOnlySpan<T>)data, shape, device, requires_grad);

    public static Tensor tensor<T>(T[] data, params long[] shape) where T : unmanaged => tensor((ReadOnlySpan<T>)data, shape);

    /// <summary>A 0-d tensor.</summary>
    public static Tensor tensor(double value, ScalarType dtype = ScalarType.Float32) => full([], value, dtype);

    /// <summary>Copies a 2-d array (rows × columns).</summary>
    public static Tensor tensor<T>(T[,] data) where T : unmanaged
    {
        var flat = new T[data.Length];
        var k = 0;
        foreach (var v in data) flat[k++] = v;
        return tensor(flat, [data.GetLength(0), data.GetLength(1)]);
    }

    public static unsafe Tensor cat(IReadOnlyList<Tensor> tensors, long dim = 0) => OverHandles(tensors, (h, n) => ts_cat(h, n, dim));

    public static unsafe Tensor stack(IReadOnlyList<Tensor> tensors, long dim = 0) => OverHandles(tensors, (h, n) => ts_stack(h, n, dim));

    private unsafe delegate IntPtr ListOp(IntPtr* handles, int count);

    /// <summary>Passes the raw handles of a tensor list, each kept alive (AddRef) for the duration of the call.</summary>
    private static unsafe Tensor OverHandles(IReadOnlyList<Tensor> tensors, ListOp op) =>
        Native.PinnedHandles.With([tensors], h =>
        {
            fixed (IntPtr* p = h[0]) return new Tensor(op(p, tensors.Count));
        });

    public static Tensor where(Tensor condition, Tensor x, Tensor y) => new(ts_where(condition.Handle, x.Handle, y.Handle));
    public static Tensor matmul(Tensor a, Tensor b) => a.matmul(b);
    public static Tensor maximum(Tensor a, Tensor b) => a.maximum(b);
    public static Tensor minimum(Tensor a, Tensor b) => a.minimum(b);
    public static Tensor clamp(Tensor t, Scalar? min = null, Scalar? max = null) => t.clamp(min, max);
    public static Tensor abs(Tensor t) => t.abs();
    public static Tensor exp(Tensor t) => t.exp();
    public static Tensor log(Tensor t) => t.log();
    public static Tensor sqrt(Tensor t) => t.sqrt();
    public static Tensor pow(Tensor t, Scalar exponent) => t.pow(exponent);
    public static Tensor pow(Tensor t, Tensor exponent) => t.pow(exponent);
    public static Tensor tanh(Tensor t) => t.tanh();
    public static Tensor sigmoid(Tensor t) => t.sigmoid();
    public static Tensor flip(Tensor t, params long[] dims) => t.flip(dims);
    public static Tensor mean(Tensor t) => t.mean();
    public static Tensor sum(Tensor t) => t.sum();
}
