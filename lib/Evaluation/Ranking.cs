namespace Lib.Evaluation;

/// <summary>
/// A table's methods ordered by one score, and the ordering said in words: who leads, by how much over the next, and
/// where a reference row (a baseline) stands. A ranking of means only: it says nothing of how sure the lead is.
/// </summary>
public static class Ranking
{
    /// <summary>Whether a higher value of <paramref name="score"/> is better (PSNR, SSIM, AUC) or a lower one (gaps, errors, time).</summary>
    public static bool HigherIsBetter(string score) => score is not (Score.ColorfulnessGap or Score.MsPerImage);

    /// <summary>The rows of <paramref name="methods"/> on <paramref name="set"/>, best first by <paramref name="score"/>.</summary>
    /// <exception cref="KeyNotFoundException">A method has no row, or its row no such score.</exception>
    public static IReadOnlyList<ScoreRow> Rank(ScoreTable table, string set, IEnumerable<string> methods, string score)
    {
        var rows = methods.Select(m => table[set, m]).ToList();
        return (HigherIsBetter(score) ? rows.OrderByDescending(r => r[score]) : rows.OrderBy(r => r[score])).ToList();
    }

    /// <summary>
    /// "PSNR (dB): c. joint GAN 16.01 — ahead of b. upscale → colorize by 0.49; baseline 13.61": the leader on one score,
    /// its margin over the runner-up, and the reference's value.
    /// </summary>
    public static string Describe(ScoreTable table, string set, IReadOnlyList<string> methods, string score, string? reference = null)
    {
        var ranked = Rank(table, set, methods, score);
        var text = $"{score}: {ranked[0].Method} {ScoreTable.Pretty(score, ranked[0][score])}";
        if (ranked.Count > 1) text += $" — ahead of {ranked[1].Method} by {ScoreTable.Pretty(score, Math.Abs(ranked[0][score] - ranked[1][score]))}";
        if (reference is not null) text += $"; {reference} {ScoreTable.Pretty(score, table[set, reference][score])}";
        return text;
    }
}
