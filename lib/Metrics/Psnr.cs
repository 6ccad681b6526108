using Lib.Torch;
using static Lib.Torch.torch;

namespace Lib.Metrics;

/// <summary>
/// Peak signal-to-noise ratio per image, 10·log10(data_range² / MSE) with the MSE over C, H and W, as
/// skimage's peak_signal_noise_ratio computes it for one image (in float64, whatever the input type).
/// </summary>
/// <remarks>
/// Identical images have MSE 0 and score +∞ (skimage does the same, with a divide-by-zero warning);
/// one such image makes <see cref="mean"/> +∞ too, so averaging code that can meet exact copies
/// clamps first, e.g. <c>psnr(p, t).clamp(max: 100)</c>.
/// </remarks>
public static class Psnr
{
    /// <summary>[N] float64 PSNR in dB of N×C×H×W images whose values span <paramref name="data_range"/> (1 for [0, 1], 255 for bytes).</summary>
    /// <exception cref="ArgumentException">The shapes differ or are not 4-d, or data_range is not positive.</exception>
    public static Tensor psnr(Tensor prediction, Tensor target, double data_range = 1.0)
    {
        MetricShapes.Check("PSNR", prediction, target);
        MetricShapes.CheckRange("PSNR", data_range);
        using var scope = NewDisposeScope();
        var mse = PixelErrors.mse(prediction, target);
        return ((data_range * data_range) / mse).log10().mul(10).MoveToOuterDisposeScope();
    }

    /// <summary>The mean over the batch of the per-image PSNR (not the PSNR of the pooled MSE), the usual table figure.</summary>
    public static double mean(Tensor prediction, Tensor target, double data_range = 1.0)
    {
        using var values = psnr(prediction, target, data_range);
        using var m = values.mean();
        return m.item<double>();
    }
}
