using Lib.Data;
using Lib.Imaging;
using Lib.Torch;
using static Lib.Torch.torch;

namespace Lib.Losses;

/// <summary>
/// ECCV16's class rebalancing (Zhang, Isola, Efros 2016, eq. 3–4): the empirical distribution p of the
/// training pixels' nearest ab bins, smoothed with a Gaussian of σ = 5 Lab units over the bins' centres
/// (p̃ = G·p, renormalized: a Gaussian filter on the ab grid restricted to the gamut), mixed with the uniform
/// distribution by λ = 0.5, and inverted: w ∝ ((1 − λ)·p̃ + λ/Q)⁻¹, scaled so that E_p̃[w] = Σ p̃·w = 1.
/// Rare (saturated) colors then weigh more than the desaturated ones that dominate photos. The uniform part
/// is over all Q bins as in the paper (the authors' Caffe layer spreads it over the bins of nonzero prior;
/// after the smoothing that is nearly all of them).
/// </summary>
public sealed class ClassRebalancing
{
    public const double Lambda = 0.5;
    public const double Sigma = 5;

    private readonly double[] _counts, _empirical, _smoothed, _weights;

    public AbGamut gamut { get; }
    public double lambda { get; }
    public double sigma { get; }

    /// <summary>Pixels counted per bin.</summary>
    public IReadOnlyList<double> counts => _counts;
    /// <summary>p: the counts normalized.</summary>
    public IReadOnlyList<double> empirical => _empirical;
    /// <summary>p̃: p smoothed over ab and renormalized.</summary>
    public IReadOnlyList<double> smoothed => _smoothed;
    /// <summary>w: one weight per bin, E_p̃[w] = 1.</summary>
    public IReadOnlyList<double> weights => _weights;

    private ClassRebalancing(double[] counts, AbGamut gamut, double lambda, double sigma)
    {
        if (counts.Length != gamut.count)
            throw new ArgumentException($"{counts.Length} counts for a gamut of {gamut.count} bins", nameof(counts));
        var total = counts.Sum();
        if (!(total > 0)) throw new ArgumentException("class rebalancing needs at least one counted pixel: the batches were empty", nameof(counts));
        if (lambda is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(lambda), lambda, "λ mixes the uniform distribution in, so it lies in [0, 1] (the paper's 0.5)");
        if (lambda == 0 && counts.Any(c => c == 0) && sigma == 0)
            throw new ArgumentException("with λ = 0 and no smoothing, a bin never seen gets an infinite weight: use λ > 0 or σ > 0");
        (this.gamut, this.lambda, this.sigma) = (gamut, lambda, sigma);
        _counts = counts;
        _empirical = counts.Select(c => c / total).ToArray();
        _smoothed = Smooth(_empirical, gamut, sigma);
        var q = gamut.count;
        _weights = _smoothed.Select(p => 1 / ((1 - lambda) * p + lambda / q)).ToArray();
        var expectation = _smoothed.Zip(_weights, (p, w) => p * w).Sum();
        for (var i = 0; i < q; i++) _weights[i] /= expectation;
    }

    /// <summary>From per-bin pixel counts (e.g. saved with a run).</summary>
    public static ClassRebalancing from_counts(IReadOnlyList<double> counts, AbGamut gamut, double lambda = Lambda, double sigma = Sigma) =>
        new(counts.ToArray(), gamut, lambda, sigma);

    /// <summary>Counts the nearest bin of every pixel of the ab batches (N×2×H×W, network scale); each batch stays the caller's.</summary>
    public static ClassRebalancing from_batches(IEnumerable<Tensor> abBatches, AbGamut gamut, double lambda = Lambda, double sigma = Sigma)
    {
        var counts = new double[gamut.count];
        foreach (var ab in abBatches) Count(ab, gamut, counts);
        return new(counts, gamut, lambda, sigma);
    }

    /// <summary>Counts one epoch of a loader (every batch disposed here); <paramref name="ab"/> picks the ab tensor of a batch.</summary>
    public static ClassRebalancing from_loader(BatchLoader loader, Func<Batch, Tensor> ab, AbGamut gamut, double lambda = Lambda, double sigma = Sigma,
        IProgress<int>? progress = null)
    {
        var counts = new double[gamut.count];
        var done = 0;
        foreach (var batch in loader.Epoch(0))
            using (batch)
            {
                Count(ab(batch), gamut, counts);
                progress?.Report(++done);
            }
        return new(counts, gamut, lambda, sigma);
    }

    /// <summary>Every pixel's weight, the weight of its nearest bin: ab N×2×H×W (network scale) → N×H×W float32 (the regression heads' rebalanced L1).</summary>
    public Tensor pixel_weights(Tensor ab)
    {
        using var scope = NewDisposeScope();
        var nearest = gamut.nearest_by_cell(ab);
        var w = weights_tensor(ab.device).index_select(0, nearest.flatten()).view(nearest.shape);
        return w.MoveToOuterDisposeScope();
    }

    /// <summary>The weights as a Q float32 tensor on the given device.</summary>
    public Tensor weights_tensor(Device? device = null) => tensor(_weights.Select(w => (float)w).ToArray(), [gamut.count], device: device);

    private static void Count(Tensor ab, AbGamut gamut, double[] counts)
    {
        using var scope = NewDisposeScope();
        var bins = gamut.nearest_by_cell(ab).flatten().bincount(minlength: gamut.count).cpu().ToArray<long>();
        for (var i = 0; i < counts.Length; i++) counts[i] += bins[i];
    }

    private static double[] Smooth(double[] p, AbGamut gamut, double sigma)
    {
        if (sigma == 0) return (double[])p.Clone();
        var c = gamut.centres;
        var q = p.Length;
        var s = new double[q];
        for (var i = 0; i < q; i++)
            for (var j = 0; j < q; j++)
            {
                double da = c[i].a - c[j].a, db = c[i].b - c[j].b;
                s[i] += Math.Exp(-(da * da + db * db) / (2 * sigma * sigma)) * p[j];
            }
        var total = s.Sum();
        for (var i = 0; i < q; i++) s[i] /= total;
        return s;
    }
}
