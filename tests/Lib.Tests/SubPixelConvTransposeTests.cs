using Lib.Torch;
using static Lib.Torch.torch;
using F = Lib.Torch.torch.nn.functional;

namespace Lib.Tests;

/// <summary>
/// The sub-pixel forms of the stride-2 4×4 and 2×2 transposed convolutions (lib/Torch/NN/SubPixelConvTranspose.cs) against
/// libtorch's own slow_conv_transpose2d run in float64 (the sub-pixel path takes float32 only), values and all
/// three gradients, at the U-Net's shapes. ParityTests checks the same layer against PyTorch's fixture.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FastPathSwitchCollection
{
    /// <summary>Tests that turn a fast path on for themselves (it is process-wide): alone, so a LIB_FAST_PATHS=0 run stays off elsewhere.</summary>
    public const string Name = "fast paths switched on (process-wide)";
}

[Collection(FastPathSwitchCollection.Name)]
public class SubPixelConvTransposeTests : IDisposable
{
    // These tests check the sub-pixel path itself, so they take it even in a LIB_FAST_PATHS=0 run.
    private readonly bool _wasEnabled = nn.SubPixelConvTranspose.Enabled;

    public SubPixelConvTransposeTests() => nn.SubPixelConvTranspose.Enabled = true;

    public void Dispose() => nn.SubPixelConvTranspose.Enabled = _wasEnabled;

    [Theory]
    [InlineData(4, 2, 16, 8, 5, 7, true)]     // odd, non-square sizes
    [InlineData(4, 16, 512, 512, 1, 1, false)]  // pix2pix's innermost up-sampling, no bias
    [InlineData(4, 4, 128, 2, 8, 8, true)]      // the outermost layer: few output channels
    [InlineData(4, 3, 64, 32, 16, 12, true)]
    [InlineData(2, 2, 16, 8, 5, 7, true)]       // the report's U-Net: 2×2, no padding
    [InlineData(2, 4, 256, 128, 8, 8, true)]
    public void Equals_conv_transpose2d_in_values_and_gradients(int k, int n, int cin, int cout, int h, int w, bool withBias)
    {
        var pad = k == 4 ? 1L : 0L;
        using var scope = NewDisposeScope();
        manual_seed(7);
        var x = randn(n, cin, h, w).requires_grad_();
        var wt = randn(cin, cout, k, k).mul_(0.1).requires_grad_();
        var b = withBias ? randn(cout).requires_grad_() : null;
        var upstream = randn(n, cout, 2 * h, 2 * w);

        Assert.True(nn.SubPixelConvTranspose.Applies(x, wt, (2, 2), (pad, pad), (0, 0), 1, (1, 1)));
        var y = F.conv_transpose2d(x, wt, b, (2, 2), (pad, pad));
        Assert.Equal(new long[] { n, cout, 2 * h, 2 * w }, y.shape);
        y.backward(upstream);

        var x64 = x.detach().to(ScalarType.Float64).requires_grad_();
        var w64 = wt.detach().to(ScalarType.Float64).requires_grad_();
        var b64 = b?.detach().to(ScalarType.Float64).requires_grad_();
        Assert.False(nn.SubPixelConvTranspose.Applies(x64, w64, (2, 2), (pad, pad), (0, 0), 1, (1, 1)));
        var y64 = F.conv_transpose2d(x64, w64, b64, (2, 2), (pad, pad));
        y64.backward(upstream.to(ScalarType.Float64));

        AssertClose(y64, y, "output");
        AssertClose(x64.grad!, x.grad!, "input gradient");
        AssertClose(w64.grad!, wt.grad!, "weight gradient");
        if (b is not null) AssertClose(b64!.grad!, b.grad!, "bias gradient");
    }

    [Fact]
    public void Other_settings_keep_libtorchs_kernel()
    {
        using var scope = NewDisposeScope();
        var x = randn(1, 4, 5, 5);
        var w3 = randn(4, 2, 3, 3);
        var w4 = randn(4, 2, 4, 4);
        Assert.False(nn.SubPixelConvTranspose.Applies(x, w3, (2, 2), (1, 1), (0, 0), 1, (1, 1)));
        Assert.False(nn.SubPixelConvTranspose.Applies(x, w4, (2, 2), (1, 1), (1, 1), 1, (1, 1)));
        Assert.False(nn.SubPixelConvTranspose.Applies(x, w4, (1, 1), (1, 1), (0, 0), 1, (1, 1)));
        Assert.False(nn.SubPixelConvTranspose.Applies(x, w4, (2, 2), (0, 0), (0, 0), 1, (1, 1)));
        Assert.False(nn.SubPixelConvTranspose.Applies(x, randn(4, 2, 2, 2), (2, 2), (1, 1), (0, 0), 1, (1, 1)));
        // A 3×3 stride-2 layer still gives libtorch's shape: (5 − 1)·2 − 2 + 3 = 9.
        Assert.Equal(new long[] { 1, 2, 9, 9 }, F.conv_transpose2d(x, w3, null, (2, 2), (1, 1)).shape);
    }

    private static void AssertClose(Tensor expected64, Tensor actual, string what)
    {
        using var scope = NewDisposeScope();
        var e = expected64.detach();
        var diff = actual.detach().to(ScalarType.Float64).sub(e).abs().max().item<double>();
        var scale = Math.Max(e.abs().max().item<double>(), 1e-12);
        Assert.True(diff <= 1e-5 * scale, $"{what}: max |Δ| {diff:g3} against a largest value of {scale:g3}");
    }
}
