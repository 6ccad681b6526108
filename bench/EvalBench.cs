// The scoring of one super-resolution method on BSD100 + Urban100 sizes (100 pairs of 481×321 and 100 of
// 1024×768; the sets are not on this machine, so the pairs are smooth random images of those sizes): PSNR, SSIM,
// PSNR and SSIM on Y (Evaluator.ScoreImages with Fidelity | Luma), the network excluded. --fast-paths false scores
// float64 copies, which is what the metrics computed in before issue 14.
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
}
