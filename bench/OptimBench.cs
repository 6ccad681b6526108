// One Adam step over pix2pix's generator (64 px: 29 M parameters) with fixed gradients: the fused native pass
// against the per-op ATen sequence. bench/optim_bench.py times torch.optim.Adam (foreach=False) on the same model.
using Lib.Models;
using Lib.Torch;
using static Lib.Torch.torch;

static class OptimBench
{
    public static int Run(int size, int width, int steps, int warmup, bool fused)
    {
        using var g = new UnetGenerator(1, 2, (int)Math.Log2(size), width);
        var ps = g.parameters().ToList();
        foreach (var p in ps) p.grad = randn(p.shape).mul_(1e-3);
        using var opt = optim.Adam(ps, 2e-4, 0.5, 0.999);
        opt.fused = fused;
        Timing.Run(() => opt.step(), warmup, steps, "adam" + (fused ? "-fused" : "-per-op"), "step", 0, size, width);
        return 0;
    }
}
