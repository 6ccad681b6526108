using Lib.Torch;
using static Lib.Torch.torch;

namespace Lib.Tests;

/// <summary>topk, scatter and bincount (native/src/tensor_indexing.cpp) with PyTorch's semantics.</summary>
public class IndexingOpsTests
{
    [Fact]
    public void Topk_gives_the_smallest_or_largest_with_indices()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new float[] { 3, 1, 4, 1.5f, 9, 2 }, [2, 3]);
        var (v, i) = x.topk(2, 1, largest: false);
        Assert.Equal(new float[] { 1, 3, 1.5f, 2 }, v.ToArray<float>());
        Assert.Equal(new long[] { 1, 0, 0, 2 }, i.ToArray<long>());
        var (top, at) = x.topk(1);
        Assert.Equal(new float[] { 4, 9 }, top.ToArray<float>());
        Assert.Equal(new long[] { 2, 1 }, at.ToArray<long>());
        Assert.Throws<TorchException>(() => x.topk(4, 1));
    }

    [Fact]
    public void Scatter_writes_along_a_dimension_out_of_place()
    {
        using var scope = NewDisposeScope();
        var z = zeros(2, 4);
        var r = z.scatter(1, tensor(new long[] { 3, 0, 1, 2 }, [2, 2]), tensor(new float[] { 5, 6, 7, 8 }, [2, 2]));
        Assert.Equal(new float[] { 6, 0, 0, 5, 0, 7, 8, 0 }, r.ToArray<float>());
        Assert.Equal(0f, z.abs().sum().item<float>());
    }

    [Fact]
    public void Bincount_counts_with_a_minimum_length_and_weights()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new long[] { 0, 2, 2, 5 });
        Assert.Equal(new long[] { 1, 0, 2, 0, 0, 1, 0, 0 }, x.bincount(minlength: 8).ToArray<long>());
        Assert.Equal(new double[] { 0.5, 0, 3, 0, 0, 1 }, x.bincount(tensor(new double[] { 0.5, 1, 2, 1 })).ToArray<double>());
        Assert.Throws<TorchException>(() => tensor(new long[] { -1 }).bincount());
    }
}
