using Lib.Data;
using Lib.Imaging;
using Lib.Pipelines;
using Lib.Torch;
using static Lib.Torch.torch;

namespace Lib.Evaluation;

/// <summary>A batch to score: image names, the method's input, and the ground truth (RGB in [0, 1]).</summary>
public sealed record EvaluationBatch(IReadOnlyList<string> Ids, Tensor Input, Tensor Truth) : IDisposable
{
    public void Dispose()
    {
        Input.Dispose();
        Truth.Dispose();
    }
}

/// <summary>
/// Ground-truth color photos and the degradation a method undoes. The truth is cropped to a multiple of
/// <see cref="Scale"/> (the benchmarks' modcrop); a method's input is made from it: for color input the
/// benchmark's own *_LR file when the folder has one, else bicubic ×1/Scale with antialiasing; for gray
/// input the lightness (L / 100) of the truth, downscaled the same way. Scale 1 is plain colorization.
/// </summary>
public sealed class EvaluationSet : IDisposable
{
    private readonly Tensor? _images;
    private readonly IReadOnlyList<string> _ids;
    private readonly IReadOnlyList<string>? _files;

    /// <summary>The set's name in tables.</summary>
    public string Name { get; }

    /// <summary>How much smaller the input is than the truth (also the border cropped before scoring).</summary>
    public int Scale { get; }

    public int Count => _ids.Count;

    private EvaluationSet(string name, int scale, Tensor? images, IReadOnlyList<string> ids, IReadOnlyList<string>? files)
    {
        if (scale < 1) throw new ArgumentOutOfRangeException(nameof(scale), scale, "the scale must be at least 1");
        (Name, Scale, _images, _ids, _files) = (name, scale, images, ids, files);
    }

    /// <summary>A batch of same-sized photos (N×3×H×W, uint8 0–255 or float in [0, 1]); the set keeps a copy.</summary>
    public static EvaluationSet FromImages(string name, Tensor images, int scale = 1, IReadOnlyList<string>? ids = null)
    {
        if (images.dim() != 4 || images.size(1) != 3)
            throw new ArgumentException($"evaluation set '{name}' needs color photos N×3×H×W; got [{string.Join(", ", images.shape)}]");
        if (images.size(2) < scale || images.size(3) < scale)
            throw new ArgumentException($"evaluation set '{name}': {images.size(3)}×{images.size(2)} images are smaller than the scale {scale}");
        using var scope = NewDisposeScope();
        var f = images.dtype == ScalarType.Byte ? images.to(ScalarType.Float32).div(255) : images.to(ScalarType.Float32);
        var kept = Resize.modcrop(f, scale).contiguous().DetachFromDisposeScope();
        var n = (int)images.size(0);
        if (ids is not null && ids.Count != n) throw new ArgumentException($"evaluation set '{name}': {ids.Count} names for {n} images");
        return new EvaluationSet(name, scale, kept, ids ?? Enumerable.Range(0, n).Select(i => $"{name}#{i}").ToList(), null);
    }

    /// <summary>Prepared squares (e.g. held-out tiles) as an evaluation set.</summary>
    public static EvaluationSet FromPrepared(string name, PreparedImages images, int scale = 1) =>
        FromImages(name, images.Images, scale, images.Sources);

