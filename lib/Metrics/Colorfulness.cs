using Lib.Torch;
using static Lib.Torch.torch;

namespace Lib.Metrics;

/// <summary>
/// Hasler and Süsstrunk 2003's colorfulness per image: on the 0–255 scale, with rg = R − G and
/// yb = (R + G)/2 − B over all pixels, σ_rgyb + 0.3·μ_rgyb where σ_rgyb = √(σ_rg² + σ_yb²) (population
/// standard deviations) and μ_rgyb = √(μ_rg² + μ_yb²).
/// </summary>
/// <remarks>
/// Input is RGB in [0, 1] by default and is multiplied by 255 / data_range, so 0–255 images pass
/// data_range: 255 and score the same. Gray images score about 0; the paper rates 33 "moderately" and
/// 59 "quite" colorful, 82 and above "extremely". Computed in float64.
/// </remarks>
public static class Colorfulness
{
    /// <summary>[N] colorfulness of N×3×H×W RGB images.</summary>
    /// <exception cref="ArgumentException">The tensor is not N×3×H×W, or data_range is not positive.</exception>
    public static Tensor colorfulness(Tensor rgb, double data_range = 1.0)
    {
        if (rgb.dim() != 4 || rgb.size(1) != 3)
            throw new ArgumentException($"colorfulness needs N×3×H×W RGB (in [0, {data_range}]); got {MetricShapes.Describe(rgb)}");
        MetricShapes.CheckRange("colorfulness", data_range);
        using var scope = NewDisposeScope();
        var x = rgb.to(ScalarType.Float64) * (255 / data_range);
        var (r, g, b) = (x.select(1, 0), x.select(1, 1), x.select(1, 2));
        var rg = (r - g).flatten(1);
        var yb = ((r + g) * 0.5 - b).flatten(1);
        var sigma = (rg.var([1], unbiased: false) + yb.var([1], unbiased: false)).sqrt();
        var mu = (rg.mean([1]).square() + yb.mean([1]).square()).sqrt();
        return (sigma + mu * 0.3).MoveToOuterDisposeScope();
    }
}
