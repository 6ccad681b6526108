using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Lib.Imaging;
using Lib.Torch;
using static Lib.Torch.torch;
using F = Lib.Torch.torch.nn.functional;

namespace Lib.Data;

/// <summary>How <see cref="PreparedImages.Prepare"/> turns photos into square training images.</summary>
public sealed record PrepareOptions
{
    /// <summary>
    /// Side of the stored squares; training crops a smaller square (e.g. 72 stored → 64 crops). A photo whose
    /// shorter side is below it is skipped (counted as too small), not scaled up: an enlarged photo would
    /// teach the models blur as if it were detail — for super-resolution it would be the target itself.
    /// </summary>
    public int LoadSize { get; init; } = 72;

    /// <summary>
    /// 1: one center square per photo (resized so its shorter side is LoadSize). n &gt; 1: resize the
    /// shorter side to n·LoadSize and cut it into a grid of LoadSize squares — many training images
    /// from a few large photos (the demo set).
    /// </summary>
    public int TilesPerSide { get; init; } = 1;

    /// <summary>Leave out grayscale photos (COCO has some): a colorizer cannot learn from them.</summary>
    public bool ExcludeGrayscale { get; init; } = true;

    /// <summary>Mean |R−G| + |G−B| (0–255 scale) below which a 3-channel photo counts as grayscale.</summary>
    public double GrayscaleTolerance { get; init; } = 2.0;

    /// <summary>Where prepared sets are cached (null: no cache). Later runs skip decoding.</summary>
    public string? CacheDir { get; init; }

    /// <summary>Decoding threads (default: cores).</summary>
    public int Parallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>Where skipped files and progress are reported (default: Console.Out).</summary>
    public TextWriter? Log { get; init; }
}

/// <summary>
/// Decoded, resized photos held as one uint8 N×3×S×S tensor, with the source of every square.
/// Decoding runs in parallel; a file that cannot be used (unreadable, not an image, truncated, corrupt,
/// too large, too small) is logged by name with its reason and skipped, and the summary counts each
/// reason apart; grayscale photos are counted and left out or kept as the options say. The result can be
/// cached on disk.
/// </summary>
public sealed class PreparedImages : IDisposable
{
    public Tensor Images { get; }
    public IReadOnlyList<string> Sources { get; }

    /// <summary>The name of square <paramref name="k"/> cut from <paramref name="file"/> (a photo kept whole is named by its file alone).</summary>
    public static string TileId(string file, int k) => $"{file}#tile{k}";

    /// <summary>
    /// The photo a square's name (<see cref="TileId"/>) comes from — the name itself for a whole photo. Squares of one photo are
    /// not independent samples: intervals resample photos, not squares (<see cref="Evaluation.Bootstrap"/>).
    /// </summary>
    public static string PhotoOf(string id)
    {
        var at = id.LastIndexOf("#tile", StringComparison.Ordinal);
        return at > 0 && at + 5 < id.Length && id.AsSpan(at + 5).IndexOfAnyExceptInRange('0', '9') < 0 ? id[..at] : id;
    }

    /// <summary>The grayscale photos found (left out of <see cref="Images"/> when <see cref="GrayscaleLeftOut"/>, else kept).</summary>
    public IReadOnlyList<string> Grayscale { get; }

    /// <summary>Whether the grayscale photos were left out (<see cref="PrepareOptions.ExcludeGrayscale"/>).</summary>
    public bool GrayscaleLeftOut { get; }

    /// <summary>Every file left out, with its reason.</summary>
    public IReadOnlyList<SkippedFile> Skipped { get; }

    /// <summary>Every file left out and the message saying why (<see cref="Skipped"/> without the reasons).</summary>
    public IReadOnlyList<(string file, string error)> Failed => Skipped.Select(s => (s.File, s.Message)).ToList();

    public bool FromCache { get; }

    /// <summary>How many files were left out for <paramref name="reason"/>.</summary>
    public int SkippedFor(SkipReason reason) => Skipped.Count(s => s.Reason == reason);

    public int Count => Sources.Count;
    public int Size => (int)Images.size(2);

    private readonly int _loadSize;

    private PreparedImages(Tensor images, IReadOnlyList<string> sources, IReadOnlyList<string> gray, bool grayLeftOut,
        IReadOnlyList<SkippedFile> skipped, int loadSize, bool fromCache)
    {
        Images = images.DetachFromDisposeScope();
        (Sources, Grayscale, GrayscaleLeftOut, Skipped, _loadSize, FromCache) = (sources, gray, grayLeftOut, skipped, loadSize, fromCache);
    }

