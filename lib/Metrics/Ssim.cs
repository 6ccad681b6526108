using Lib.Torch;
using static Lib.Torch.torch;
using F = Lib.Torch.torch.nn.functional;

namespace Lib.Metrics;

/// <summary>
/// Structural similarity (Wang et al. 2004) per image, as skimage's structural_similarity with
/// gaussian_weights=True, sigma=1.5, use_sample_covariance=False: an 11×11 Gaussian window
/// (σ 1.5, truncated at 3.5σ), K1 0.01, K2 0.03, the SSIM map averaged without its 5-pixel border and
/// then over channels. Pass a 1-channel tensor (e.g. L) for single-channel SSIM.
/// </summary>
public static class Ssim
{
    private const double Sigma = 1.5;
    private const int Radius = 5; // int(3.5·σ + 0.5), as scipy truncates the kernel

    /// <summary>[N] mean SSIM.</summary>
    public static Tensor ssim(Tensor prediction, Tensor target, double data_range = 1.0, double k1 = 0.01, double k2 = 0.03)
    {
        MetricShapes.Check("SSIM", prediction, target);
        var (h, w) = (prediction.size(2), prediction.size(3));
        if (h < 2 * Radius + 1 || w < 2 * Radius + 1)
            throw new ArgumentException($"SSIM needs images of at least {2 * Radius + 1}×{2 * Radius + 1} pixels; got {h}×{w}");
        using var scope = NewDisposeScope();
        var x = prediction.to(ScalarType.Float64);
        var y = target.to(ScalarType.Float64);
        var c = x.size(1);
        // skimage filters the whole image then drops a 5-pixel border; those border values are the
        // only ones that depend on padding, so a valid (unpadded) filter gives exactly the kept part.
        Tensor Filter(Tensor t) => SeparableGaussian(t, c);
        var ux = Filter(x);
        var uy = Filter(y);
        var uxx = Filter(x * x);
        var uyy = Filter(y * y);
        var uxy = Filter(x * y);
        var vx = uxx - ux * ux;
        var vy = uyy - uy * uy;
        var vxy = uxy - ux * uy;
        var c1 = Math.Pow(k1 * data_range, 2);
        var c2 = Math.Pow(k2 * data_range, 2);
        var map = (ux * uy * 2 + c1) * (vxy * 2 + c2) / ((ux * ux + uy * uy + c1) * (vx + vy + c2));
        return map.mean([1, 2, 3]).MoveToOuterDisposeScope();
    }

    private static Tensor SeparableGaussian(Tensor x, long channels)
    {
        var k = new double[2 * Radius + 1];
        for (var i = -Radius; i <= Radius; i++) k[i + Radius] = Math.Exp(-0.5 * i * i / (Sigma * Sigma));
        var sum = k.Sum();
        var kernel = k.Select(v => v / sum).ToArray();
        using var row = tensor(kernel, [1, 1, 1, 2 * Radius + 1]).expand(channels, 1, 1, 2 * Radius + 1).contiguous();
        using var col = row.view(channels, 1, 2 * Radius + 1, 1);
        using var horizontal = F.conv2d(x, row, groups: channels);
        return F.conv2d(horizontal, col, groups: channels);
    }
}
