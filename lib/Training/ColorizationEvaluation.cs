using System.Globalization;
using Lib.Data;
using Lib.Imaging;
using Lib.Metrics;
using Lib.Reports;
using Lib.Torch;
using static Lib.Torch.torch;

namespace Lib.Training;

/// <summary>
/// A colorizer against the colorless baseline (true L, ab = 0) on held-out images: PSNR, SSIM (RGB),
/// ab-accuracy AUC, colorfulness and RGB MAE — RGB SSIM alone barely sees color, so the table shows
/// the color-sensitive metrics beside it. The ground truth's colorfulness is the reference row.
/// </summary>
public sealed class ColorizationEvaluation
{
    public static readonly string[] Header = ["method", "images", "PSNR (dB)", "SSIM (RGB)", "ab acc. AUC", "ab acc. ≤10", "colorfulness", "MAE (RGB)"];

    private readonly List<(string method, double[] values)> _rows = [];
    public int Images { get; private set; }

    public IReadOnlyList<(string method, double[] values)> Rows => _rows;

    /// <summary>Evaluates the trainer's generator (eval mode) and the colorless baseline on a loader of (L, ab) batches.</summary>
    public static ColorizationEvaluation Run(ColorizationTrainer trainer, BatchLoader loader)
    {
        var sums = new double[3, 6];
        var n = 0;
        foreach (var batch in loader.Epoch(0))
        {
            using var scope = NewDisposeScope();
            batch.IncludeIn(scope);
            var (l, ab) = (batch[0], batch[1]);
            var truth = Lab.from_network(l, ab);
            var trueAb = ab * Lab.AbScale;
            var predicted = trainer.Colorize(l);
            var candidates = new[] { (truth, trueAb), (Lab.from_network(l, zeros_like(ab)), zeros_like(ab)), (Lab.from_network(l, predicted), predicted * Lab.AbScale) };
            for (var m = 0; m < 3; m++)
            {
                var (rgb, predAb) = candidates[m];
                sums[m, 0] += Psnr.psnr(rgb, truth).clamp(max: 100).sum().item<double>();
                sums[m, 1] += Ssim.ssim(rgb, truth).sum().item<double>();
                sums[m, 2] += AbAccuracy.auc(predAb, trueAb).sum().item<double>();
                sums[m, 3] += AbAccuracy.accuracy(predAb, trueAb, 10).sum().item<double>();
                sums[m, 4] += Colorfulness.colorfulness(rgb).sum().item<double>();
                sums[m, 5] += PixelErrors.mae(rgb, truth).sum().item<double>();
            }
            n += (int)l.size(0);
        }
        if (n == 0) throw new InvalidOperationException("the evaluation loader yielded no images");
        var result = new ColorizationEvaluation { Images = n };
        string[] names = ["ground truth", "colorless baseline (ab = 0)", $"{trainer.Config.Generator} generator ({trainer.Config.Profile}, {trainer.EpochsDone} epochs)"];
        foreach (var m in new[] { 1, 2, 0 })
            result._rows.Add((names[m], Enumerable.Range(0, 6).Select(k => sums[m, k] / n).ToArray()));
        return result;
    }

    private IEnumerable<IReadOnlyList<string>> Cells(Func<double, string, string> format) =>
        _rows.Select(r => (IReadOnlyList<string>)new[] { r.method, Images.ToString(CultureInfo.InvariantCulture) }
            .Concat(r.values.Select((v, k) => r.method == "ground truth" && k != 4 ? "—" : format(v, Header[k + 2]))).ToList());

    private static string Pretty(double v, string column) => column switch
    {
        "PSNR (dB)" => v >= 100 ? "∞" : v.ToString("0.00", CultureInfo.InvariantCulture),
        "colorfulness" => v.ToString("0.0", CultureInfo.InvariantCulture),
        _ => v.ToString("0.0000", CultureInfo.InvariantCulture),
    };

    public string ToHtml() => Table.Html(Header, Cells(Pretty));
    public string ToMarkdown() => Table.Markdown(Header, Cells(Pretty));
    public string ToCsv() => Table.Csv(Header, Cells((v, _) => v.ToString("R", CultureInfo.InvariantCulture)));
}
