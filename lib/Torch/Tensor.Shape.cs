using static Lib.Torch.Native.LibNative;

namespace Lib.Torch;

// Views and shape changes. Views share storage with this tensor, as in PyTorch.
public partial class Tensor
{
    private unsafe delegate IntPtr ShapeOp(Native.TensorHandle a, long* dims, int n);

    private unsafe Tensor WithDims(ShapeOp f, long[] dims)
    {
        fixed (long* p = dims) return new Tensor(f(Handle, p, dims.Length));
    }

    public unsafe Tensor view(params long[] shape) => WithDims(ts_view, shape);
    public unsafe Tensor reshape(params long[] shape) => WithDims(ts_reshape, shape);
    public unsafe Tensor permute(params long[] dims) => WithDims(ts_permute, dims);
    public unsafe Tensor expand(params long[] shape) => WithDims(ts_expand, shape);
    public unsafe Tensor repeat(params long[] repeats) => WithDims(ts_repeat, repeats);
    public unsafe Tensor flip(params long[] dims) => WithDims(ts_flip, dims);
    public Tensor expand_as(Tensor other) => expand(other.shape);
    public Tensor view_as(Tensor other) => view(other.shape);

    public Tensor transpose(long dim0, long dim1) => new(ts_transpose(Handle, dim0, dim1));
    public Tensor t() => transpose(0, 1);
    public Tensor narrow(long dim, long start, long length) => new(ts_narrow(Handle, dim, start, length));

    /// <summary>Elements start..end-1 (step apart) along dim; end may be long.MaxValue for "to the end".</summary>
    public Tensor slice(long dim, long start, long end, long step = 1) => new(ts_slice(Handle, dim, start, end, step));
    public Tensor select(long dim, long index) => new(ts_select(Handle, dim, index));
    public Tensor index_select(long dim, Tensor index) => new(ts_index_select(Handle, dim, index.Handle));
    public Tensor masked_select(Tensor mask) => new(ts_masked_select(Handle, mask.Handle));
    public Tensor gather(long dim, Tensor index) => new(ts_gather(Handle, dim, index.Handle));
    public Tensor squeeze() => new(ts_squeeze(Handle));
    public Tensor squeeze(long dim) => new(ts_squeeze_dim(Handle, dim));
    public Tensor unsqueeze(long dim) => new(ts_unsqueeze(Handle, dim));
    public Tensor flatten(long start_dim = 0, long end_dim = -1) => new(ts_flatten(Handle, start_dim, end_dim));

    /// <summary>t[i] along the first dimension.</summary>
    public Tensor this[long index] => select(0, index);
}
