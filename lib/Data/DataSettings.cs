using System.Text.Json.Serialization;

namespace Lib.Data;

/// <summary>
/// The photos a run learns from and is judged on, declared once for every run config and profile: how many
/// photos go to each split (test first, so the held-out photos stay put when training grows; see
/// <see cref="DataSplit.Create"/>), the squares they are prepared as, and where the prepared sets are cached.
/// The held-out splits are counts, or shares of the folder with the counts as their floor (<see cref="ValFraction"/>,
/// <see cref="TestFraction"/>), so a profile that meets a folder ten times larger holds out ten times as many photos.
/// </summary>
public sealed record DataSettings
{
    public int TrainImages { get; init; } = 8000;

    /// <summary>Validation photos; with <see cref="ValFraction"/> &gt; 0, the least the share may give.</summary>
    public int ValImages { get; init; } = 2000;

    /// <summary>Held-out test photos; with <see cref="TestFraction"/> &gt; 0, the least the share may give.</summary>
    public int TestImages { get; init; } = 20;

    /// <summary>The share of the folder's photos held out for validation (0: exactly <see cref="ValImages"/>).</summary>
    public double ValFraction { get; init; }

    /// <summary>The share of the folder's photos held out for the test (0: exactly <see cref="TestImages"/>).</summary>
    public double TestFraction { get; init; }

    /// <summary>The validation and test counts for a folder of <paramref name="photos"/> photos: each share rounded, at least its floor.</summary>
    public (int val, int test) HeldOut(int photos) =>
        (Math.Max(ValImages, (int)Math.Round(ValFraction * photos, MidpointRounding.AwayFromZero)),
         Math.Max(TestImages, (int)Math.Round(TestFraction * photos, MidpointRounding.AwayFromZero)));

    /// <summary>Side of the prepared training squares (random crops are taken from them); see <see cref="PrepareOptions.LoadSize"/>.</summary>
    public int LoadSize { get; init; } = 72;

    /// <summary>Squares cut per shorter side of each photo (a few large photos give many squares); see <see cref="PrepareOptions.TilesPerSide"/>.</summary>
    public int TilesPerSide { get; init; } = 1;

    /// <summary>
    /// Scale augmentation (0: off). Above 0, each training crop is a random square whose side is between this share and all of
    /// <see cref="LoadSize"/>, resized to the run's crop (see <see cref="BatchLoader"/>): with LoadSize twice the crop and 0.5,
    /// a photo is seen from whole (the scale the held-out photos are scored at) to a 2× zoom, anywhere in it.
    /// </summary>
    public double MinCropScale { get; init; }

    /// <summary>
    /// Where prepared sets are cached (null: where the caller says — the run folder's "prepared", a notebook's data/cache). Not saved with the run:
    /// it is a place on this machine, not a property of the run, so a run resumes wherever its cache went.
    /// </summary>
    [JsonIgnore]
    public string? CacheDir { get; init; }

    /// <summary>The seeded split of <paramref name="files"/> by these counts (and shares, see <see cref="HeldOut"/>).</summary>
    public DataSplit Split(IReadOnlyList<string> files, int seed)
    {
        var (val, test) = HeldOut(files.Count);
        return DataSplit.Create(files, TrainImages, val, test, seed);
    }

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
        : ValFraction is < 0 or >= 0.5 || !double.IsFinite(ValFraction) ? $"ValFraction = {ValFraction} must be at least 0 and below 0.5"
        : TestFraction is < 0 or >= 0.5 || !double.IsFinite(TestFraction) ? $"TestFraction = {TestFraction} must be at least 0 and below 0.5"
        : ValFraction + TestFraction >= 0.9 ? $"ValFraction + TestFraction = {ValFraction + TestFraction} leaves too little to train on (keep it below 0.9)"
        : MinCropScale is < 0 or > 1 || !double.IsFinite(MinCropScale) ? $"MinCropScale = {MinCropScale} must be in [0, 1] (0: plain crops, no scale augmentation)"
        : TilesPerSide < 1 ? $"TilesPerSide = {TilesPerSide} must be at least 1"
        : LoadSize < minLoadSize ? $"LoadSize = {LoadSize} must be at least the crop the run trains on ({minLoadSize})"
        : null;

    public override string ToString() =>
        $"{TrainImages} train / {Share(ValImages, ValFraction)} val / {Share(TestImages, TestFraction)} test photos at most, {LoadSize}-px squares" + (TilesPerSide > 1 ? $", {TilesPerSide} per side" : "")
        + (MinCropScale > 0 ? $", crops of {MinCropScale:0.##}–1 of the side resized" : "");

    private static string Share(int floor, double fraction) => fraction > 0 ? $"{fraction:0.##%} (at least {floor})" : $"{floor}";
}
