namespace Lib.Evaluation;

/// <summary>
/// Percentile bootstrap intervals over images (Efron): resample the images with replacement, take the mean each time, and
/// read the 2.5th and 97.5th percentiles. Paired: the same resampled images for both methods, so what two methods share
/// (an easy photo, a hard one) cancels and only their difference is left to vary. Seeded, so a table repeats exactly.
/// When several values come from one photo (squares cut from it), the photos are resampled, each with all its values — a
/// cluster bootstrap — since squares of one scene are not independent samples and resampling them one by one would make
/// the interval too narrow.
/// </summary>
public static class Bootstrap
{
    /// <summary>Resamples per interval: 2,000 puts the percentiles' own Monte Carlo error well below the interval's width.</summary>
    public const int DefaultResamples = 2000;

    public const int DefaultSeed = 12345;

    /// <summary>The mean of <paramref name="values"/> (one per image) and its <paramref name="level"/> interval.</summary>
    /// <exception cref="ArgumentException">No values, or a level outside (0, 1).</exception>
    public static Interval Mean(IReadOnlyList<double> values, int resamples = DefaultResamples, int seed = DefaultSeed, double level = 0.95)
    {
        Check(values.Count, resamples, level);
        var data = values.ToArray();
        var means = new double[resamples];
        var rng = new Random(seed);
        for (var r = 0; r < resamples; r++)
        {
            double sum = 0;
            for (var i = 0; i < data.Length; i++) sum += data[rng.Next(data.Length)];
            means[r] = sum / data.Length;
        }
        return FromResamples(data.Average(), means, level);
    }

    /// <summary>
    /// The mean of <paramref name="values"/> and its interval, resampling the groups (<paramref name="groups"/>[i]: the photo
    /// value i comes from) rather than the values: each draw takes a group with all its values, and the resampled mean is
    /// over the values drawn. With every group of one value, exactly <see cref="Mean(IReadOnlyList{double}, int, int, double)"/>.
    /// </summary>
    /// <exception cref="ArgumentException">No values, or a group per value missing.</exception>
    public static Interval Mean(IReadOnlyList<double> values, IReadOnlyList<string> groups, int resamples = DefaultResamples, int seed = DefaultSeed, double level = 0.95)
    {
        Check(values.Count, resamples, level);
        if (groups.Count != values.Count) throw new ArgumentException($"{groups.Count} groups for {values.Count} values: name the photo of every value");
        var clusters = values.Select((v, i) => (v, g: groups[i])).GroupBy(x => x.g, StringComparer.Ordinal)
            .Select(g => (sum: g.Sum(x => x.v), count: g.Count())).ToArray();
        if (clusters.Length == values.Count) return Mean(values, resamples, seed, level);
        var means = new double[resamples];
        var rng = new Random(seed);
        for (var r = 0; r < resamples; r++)
        {
            double sum = 0, count = 0;
            for (var i = 0; i < clusters.Length; i++)
            {
                var c = clusters[rng.Next(clusters.Length)];
                (sum, count) = (sum + c.sum, count + c.count);
            }
            means[r] = sum / count;
        }
        return FromResamples(values.Average(), means, level);
    }

    /// <summary>
    /// The mean of <paramref name="a"/>[i] − <paramref name="b"/>[i] (the same image under two methods) and its interval:
    /// "a beats b by 0.62 dB [0.31, 0.95]"; with <paramref name="groups"/>, the photos are resampled (see above).
    /// </summary>
    /// <exception cref="ArgumentException">The lists differ in length.</exception>
    public static Interval PairedDifference(IReadOnlyList<double> a, IReadOnlyList<double> b, int resamples = DefaultResamples, int seed = DefaultSeed, double level = 0.95,
        IReadOnlyList<string>? groups = null)
    {
        if (a.Count != b.Count) throw new ArgumentException($"a paired difference needs the same images under both methods; got {a.Count} and {b.Count} values");
        var differences = a.Zip(b, (x, y) => x - y).ToList();
        return groups is null ? Mean(differences, resamples, seed, level) : Mean(differences, groups, resamples, seed, level);
    }

    private static Interval FromResamples(double mean, double[] means, double level)
    {
        Array.Sort(means);
        var alpha = (1 - level) / 2;
        return new Interval(mean, Percentile(means, alpha), Percentile(means, 1 - alpha));
    }

    /// <summary>Linear interpolation between order statistics (numpy's default percentile).</summary>
    private static double Percentile(double[] sorted, double q)
    {
        var position = q * (sorted.Length - 1);
        var lower = (int)Math.Floor(position);
        var upper = Math.Min(lower + 1, sorted.Length - 1);
        return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - lower);
    }

    private static void Check(int count, int resamples, double level)
    {
        if (count == 0) throw new ArgumentException("an interval needs at least one value (no images were scored)");
        if (resamples < 100) throw new ArgumentException($"resamples = {resamples}: use at least 100 (the default is {DefaultResamples})");
        if (level is <= 0 or >= 1) throw new ArgumentException($"level = {level} must be in (0, 1), e.g. 0.95");
    }
}
