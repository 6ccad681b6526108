namespace Lib.Evaluation;

/// <summary>
/// Two methods compared on one score the way a reader should hear it: from the paired 95 % interval of their difference
/// on the same images (<see cref="ScoreTable.Compare"/>) — a winner only when the interval leaves out zero.
/// </summary>
public static class Comparison
{
    /// <summary>
    /// "c. joint GAN beats b. upscale → colorize by 0.62 dB [0.31, 0.95] on PSNR (176 images)", or "no difference detected
    /// between … on PSNR: +0.12 dB [−0.20, 0.44] (176 images)".
    /// </summary>
    /// <exception cref="InvalidOperationException">A row without per-image values of the score.</exception>
    public static string Describe(ScoreTable table, string set, string method, string other, string score)
    {
        var d = table.Compare(set, method, other, score);
        var n = table[set, method].Images;
        var (name, unit) = Score.InWords(score);
        string F(double v) => ScoreTable.Pretty(score, v);
        if (!d.ExcludesZero)
            return $"no difference detected between {method} and {other} on {name}: {(d.Mean >= 0 ? "+" : "")}{F(d.Mean)}{unit} [{F(d.Low)}, {F(d.High)}] ({n} images)";
        // The margin in the winner's favour: method − other when that is better, else its mirror.
        var methodWins = d.Mean > 0 == Ranking.HigherIsBetter(score);
        var (winner, loser) = methodWins ? (method, other) : (other, method);
        var flip = d.Mean < 0;
        var (mean, low, high) = flip ? (-d.Mean, -d.High, -d.Low) : (d.Mean, d.Low, d.High);
        return $"{winner} beats {loser} by {F(mean)}{unit} [{F(low)}, {F(high)}] on {name} ({n} images)";
    }
}
