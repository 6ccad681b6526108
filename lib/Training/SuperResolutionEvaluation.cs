using System.Globalization;
using Lib.Data;
using Lib.Imaging;
using Lib.Metrics;
using Lib.Reports;
using Lib.Torch;
using static Lib.Torch.torch;

namespace Lib.Training;

/// <summary>PSNR/SSIM of one super-resolved image: on Y (BT.601, 0–255) and on RGB, borders cropped by the scale.</summary>
public sealed record SrScore(string Image, double PsnrY, double SsimY, double PsnrRgb, double SsimRgb);

/// <summary>
/// The SR community's protocol on a folder of HR images: each HR image is cropped to a multiple of the
/// scale; its LR input is the benchmark's own *_LR file when present, else bicubic ×1/scale with
/// antialiasing; the method upscales it (bicubic when none is given — the baseline row of every table);
/// PSNR and SSIM are computed on the Y channel and on RGB after cropping <c>scale</c> border pixels.
/// </summary>
public sealed class SuperResolutionEvaluation
{
    /// <summary>The image set's name (its folder's name unless given).</summary>
    public string Set { get; }
    public string Method { get; }
    public IReadOnlyList<SrScore> Scores { get; }

    private SuperResolutionEvaluation(string set, string method, IReadOnlyList<SrScore> scores) => (Set, Method, Scores) = (set, method, scores);

    public double MeanPsnrY => Scores.Average(s => s.PsnrY);
    public double MeanSsimY => Scores.Average(s => s.SsimY);
    public double MeanPsnrRgb => Scores.Average(s => s.PsnrRgb);
    public double MeanSsimRgb => Scores.Average(s => s.SsimRgb);

    /// <param name="folder">HR images, with or without the benchmark's *_LR partners.</param>
    /// <param name="method">The row's name.</param>
    /// <param name="upscale">Maps a 1×3×h×w LR image in [0, 1] to 1×3×(s·h)×(s·w); null means bicubic.</param>
    /// <param name="scale">The upscaling factor (also the border cropped before scoring).</param>
    /// <param name="set">The set's name in tables (default: the folder's name).</param>
    public static SuperResolutionEvaluation Run(string folder, string method = "bicubic", Func<Tensor, Tensor>? upscale = null, int scale = 4, string? set = null)
    {
        var files = ImageFolder.List(folder);
        var hrFiles = files.Where(f => !IsLr(f)).ToList();
        if (hrFiles.Count == 0) throw new InvalidDataException($"{folder} holds no HR images (PNG or JPEG, not *_LR)");
        var scores = new List<SrScore>();
        foreach (var hrFile in hrFiles)
        {
            using var scope = NewDisposeScope();
            var hr = Resize.modcrop(ReadRgb(hrFile), scale);
            var lrFile = LrPartner(hrFile, files);
            var lr = lrFile is null ? Resize.bicubic(hr, 1.0 / scale).clamp(0, 1) : ReadRgb(lrFile);
            if (lr.size(2) * scale != hr.size(2) || lr.size(3) * scale != hr.size(3))
                throw new InvalidDataException($"{lrFile}: {lr.size(3)}×{lr.size(2)} is not the {hrFile} size {hr.size(3)}×{hr.size(2)} divided by {scale}");
            Tensor sr;
            using (no_grad()) sr = (upscale?.Invoke(lr) ?? Resize.bicubic(lr, hr.size(2), hr.size(3))).clamp(0, 1);
            // Scores use the 8-bit image a method would save, as the published figures do.
            var srQ = sr.mul(255).round().div(255);
            var (ySr, yHr) = (YChannel.crop(YChannel.rgb_to_y(srQ), scale), YChannel.crop(YChannel.rgb_to_y(hr), scale));
            var (cSr, cHr) = (YChannel.crop(srQ, scale), YChannel.crop(hr, scale));
            scores.Add(new SrScore(Path.GetFileName(hrFile),
                Psnr.psnr(ySr, yHr, 255).item<double>(), Ssim.ssim(ySr, yHr, 255).item<double>(),
                Psnr.psnr(cSr, cHr).item<double>(), Ssim.ssim(cSr, cHr).item<double>()));
        }
        return new SuperResolutionEvaluation(set ?? Path.GetFileName(Path.TrimEndingDirectorySeparator(folder)), method, scores);
    }

