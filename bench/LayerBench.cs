// Per-layer GFLOP/s of pix2pix's U-Net (64 px, batch 16): each Conv2d and ConvTranspose2d alone, forward and
// forward + backward (input, weight and bias gradients), plus a large 3×3 Conv2d that gives the machine's peak.
// Prints one JSON line per layer; bench/run_layers.sh runs it beside bench/layer_bench.py.
using System.Diagnostics;
using Lib.Torch;
using static Lib.Torch.torch;
using F = Lib.Torch.torch.nn.functional;

static class LayerBench
{
    // kind, in, out, kernel, stride, padding, input size: the U-Net's encoder and decoder at 64 px, then the peak probe.
    public static readonly (string kind, int cin, int cout, int k, int s, int p, int h)[] Layers =
    [
        ("conv", 1, 64, 4, 2, 1, 64), ("conv", 64, 128, 4, 2, 1, 32), ("conv", 128, 256, 4, 2, 1, 16),
        ("conv", 256, 512, 4, 2, 1, 8), ("conv", 512, 512, 4, 2, 1, 4), ("conv", 512, 512, 4, 2, 1, 2),
        ("convT", 512, 512, 4, 2, 1, 1), ("convT", 1024, 512, 4, 2, 1, 2), ("convT", 1024, 256, 4, 2, 1, 4),
        ("convT", 512, 128, 4, 2, 1, 8), ("convT", 256, 64, 4, 2, 1, 16), ("convT", 128, 2, 4, 2, 1, 32),
        ("peak", 256, 256, 3, 1, 1, 32),
    ];

    public static int Run(int batch, int steps, int warmup)
    {
        foreach (var (kind, cin, cout, k, s, p, h) in Layers)
        {
            using var scope = NewDisposeScope();
            var x = randn(batch, cin, h, h).requires_grad_();
            var w = (kind == "convT" ? randn(cin, cout, k, k) : randn(cout, cin, k, k)).mul_(0.05).requires_grad_();
            var b = randn(cout).requires_grad_();
            Tensor Forward() => kind == "convT"
                ? F.conv_transpose2d(x, w, b, (s, s), (p, p))
                : F.conv2d(x, w, b, (s, s), (p, p));
            using var probe = Forward();
            var outH = probe.size(2);
            using var g = randn(probe.shape);
            // Multiply-adds of the forward pass; backward does twice as many (input and weight gradients).
            var flops = 2.0 * batch * cin * cout * k * k * (kind == "convT" ? (double)h * h : (double)outH * outH);
            var fwd = Median(() => { using var sc = NewDisposeScope(); using (no_grad()) Forward(); }, steps, warmup);
            var both = Median(() =>
            {
                using var sc = NewDisposeScope();
                x.grad = null; w.grad = null; b.grad = null;
                Forward().backward(g);
            }, steps, warmup);
            var bwd = Math.Max(both - fwd, 1e-9);
            Console.WriteLine($"{{\"impl\": \"csharp\", \"layer\": \"{kind} {cin}->{cout} k{k}s{s} @{h}\", \"batch\": {batch}, \"threads\": {get_num_threads()}, " +
                              $"\"fwd_ms\": {fwd * 1e3:F3}, \"bwd_ms\": {bwd * 1e3:F3}, \"fwd_gflops\": {flops / fwd / 1e9:F1}, \"bwd_gflops\": {2 * flops / bwd / 1e9:F1}}}");
        }
        return 0;
    }

    private static double Median(Action f, int steps, int warmup)
    {
        for (var i = 0; i < warmup; i++) f();
        var t = new List<double>();
        for (var i = 0; i < steps; i++)
        {
            var sw = Stopwatch.StartNew();
            f();
            t.Add(sw.Elapsed.TotalSeconds);
        }
        t.Sort();
        return t[t.Count / 2];
    }
}
