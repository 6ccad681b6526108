using Lib.Imaging;
using Lib.Torch;
using static Lib.Torch.torch;

namespace Lib.Losses;

/// <summary>
/// ECCV16's target distribution Z (Zhang, Isola, Efros 2016, §2.1): each true ab is spread over its
/// <see cref="Neighbours"/> nearest bins of the gamut with Gaussian weights exp(−d²/2σ²), σ = 5 Lab units,
/// normalized to sum 1. (The paper says 5 neighbours; the authors' released Caffe layer uses 10.)
/// ab comes in the network's scale (N×2×h×w, ab / 110).
/// </summary>
public static class SoftEncoding
{
    public const int Neighbours = 5;
    public const double Sigma = 5;

    /// <summary>
    /// The sparse form: the indices of the nearest bins (N×k×h×w int64, nearest first) and their weights
    /// (N×k×h×w float32, summing to 1 over k). Cheaper than the dense form when only a loss needs it.
    /// </summary>
    public static (Tensor indices, Tensor weights) nearest(Tensor ab, AbGamut gamut, int neighbours = Neighbours, double sigma = Sigma)
    {
        if (neighbours < 1 || neighbours > gamut.count)
            throw new ArgumentOutOfRangeException(nameof(neighbours), neighbours, $"the soft encoding needs between 1 and {gamut.count} neighbours (the gamut's bins)");
        using var scope = NewDisposeScope();
        var (d2, indices) = gamut.squared_distances(ab).topk(neighbours, 1, largest: false, sorted: true);
        // Shifted by the nearest distance (the normalization cancels it): a color 100 units off the gamut
        // would otherwise underflow exp to 0 for every neighbour and divide 0 by 0.
        var w = ((d2 - d2.narrow(1, 0, 1)) / (-2 * sigma * sigma)).exp();
        w = w / w.sum(1, keepdim: true);
        return (indices.MoveToOuterDisposeScope(), w.MoveToOuterDisposeScope());
    }

    /// <summary>The dense Z: N×Q×h×w, zero except at each pixel's nearest bins.</summary>
    public static Tensor encode(Tensor ab, AbGamut gamut, int neighbours = Neighbours, double sigma = Sigma)
    {
        using var scope = NewDisposeScope();
        var (indices, weights) = nearest(ab, gamut, neighbours, sigma);
        var s = ab.shape;
        var z = zeros([s[0], gamut.count, s[2], s[3]], ScalarType.Float32, ab.device).scatter(1, indices, weights);
        return z.MoveToOuterDisposeScope();
    }
}