    /// <summary>One method on several sets (name → folder), in the sets' order.</summary>
    public static List<SuperResolutionEvaluation> Run(IEnumerable<KeyValuePair<string, string>> sets, string method = "bicubic", Func<Tensor, Tensor>? upscale = null, int scale = 4) =>
        sets.Select(s => Run(s.Value, method, upscale, scale, s.Key)).ToList();

    /// <summary>Rows grouped by set (sets and methods in order of first appearance): each method beside its baseline.</summary>
    public static List<SuperResolutionEvaluation> BySet(IEnumerable<SuperResolutionEvaluation> rows)
    {
        var list = rows.ToList();
        var sets = list.Select(r => r.Set).Distinct().ToList();
        return list.OrderBy(r => sets.IndexOf(r.Set)).ToList(); // OrderBy is stable: methods keep their order
    }

    /// <summary>Writes <paramref name="name"/>.csv and .md into <paramref name="directory"/>.</summary>
    public static void Save(IEnumerable<SuperResolutionEvaluation> rows, string directory, string name = "evaluation")
    {
        var cells = rows.Select(r => (IReadOnlyList<string>)r.Row()).ToList();
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, name + ".csv"), Table.Csv(Header, cells));
        File.WriteAllText(Path.Combine(directory, name + ".md"), Table.Markdown(Header, cells));
    }

    /// <summary>The centre size×size of every HR image in <paramref name="folder"/>, as one N×3×size×size batch in [0, 1] (for sample grids).</summary>
    public static Tensor CenterCrops(string folder, int size)
    {
        using var scope = NewDisposeScope();
        var crops = new List<Tensor>();
        foreach (var file in ImageFolder.List(folder).Where(f => !IsLr(f)))
        {
            var hr = ReadRgb(file);
            var (h, w) = (hr.size(2), hr.size(3));
            if (h < size || w < size) throw new InvalidDataException($"{file}: {w}×{h} is smaller than the {size}-pixel crop asked for");
            crops.Add(hr.narrow(2, (h - size) / 2, size).narrow(3, (w - size) / 2, size));
        }
        if (crops.Count == 0) throw new InvalidDataException($"{folder} holds no HR images (PNG or JPEG, not *_LR)");
        return cat(crops, 0).MoveToOuterDisposeScope();
    }

    private static bool IsLr(string f) => Path.GetFileNameWithoutExtension(f).EndsWith("_LR", StringComparison.OrdinalIgnoreCase);

    private static string? LrPartner(string hr, IReadOnlyList<string> files)
    {
        var name = Path.GetFileNameWithoutExtension(hr);
        if (!name.EndsWith("_HR", StringComparison.OrdinalIgnoreCase)) return null;
        var stem = Path.Combine(Path.GetDirectoryName(hr)!, name[..^3] + "_LR");
        return files.FirstOrDefault(f => Path.Combine(Path.GetDirectoryName(f)!, Path.GetFileNameWithoutExtension(f)) == stem);
    }

    private static Tensor ReadRgb(string path)
    {
        using var img = Image.read(path, ImageReadMode.RGB);
        using var f = img.to(ScalarType.Float32);
        return f.div(255).unsqueeze(0);
    }

    public static string[] Header => ["set", "method", "images", "PSNR Y (dB)", "SSIM Y", "PSNR RGB (dB)", "SSIM RGB"];

    public string[] Row() =>
    [
        Set, Method, Scores.Count.ToString(CultureInfo.InvariantCulture), MeanPsnrY.ToString("0.00", CultureInfo.InvariantCulture),
        MeanSsimY.ToString("0.0000", CultureInfo.InvariantCulture), MeanPsnrRgb.ToString("0.00", CultureInfo.InvariantCulture),
        MeanSsimRgb.ToString("0.0000", CultureInfo.InvariantCulture),
    ];

    public static string ToHtml(IEnumerable<SuperResolutionEvaluation> rows) => Table.Html(Header, rows.Select(r => (IReadOnlyList<string>)r.Row()));
}
