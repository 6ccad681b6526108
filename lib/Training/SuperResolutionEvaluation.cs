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
    public string Method { get; }
    public IReadOnlyList<SrScore> Scores { get; }

    private SuperResolutionEvaluation(string method, IReadOnlyList<SrScore> scores) => (Method, Scores) = (method, scores);

    public double MeanPsnrY => Scores.Average(s => s.PsnrY);
    public double MeanSsimY => Scores.Average(s => s.SsimY);
    public double MeanPsnrRgb => Scores.Average(s => s.PsnrRgb);
    public double MeanSsimRgb => Scores.Average(s => s.SsimRgb);

    /// <param name="upscale">Maps a 1×3×h×w LR image in [0, 1] to 1×3×(s·h)×(s·w); null means bicubic.</param>
    public static SuperResolutionEvaluation Run(string folder, string method = "bicubic", Func<Tensor, Tensor>? upscale = null, int scale = 4)
    {
        var files = ImageFolder.List(folder);
        var hrFiles = files.Where(f => !IsLr(f)).ToList();
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
        return new SuperResolutionEvaluation(method, scores);
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

    public static string[] Header => ["method", "images", "PSNR Y (dB)", "SSIM Y", "PSNR RGB (dB)", "SSIM RGB"];

    public string[] Row() =>
    [
        Method, Scores.Count.ToString(CultureInfo.InvariantCulture), MeanPsnrY.ToString("0.00", CultureInfo.InvariantCulture),
        MeanSsimY.ToString("0.0000", CultureInfo.InvariantCulture), MeanPsnrRgb.ToString("0.00", CultureInfo.InvariantCulture),
        MeanSsimRgb.ToString("0.0000", CultureInfo.InvariantCulture),
    ];

    public static string ToHtml(IEnumerable<SuperResolutionEvaluation> rows) => Table.Html(Header, rows.Select(r => (IReadOnlyList<string>)r.Row()));
}
