namespace Lib.Evaluation;

/// <summary>
/// A comparison across training seeds: the same methods trained with k seeds and scored on the same photos give k tables;
/// a verdict holds only when every seed's paired interval says the same (<see cref="Comparison"/>), and a mean's spread
/// across seeds says how much of a ranking is the luck of one run.
/// </summary>
public static class SeedAgreement
{
    /// <summary>Whether <paramref name="method"/> beats <paramref name="other"/> on <paramref name="score"/> in every seed (its paired interval clear of zero, on the better side).</summary>
    public static bool HoldsInEverySeed(IReadOnlyList<ScoreTable> seeds, string set, string method, string other, string score) =>
        seeds.Count > 0 && seeds.All(t => Wins(t.Compare(set, method, other, score), score));

    /// <summary>
    /// "c. joint GAN beats b. upscale → colorize on PSNR in all 2 seeds: by 0.62 dB [0.31, 0.95], 0.41 dB [0.10, 0.70]", or
    /// what each seed says when they do not all agree.
    /// </summary>
    public static string Describe(IReadOnlyList<ScoreTable> seeds, string set, string method, string other, string score)
    {
        if (seeds.Count == 0) throw new ArgumentException("no seeds' tables given", nameof(seeds));
        var (name, unit) = Score.InWords(score);
        var intervals = seeds.Select(t => t.Compare(set, method, other, score)).ToList();
        string F(double v) => ScoreTable.Pretty(score, v);
        string Each(Func<Interval, Interval> view) => string.Join(", ", intervals.Select(view).Select(i => $"{F(i.Mean)}{unit} [{F(i.Low)}, {F(i.High)}]"));
        static Interval Mirror(Interval i) => new(-i.Mean, -i.High, -i.Low);
        if (intervals.All(i => Wins(i, score))) return $"{method} beats {other} on {name} in all {seeds.Count} seeds: by {Each(i => Ranking.HigherIsBetter(score) ? i : Mirror(i))}";
        if (intervals.All(i => Wins(Mirror(i), score))) return $"{other} beats {method} on {name} in all {seeds.Count} seeds: by {Each(i => Ranking.HigherIsBetter(score) ? Mirror(i) : i)}";
        return $"the seeds do not agree on {method} against {other} on {name} ({method} − {other} per seed: {Each(i => i)}): no verdict";
    }

    /// <summary>The mean of <paramref name="score"/> for <paramref name="method"/> in each seed's table, and their range.</summary>
    public static (double mean, double min, double max) Spread(IReadOnlyList<ScoreTable> seeds, string set, string method, string score)
    {
        var means = seeds.Select(t => t[set, method][score]).ToList();
        return (means.Average(), means.Min(), means.Max());
    }

    /// <summary>The interval of method − other shows method better: clear of zero on the side the score prefers.</summary>
    private static bool Wins(Interval difference, string score) => Ranking.HigherIsBetter(score) ? difference.Low > 0 : difference.High < 0;
}