    public static PreparedImages Prepare(IReadOnlyList<string> files, PrepareOptions? options = null)
    {
        options ??= new PrepareOptions();
        var log = options.Log ?? Console.Out;
        var cachePath = options.CacheDir is null ? null : Path.Combine(options.CacheDir, CacheKey(files, options) + ".safetensors");
        if (cachePath is not null && File.Exists(cachePath))
        {
            try { return LoadCache(cachePath); }
            catch (Exception e) when (e is InvalidDataException or JsonException or KeyNotFoundException or FormatException)
            {
                log.WriteLine($"cache {cachePath} is unreadable ({e.Message}); preparing again");
            }
        }

        var results = new (Tensor? squares, SkippedFile? skip, bool gray)[files.Count];
        var done = 0;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Parallel.For(0, files.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Parallelism) }, i =>
        {
            try { results[i] = PrepareOne(files[i], options); }
            catch (Exception e) when (e is TorchException or InvalidDataException or IOException or UnauthorizedAccessException)
            {
                results[i] = (null, new SkippedFile(files[i], SkippedFile.ReasonOf(e), e.Message), false);
            }
            var n = Interlocked.Increment(ref done);
            if (n % 200 == 0) lock (log) log.WriteLine($"prepared {n}/{files.Count} images ({n / clock.Elapsed.TotalSeconds:0.0} img/s)");
        });

        var squares = new List<Tensor>();
        var sources = new List<string>();
        var gray = new List<string>();
        var skipped = new List<SkippedFile>();
        for (var i = 0; i < files.Count; i++)
        {
            var (t, skip, isGray) = results[i];
            if (skip is not null)
            {
                skipped.Add(skip);
                log.WriteLine($"skipped {files[i]}: {skip.Message}");
                continue;
            }
            if (isGray) gray.Add(files[i]);
            if (t is null) continue;
            squares.Add(t);
            for (var k = 0; k < t.size(0); k++) sources.Add(t.size(0) == 1 ? files[i] : TileId(files[i], k));
        }
        if (squares.Count == 0)
        {
            var why = Reasons(skipped, options.LoadSize).Append(gray.Count > 0 ? $"{gray.Count} grayscale, left out (ExcludeGrayscale)" : null).OfType<string>();
            throw new InvalidDataException($"none of the {files.Count} images could be used ({string.Join(", ", why)})" +
                                           (skipped.Count > 0 ? $"; first error: {skipped[0].Message}" : ""));
        }
        Tensor images;
        using (NewDisposeScope()) images = cat(squares, 0).DetachFromDisposeScope();
        foreach (var t in squares) t.Dispose();
        var prepared = new PreparedImages(images, sources, gray, options.ExcludeGrayscale, skipped, options.LoadSize, false);
        if (cachePath is not null) prepared.SaveCache(cachePath);
        return prepared;
    }

    /// <summary>Decodes one file to k×3×S×S uint8 squares (null squares when it is a grayscale photo to exclude).</summary>
    private static (Tensor? squares, SkippedFile? skip, bool gray) PrepareOne(string file, PrepareOptions o)
    {
        using var scope = NewDisposeScope();
        var decoded = Image.read(file, ImageReadMode.Unchanged, apply_exif_orientation: true);
        // 16-bit PNGs decode as int32 0..65535; everything below works on the 0..255 scale.
        var img = decoded.dtype == ScalarType.Int32 ? decoded.to(ScalarType.Float32).mul_(255.0 / 65535) : decoded.to(ScalarType.Float32);
        var channels = img.size(0);
        bool gray;
        if (channels < 3) gray = true;
        else
        {
            var rgb = img.narrow(0, 0, 3);
            var diff = (rgb.select(0, 0) - rgb.select(0, 1)).abs() + (rgb.select(0, 1) - rgb.select(0, 2)).abs();
            gray = diff.mean().item<float>() < o.GrayscaleTolerance;
        }
        if (gray && o.ExcludeGrayscale) return (null, null, true);
        var color = channels switch
        {
            1 or 2 => img.narrow(0, 0, 1).expand(3, img.size(1), img.size(2)),
            _ => img.narrow(0, 0, 3),
        };
        var x = color.div(255).unsqueeze(0);
        long h = x.size(2), w = x.size(3);
        var shortSide = (long)o.LoadSize * o.TilesPerSide;
        if (Math.Min(h, w) < o.LoadSize)
            return (null, new SkippedFile(file, SkipReason.TooSmall,
                $"{file}: {w}×{h} is smaller than the {o.LoadSize}-pixel squares asked for (PrepareOptions.LoadSize); photos are not scaled up"), gray);
        var scale = shortSide / (double)Math.Min(h, w);
        long nh = Math.Max(shortSide, (long)Math.Round(h * scale)), nw = Math.Max(shortSide, (long)Math.Round(w * scale));
        var resized = F.interpolate(x, (nh, nw), mode: nn.UpsampleMode.Bicubic, align_corners: false, antialias: scale < 1).clamp_(0, 1);
        // A grid of whole squares, centered: the margins that do not fill a square are dropped.
        long rows = nh / o.LoadSize, cols = nw / o.LoadSize;
        if (o.TilesPerSide == 1) rows = cols = 1;
        long top = (nh - rows * o.LoadSize) / 2, left = (nw - cols * o.LoadSize) / 2;
        var tiles = new List<Tensor>();
        for (var r = 0; r < rows; r++)
            for (var c = 0; c < cols; c++)
                tiles.Add(resized.narrow(2, top + r * o.LoadSize, o.LoadSize).narrow(3, left + c * o.LoadSize, o.LoadSize));
        var squares = cat(tiles, 0).mul_(255).round().to(ScalarType.Byte);
        return (squares.DetachFromDisposeScope(), null, gray);
    }

    private static string CacheKey(IReadOnlyList<string> files, PrepareOptions o)
    {
        var sb = new StringBuilder($"v3|{o.LoadSize}|{o.TilesPerSide}|{o.ExcludeGrayscale}|{o.GrayscaleTolerance}\n");
        foreach (var f in files)
        {
            var info = new FileInfo(f);
            sb.Append(f).Append('|').Append(info.Exists ? info.Length : -1).Append('|').Append(info.Exists ? info.LastWriteTimeUtc.Ticks : 0).Append('\n');
        }
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())))[..16].ToLowerInvariant();
    }

    private void SaveCache(string path)
    {
        var meta = new Dictionary<string, string>
        {
            ["sources"] = JsonSerializer.Serialize(Sources),
            ["grayscale"] = JsonSerializer.Serialize(Grayscale),
            ["grayscale_left_out"] = GrayscaleLeftOut ? "true" : "false",
            ["load_size"] = _loadSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["skipped"] = JsonSerializer.Serialize(Skipped.Select(f => new[] { f.File, f.Reason.ToString(), f.Message })),
        };
        Safetensors.save(new Dictionary<string, Tensor> { ["images"] = Images }, path, meta);
    }

    private static PreparedImages LoadCache(string path)
    {
        var tensors = Safetensors.load(path, out var meta);
        var images = tensors["images"];
        var sources = JsonSerializer.Deserialize<List<string>>(meta["sources"]) ?? [];
        if (sources.Count != images.size(0)) throw new InvalidDataException($"cache holds {images.size(0)} images but names {sources.Count}");
        var gray = JsonSerializer.Deserialize<List<string>>(meta["grayscale"]) ?? [];
        var skipped = (JsonSerializer.Deserialize<List<string[]>>(meta["skipped"]) ?? [])
            .Select(f => new SkippedFile(f[0], Enum.Parse<SkipReason>(f[1]), f[2])).ToList();
        return new PreparedImages(images, sources, gray, meta["grayscale_left_out"] == "true", skipped,
            int.Parse(meta["load_size"], System.Globalization.CultureInfo.InvariantCulture), true);
    }

    /// <summary>
    /// E.g. "245 images of 256×256; 11 grayscale photos kept (ExcludeGrayscale = false); 8 files skipped:
    /// 5 smaller than 256 px (photos are not scaled up; lower LoadSize to use them), 2 not PNG or JPEG, 1 truncated".
    /// </summary>
    public override string ToString()
    {
        var s = $"{Count} images of {Size}×{Size}" + (FromCache ? " (from cache)" : "");
        if (Grayscale.Count > 0)
            s += GrayscaleLeftOut ? $"; {Grayscale.Count} grayscale photos left out (ExcludeGrayscale)" : $"; {Grayscale.Count} grayscale photos kept (ExcludeGrayscale = false)";
        s += Skipped.Count == 0 ? "; no files skipped" : $"; {Skipped.Count} files skipped: {string.Join(", ", Reasons(Skipped, _loadSize))}";
        return s;
    }

    private static IEnumerable<string> Reasons(IEnumerable<SkippedFile> skipped, int loadSize) =>
        skipped.GroupBy(f => f.Reason).OrderByDescending(g => g.Count()).ThenBy(g => g.Key)
            .Select(g => SkippedFile.Describe(g.Key, g.Count(), loadSize));

    public void Dispose() => Images.Dispose();
}
