using static Lib.Torch.Native.LibNative;

namespace Lib.Torch;

// Reductions. With no dims they reduce everything to a 0-d tensor, as in PyTorch.
public partial class Tensor
{
    private unsafe delegate IntPtr Reducer(Native.TensorHandle a, long* dims, int n, int keepdim);

    private unsafe Tensor Reduce(Reducer f, long[]? dims, bool keepdim)
    {
        dims ??= [];
        fixed (long* p = dims) return new Tensor(f(Handle, p, dims.Length, keepdim ? 1 : 0));
    }

    public unsafe Tensor sum() => Reduce(ts_sum, null, false);
    public unsafe Tensor sum(long dim, bool keepdim = false) => Reduce(ts_sum, [dim], keepdim);
    public unsafe Tensor sum(long[] dims, bool keepdim = false) => Reduce(ts_sum, dims, keepdim);
    public unsafe Tensor mean() => Reduce(ts_mean, null, false);
    public unsafe Tensor mean(long dim, bool keepdim = false) => Reduce(ts_mean, [dim], keepdim);
    public unsafe Tensor mean(long[] dims, bool keepdim = false) => Reduce(ts_mean, dims, keepdim);
    public unsafe Tensor amax(long[] dims, bool keepdim = false) => Reduce(ts_amax, dims, keepdim);
    public unsafe Tensor amin(long[] dims, bool keepdim = false) => Reduce(ts_amin, dims, keepdim);
    public unsafe Tensor amax(long dim, bool keepdim = false) => Reduce(ts_amax, [dim], keepdim);
    public unsafe Tensor amin(long dim, bool keepdim = false) => Reduce(ts_amin, [dim], keepdim);
    public unsafe Tensor prod() => Reduce(ts_prod, null, false);

    public unsafe Tensor var(long[]? dims = null, bool unbiased = true, bool keepdim = false)
    {
        dims ??= [];
        fixed (long* p = dims) return new Tensor(ts_var(Handle, p, dims.Length, unbiased ? 1 : 0, keepdim ? 1 : 0));
    }

    public unsafe Tensor std(long[]? dims = null, bool unbiased = true, bool keepdim = false)
    {
        dims ??= [];
        fixed (long* p = dims) return new Tensor(ts_std(Handle, p, dims.Length, unbiased ? 1 : 0, keepdim ? 1 : 0));
    }

    public Tensor norm(double p = 2) => new(ts_norm(Handle, p));
    public Tensor max() => new(ts_max_all(Handle));
    public Tensor min() => new(ts_min_all(Handle));

    public (Tensor values, Tensor indexes) max(long dim, bool keepdim = false)
    {
        Check(ts_max_dim(Handle, dim, keepdim ? 1 : 0, out var v, out var i));
        return (new Tensor(v), new Tensor(i));
    }

    public (Tensor values, Tensor indexes) min(long dim, bool keepdim = false)
    {
        Check(ts_min_dim(Handle, dim, keepdim ? 1 : 0, out var v, out var i));
        return (new Tensor(v), new Tensor(i));
    }

    /// <summary>True (0-d bool) when every element is non-zero.</summary>
    public Tensor all()
    {
        using var nonZero = ne(0);
        using var asByte = nonZero.to(ScalarType.Byte);
        using var least = asByte.min();
        return least.to(ScalarType.Bool);
    }

    /// <summary>True (0-d bool) when some element is non-zero.</summary>
    public Tensor any()
    {
        using var nonZero = ne(0);
        using var asByte = nonZero.to(ScalarType.Byte);
        using var most = asByte.max();
        return most.to(ScalarType.Bool);
    }

    public Tensor argmax() => new(ts_argmax(Handle, 0, 0, 0));
    public Tensor argmax(long dim, bool keepdim = false) => new(ts_argmax(Handle, dim, 1, keepdim ? 1 : 0));
    public Tensor argmin() => new(ts_argmin(Handle, 0, 0, 0));
    public Tensor argmin(long dim, bool keepdim = false) => new(ts_argmin(Handle, dim, 1, keepdim ? 1 : 0));
    public Tensor cumsum(long dim) => new(ts_cumsum(Handle, dim));

    public (Tensor values, Tensor indices) sort(long dim = -1, bool descending = false)
    {
        var values = ts_sort(Handle, dim, descending ? 1 : 0, out var idx);
        var v = new Tensor(values);
        return (v, new Tensor(idx));
    }
}
