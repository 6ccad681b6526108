using System.Text.Json;
using Lib.Data;
using Lib.Torch;

namespace Lib.Training;

/// <summary>
/// A folder of photos split by <see cref="DataSettings"/> (seeded, by file) and prepared: training squares, and
/// validation and test images at the sizes a notebook or run scores at. Several runs may share one (notebook 04's five).
/// </summary>
public sealed class TrainingData : IDisposable
{
    public DataSettings Settings { get; }
    public DataSplit Split { get; }

    /// <summary>Squares of Settings.LoadSize, TilesPerSide per shorter side.</summary>
    public PreparedImages Train { get; }

    /// <summary>What picks the best checkpoint.</summary>
    public PreparedImages Val { get; }

    /// <summary>Held out from both: what a notebook's table scores.</summary>
    public PreparedImages Test { get; }

    private TrainingData(DataSettings settings, DataSplit split, PreparedImages train, PreparedImages val, PreparedImages test) =>
        (Settings, Split, Train, Val, Test) = (settings, split, train, val, test);

    /// <summary>Splits and prepares the photos of <paramref name="photoDir"/> (recursive).</summary>
    /// <param name="photoDir">A folder of photos (JPEG, PNG), searched recursively.</param>
    /// <param name="settings">How many photos per split, and the squares they become.</param>
    /// <param name="seed">The split's seed (by file, so the same folder and seed give the same split anywhere).</param>
    /// <param name="evalSize">Side of the validation images (squares, TilesPerSide per side like training).</param>
    /// <param name="testSize">Side of the test images (default: <paramref name="evalSize"/>).</param>
    /// <param name="testTilesPerSide">Test squares per shorter side (default: the settings').</param>
    /// <param name="excludeGrayscale">Leave grayscale photos out (a colorizer's data; see <see cref="TrainingTask.ExcludeGrayscale"/>).</param>
    /// <param name="cacheDir">Where prepared sets are cached when the settings name no folder (null: not cached).</param>
    /// <param name="log">Where skipped files and progress are reported (default: the console).</param>
    /// <exception cref="DirectoryNotFoundException">No such folder.</exception>
    /// <exception cref="InvalidDataException">Too few usable photos for the split.</exception>
    public static TrainingData Prepare(string photoDir, DataSettings settings, int seed, int evalSize, int? testSize = null, int? testTilesPerSide = null,
        bool excludeGrayscale = true, string? cacheDir = null, TextWriter? log = null) =>
        Prepare([photoDir], settings, seed, evalSize, testSize, testTilesPerSide, excludeGrayscale, cacheDir, log);

    /// <summary>The same for the photos of several folders together (e.g. two datasets), split as one set.</summary>
    public static TrainingData Prepare(IReadOnlyList<string> photoDirs, DataSettings settings, int seed, int evalSize, int? testSize = null, int? testTilesPerSide = null,
        bool excludeGrayscale = true, string? cacheDir = null, TextWriter? log = null)
    {
        if (photoDirs.Count == 0) throw new ArgumentException("no folder of photos given", nameof(photoDirs));
        foreach (var dir in photoDirs.Where(d => !Directory.Exists(d)))
            throw new DirectoryNotFoundException($"no folder of photos at {Path.GetFullPath(dir)} (on a fresh clone: bash tools/fetch_demo_data.sh puts the demo photos in data/demo/photos)");
        var files = photoDirs.SelectMany(d => ImageFolder.List(d)).ToList();
        var split = settings.Split(files, seed);
        var options = settings.PrepareOptions(excludeGrayscale, cacheDir, log);
        PreparedImages? train = null, val = null;
        try
        {
            train = PreparedImages.Prepare(split.Train, options);
            val = PreparedImages.Prepare(split.Val, options with { LoadSize = evalSize });
            var test = PreparedImages.Prepare(split.Test, options with { LoadSize = testSize ?? evalSize, TilesPerSide = testTilesPerSide ?? settings.TilesPerSide });
            return new TrainingData(settings, split, train, val, test);
        }
        catch
        {
            train?.Dispose();
            val?.Dispose();
            throw;
        }
    }

    /// <summary>Which photo went to which split (train, val, test: full paths), as JSON: beside a run, so its held-out photos can be scored later.</summary>
    public void SaveSplit(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        DurableFile.WriteAllText(path, JsonSerializer.Serialize(new Dictionary<string, IReadOnlyList<string>>
        {
            ["train"] = Split.Train, ["val"] = Split.Val, ["test"] = Split.Test,
        }, new JsonSerializerOptions { WriteIndented = true }));
    }

    public override string ToString() =>
        $"{Split}: {Train.Count} training squares of {Train.Size}, {Val.Count} validation and {Test.Count} test images of {Val.Size}" +
        (Test.Size != Val.Size ? $" and {Test.Size}" : "") + " px";

    public void Dispose()
    {
        Train.Dispose();
        Val.Dispose();
        Test.Dispose();
    }
}
