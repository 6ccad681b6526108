using static Lib.Torch.Native.LibNative;

namespace Lib.Torch;

// Ops that give or take index tensors (native/src/tensor_indexing.cpp), PyTorch's semantics: topk's indices,
// scatter's index and bincount's bins.
public partial class Tensor
{
    /// <summary>The k largest (or smallest) elements along dim and their indices, as torch.topk.</summary>
    public (Tensor values, Tensor indices) topk(long k, long dim = -1, bool largest = true, bool sorted = true)
    {
        var values = new Tensor(ts_topk(Handle, k, dim, largest ? 1 : 0, sorted ? 1 : 0, out var idx));
        return (values, new Tensor(idx));
    }

    /// <summary>A copy of this tensor with src's values written at index along dim (out-of-place torch.scatter).</summary>
    public Tensor scatter(long dim, Tensor index, Tensor src) => new(ts_scatter(Handle, dim, index.Handle, src.Handle));

    /// <summary>Occurrences of each value of a 1-d non-negative integer tensor (summed weights if given), at least minlength bins.</summary>
    public Tensor bincount(Tensor? weights = null, long minlength = 0) =>
        new(ts_bincount(Handle, weights?.Handle ?? Native.TensorHandle.Null, minlength));
}
