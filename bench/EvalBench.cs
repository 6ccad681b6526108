// The scoring of one super-resolution method on BSD100 + Urban100 sizes (100 pairs of 481×321 and 100 of
// 1024×768; the sets are not on this machine, so the pairs are smooth random images of those sizes): PSNR, SSIM,
// PSNR and SSIM on Y (Evaluator.ScoreImages with Fidelity | Luma), the network excluded. --fast-paths false scores
// float64 copies, which is what the metrics computed in before issue 14.
// --model eval-sets times what a notebook does instead: Evaluator.Run of the bicubic ×4 baseline on two folders of
// PNGs of those sizes (written once under bench/out/eval-sets), reading, downscaling, upscaling and scoring included.
using System.Diagnostics;
using Lib.Evaluation;
using Lib.Torch;
using static Lib.Torch.torch;
using F = Lib.Torch.torch.nn.functional;

static class EvalBench
{
    public static int Run(bool fast, int count)
    {
        var sizes = new (int h, int w)[] { (321, 481), (768, 1024) };
        var sw = Stopwatch.StartNew();
        double metrics = 0;
        foreach (var (h, w) in sizes)
            for (var i = 0; i < count; i++)
            {
                using var scope = NewDisposeScope();
                manual_seed(i);
                var truth = F.interpolate(rand(1, 3, h / 8, w / 8), (h, w), mode: nn.UpsampleMode.Bicubic).clamp(0, 1);
                var pred = (truth + randn(1, 3, h, w) * 0.02).clamp(0, 1);
                if (!fast) (truth, pred) = (truth.to(ScalarType.Float64), pred.to(ScalarType.Float64));
                var t = Stopwatch.StartNew();
                Evaluator.ScoreImages(pred, truth, MetricSet.Fidelity | MetricSet.Luma);
                metrics += t.Elapsed.TotalSeconds;
            }
        Console.WriteLine($"{{\"impl\": \"csharp\", \"model\": \"eval\", \"precision\": \"{(fast ? "float32" : "float64")}\", \"pairs\": {2 * count}, " +
                          $"\"metrics_s\": {metrics:F2}, \"total_s\": {sw.Elapsed.TotalSeconds:F2}, \"threads\": {get_num_threads()}}}");
        return 0;
    }

    public static int RunSets(int count)
    {
        var root = Path.Combine("bench", "out", "eval-sets");
        var sets = new (string name, int h, int w)[] { ("BSD100-sized", 321, 481), ("Urban100-sized", 768, 1024) };
        foreach (var (name, h, w) in sets)
        {
            var dir = Path.Combine(root, name);
            Directory.CreateDirectory(dir);
            for (var i = 0; i < count; i++)
            {
                var file = Path.Combine(dir, $"img_{i:D3}.png");
                if (File.Exists(file)) continue;
                using var scope = NewDisposeScope();
                manual_seed(1000 + i);
                // Smooth structure plus fine detail, so PNG decoding and the metrics see photo-like statistics.
                var rgb = (F.interpolate(rand(1, 3, h / 16, w / 16), (h, w), mode: nn.UpsampleMode.Bicubic) + randn(1, 3, h, w) * 0.03).clamp(0, 1);
                Lib.Imaging.Image.write_png(rgb.squeeze(0).mul(255).round().to(ScalarType.Byte), file);
            }
        }
        var sw = Stopwatch.StartNew();
        var parts = new List<string>();
        foreach (var (name, _, _) in sets)
        {
            var t = Stopwatch.StartNew();
            using var set = EvaluationSet.FromFolder(Path.Combine(root, name), 4, name);
            var row = Evaluator.Run(Lib.Pipelines.Stage.Bicubic(4, Lib.Imaging.ImageKind.Color), set, MetricSet.SuperResolution);
            parts.Add($"\"{name}_s\": {t.Elapsed.TotalSeconds:F2}, \"{name}_psnr_y\": {row.Values[Score.PsnrY]:F3}");
        }
        Console.WriteLine($"{{\"impl\": \"csharp\", \"model\": \"eval-sets\", \"images\": {2 * count}, {string.Join(", ", parts)}, " +
                          $"\"total_s\": {sw.Elapsed.TotalSeconds:F2}, \"threads\": {get_num_threads()}}}");
        return 0;
    }
}
