using Lib.Torch;
using static Lib.Torch.torch;

namespace Lib.Metrics;

/// <summary>Peak signal-to-noise ratio per image, as skimage's peak_signal_noise_ratio (computed in float64).</summary>
public static class Psnr
{
    /// <summary>[N] values in dB; identical images give +∞.</summary>
    public static Tensor psnr(Tensor prediction, Tensor target, double data_range = 1.0)
    {
        MetricShapes.Check("PSNR", prediction, target);
        using var scope = NewDisposeScope();
        var diff = prediction.to(ScalarType.Float64) - target.to(ScalarType.Float64);
        var mse = diff.square().mean([1, 2, 3]);
        return ((data_range * data_range) / mse).log10().mul(10).MoveToOuterDisposeScope();
    }
}