    /// <summary>The photos of a folder (PNG/JPEG, recursive), any sizes, read one at a time; *_LR files are the inputs of their *_HR partners.</summary>
    /// <exception cref="InvalidDataException">The folder holds no photos.</exception>
    public static EvaluationSet FromFolder(string folder, int scale = 1, string? name = null)
    {
        var files = ImageFolder.List(folder);
        var truth = files.Where(f => !IsLr(f)).ToList();
        if (truth.Count == 0) throw new InvalidDataException($"{folder} holds no photos to evaluate on (PNG or JPEG, not *_LR)");
        return new EvaluationSet(name ?? Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder))), scale, null,
            truth.Select(Path.GetFileName).ToList()!, files);
    }

    /// <summary>The set's batches, with inputs of the given kind (the caller disposes each batch).</summary>
    public IEnumerable<EvaluationBatch> Batches(ImageKind input, int batchSize = 16)
    {
        if (_images is not null)
        {
            for (var start = 0; start < Count; start += batchSize)
            {
                var n = Math.Min(batchSize, Count - start);
                EvaluationBatch batch;
                // No scope may stay open across the yield: the caller's tensors would land in it.
                using (NewDisposeScope())
                {
                    var truth = _images.narrow(0, start, n);
                    batch = new EvaluationBatch(_ids.Skip(start).Take(n).ToList(), MakeInput(truth, input, null).DetachFromDisposeScope(),
                        truth.clone().DetachFromDisposeScope());
                }
                yield return batch;
            }
            yield break;
        }
        var lrFiles = _files!.Where(IsLr).ToList();
        foreach (var file in _files!.Where(f => !IsLr(f)))
        {
            EvaluationBatch batch;
            using (NewDisposeScope())
            {
                var truth = Resize.modcrop(ReadRgb(file), Scale).contiguous();
                var partner = input == ImageKind.Color ? LrPartner(file, lrFiles) : null;
                batch = new EvaluationBatch([Path.GetFileName(file)], MakeInput(truth, input, partner).DetachFromDisposeScope(), truth.DetachFromDisposeScope());
            }
            yield return batch;
        }
    }

    private Tensor MakeInput(Tensor truth, ImageKind kind, string? lrFile)
    {
        if (lrFile is not null)
        {
            var lr = ReadRgb(lrFile);
            if (lr.size(2) * Scale != truth.size(2) || lr.size(3) * Scale != truth.size(3))
                throw new InvalidDataException($"{lrFile}: {lr.size(3)}×{lr.size(2)} is not its HR image's {truth.size(3)}×{truth.size(2)} divided by {Scale}");
            return lr;
        }
        var source = kind == ImageKind.Gray ? Lab.lightness(truth) : truth;
        return Scale == 1 ? source.clone() : Resize.bicubic(source, 1.0 / Scale).clamp_(0, 1);
    }

    private static bool IsLr(string f) => Path.GetFileNameWithoutExtension(f).EndsWith("_LR", StringComparison.OrdinalIgnoreCase);

    private static string? LrPartner(string hr, IReadOnlyList<string> lrFiles)
    {
        var name = Path.GetFileNameWithoutExtension(hr);
        if (!name.EndsWith("_HR", StringComparison.OrdinalIgnoreCase)) return null;
        var stem = Path.Combine(Path.GetDirectoryName(hr)!, name[..^3] + "_LR");
        return lrFiles.FirstOrDefault(f => Path.Combine(Path.GetDirectoryName(f)!, Path.GetFileNameWithoutExtension(f)) == stem);
    }

    internal static Tensor ReadRgb(string path)
    {
        using var img = Image.read(path, ImageReadMode.RGB, apply_exif_orientation: true);
        using var f = img.to(ScalarType.Float32);
        return f.div(255).unsqueeze(0);
    }

    /// <summary>The centre size×size of every photo, as one N×3×size×size batch in [0, 1] (for sample grids).</summary>
    public Tensor CenterCrops(int size)
    {
        using var scope = NewDisposeScope();
        var crops = new List<Tensor>();
        foreach (var batch in Batches(ImageKind.Color, 1))
        {
            scope.Include(batch.Input);
            scope.Include(batch.Truth);
            var (h, w) = (batch.Truth.size(2), batch.Truth.size(3));
            if (h < size || w < size) throw new InvalidDataException($"{Name}/{batch.Ids[0]}: {w}×{h} is smaller than the {size}-pixel crop asked for");
            crops.Add(batch.Truth.narrow(2, (h - size) / 2, size).narrow(3, (w - size) / 2, size));
        }
        return cat(crops, 0).MoveToOuterDisposeScope();
    }

    public void Dispose() => _images?.Dispose();
}
