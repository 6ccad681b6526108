namespace Lib.Evaluation;

/// <summary>The names of the scores, as columns of a <see cref="ScoreTable"/>.</summary>
public static class Score
{
    public const string Psnr = "PSNR (dB)";
    public const string Ssim = "SSIM";
    public const string PsnrY = "PSNR Y (dB)";
    public const string SsimY = "SSIM Y";
    public const string AbAuc = "ab AUC";
    public const string AbAcc10 = "ab acc. ≤10";
    public const string Colorfulness = "colorfulness";

    /// <summary>|mean colorfulness of the method − mean colorfulness of the truth| over the set (as DDColor's ΔCF).</summary>
    public const string ColorfulnessGap = "Δcolorfulness";

    public const string MsPerImage = "ms / image";

    /// <summary>A score's name and unit for a sentence: "PSNR (dB)" → ("PSNR", " dB"); a unitless score keeps its name.</summary>
    public static (string name, string unit) InWords(string score) =>
        score.EndsWith(" (dB)", StringComparison.Ordinal) ? (score[..^5], " dB") : (score, "");

    /// <summary>The order columns appear in; values a caller adds (training minutes, …) follow.</summary>
    public static readonly string[] Order = [Psnr, Ssim, PsnrY, SsimY, AbAuc, AbAcc10, Colorfulness, ColorfulnessGap, MsPerImage];
}

/// <summary>One method on one set: the mean of each score over the images (and each image's own scores).</summary>
public sealed record ScoreRow(string Set, string Method, int Images, IReadOnlyDictionary<string, double> Values,
    IReadOnlyList<(string id, IReadOnlyDictionary<string, double> values)> PerImage)
{
    public double this[string score] => Values.TryGetValue(score, out var v)
        ? v
        : throw new KeyNotFoundException($"{Method} on {Set} has no '{score}' score; it has: {string.Join(", ", Values.Keys)}");

    /// <summary>The row with one more value (e.g. "training minutes"), shown as a column after the scores.</summary>
    public ScoreRow With(string name, double value) =>
        this with { Values = new Dictionary<string, double>(Values) { [name] = value } };

    /// <summary>The row under another method name.</summary>
    public ScoreRow Named(string method) => this with { Method = method };

    /// <summary>Each image's value of <paramref name="score"/>, in image order (null when a value is missing or not finite).</summary>
    public IReadOnlyList<double>? ValuesOf(string score)
    {
        if (PerImage.Count == 0) return null;
        var values = new double[PerImage.Count];
        for (var i = 0; i < values.Length; i++)
            if (!PerImage[i].values.TryGetValue(score, out values[i]) || !double.IsFinite(values[i])) return null;
        return values;
    }

    /// <summary>
    /// The 95 % bootstrap interval of the mean of <paramref name="score"/> over this row's images (<see cref="Bootstrap.Mean"/>,
    /// seeded); null for a score without per-image values (a gap, a time) or a row of fewer than two images.
    /// </summary>
    public Interval? IntervalOf(string score) =>
        PerImage.Count >= 2 && ValuesOf(score) is { } values ? Bootstrap.Mean(values, Photos) : null;

    /// <summary>The photo each image comes from (<see cref="Data.PreparedImages.PhotoOf"/>): squares of one photo are resampled together.</summary>
    public IReadOnlyList<string> Photos => PerImage.Select(p => Data.PreparedImages.PhotoOf(p.id)).ToList();
}
