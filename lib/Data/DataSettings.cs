using System.Text.Json.Serialization;

namespace Lib.Data;

/// <summary>
/// The photos a run learns from and is judged on, declared once for every run config and profile: how many
/// photos go to each split (test first, so the held-out photos stay put when training grows; see
/// <see cref="DataSplit.Create"/>), the squares they are prepared as, and where the prepared sets are cached.
/// </summary>
public sealed record DataSettings
{
    public int TrainImages { get; init; } = 8000;
    public int ValImages { get; init; } = 2000;
    public int TestImages { get; init; } = 20;

    /// <summary>Side of the prepared training squares (random crops are taken from them); see <see cref="PrepareOptions.LoadSize"/>.</summary>
    public int LoadSize { get; init; } = 72;

    /// <summary>Squares cut per shorter side of each photo (a few large photos give many squares); see <see cref="PrepareOptions.TilesPerSide"/>.</summary>
    public int TilesPerSide { get; init; } = 1;

    /// <summary>
    /// Where prepared sets are cached (null: where the caller says — the run folder's "prepared", a notebook's data/cache). Not saved with the run:
    /// it is a place on this machine, not a property of the run, so a run resumes wherever its cache went.
    /// </summary>
    [JsonIgnore]
    public string? CacheDir { get; init; }

    /// <summary>The seeded split of <paramref name="files"/> by these counts.</summary>
    public DataSplit Split(IReadOnlyList<string> files, int seed) => DataSplit.Create(files, TrainImages, ValImages, TestImages, seed);

    /// <summary>How the training squares are prepared (validation and test sets change <see cref="PrepareOptions.LoadSize"/>).</summary>
    public PrepareOptions PrepareOptions(bool excludeGrayscale, string? defaultCacheDir, TextWriter? log) => new()
    {
        LoadSize = LoadSize, TilesPerSide = TilesPerSide, ExcludeGrayscale = excludeGrayscale, CacheDir = CacheDir ?? defaultCacheDir, Log = log,
    };

    /// <summary>The first rule these settings break, as "Setting = value rule" (null when they hold); <paramref name="minLoadSize"/> is the run's crop.</summary>
    public string? Check(int minLoadSize) =>
        TrainImages < 1 ? $"TrainImages = {TrainImages} must be at least 1"
        : ValImages < 1 ? $"ValImages = {ValImages} must be at least 1 (the best checkpoint is chosen on them)"
        : TestImages < 0 ? $"TestImages = {TestImages} must not be negative"
        : TilesPerSide < 1 ? $"TilesPerSide = {TilesPerSide} must be at least 1"
        : LoadSize < minLoadSize ? $"LoadSize = {LoadSize} must be at least the crop the run trains on ({minLoadSize})"
        : null;

    public override string ToString() =>
        $"{TrainImages} train / {ValImages} val / {TestImages} test photos at most, {LoadSize}-px squares" + (TilesPerSide > 1 ? $", {TilesPerSide} per side" : "");
}
