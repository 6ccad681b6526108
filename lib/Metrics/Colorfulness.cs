using Lib.Torch;
using static Lib.Torch.torch;

namespace Lib.Metrics;

/// <summary>
/// Hasler and Süsstrunk 2003's colorfulness per image: with rg = R − G and yb = (R + G)/2 − B on the
/// 0–255 scale, σ_rgyb + 0.3·μ_rgyb (population standard deviations). Input RGB in [0, 1].
/// About 0 for gray images, 30–60 for typical photos.
/// </summary>
public static class Colorfulness
{
    public static Tensor colorfulness(Tensor rgb)
    {
        if (rgb.dim() != 4 || rgb.size(1) != 3)
            throw new ArgumentException($"colorfulness needs N×3×H×W RGB in [0, 1]; got [{string.Join(", ", rgb.shape)}]");
        using var scope = NewDisposeScope();
        var x = rgb.to(ScalarType.Float64) * 255;
        var (r, g, b) = (x.select(1, 0), x.select(1, 1), x.select(1, 2));
        var rg = (r - g).flatten(1);
        var yb = ((r + g) * 0.5 - b).flatten(1);
        var sigma = (rg.var([1], unbiased: false) + yb.var([1], unbiased: false)).sqrt();
        var mu = (rg.mean([1]).square() + yb.mean([1]).square()).sqrt();
        return (sigma + mu * 0.3).MoveToOuterDisposeScope();
    }
}
