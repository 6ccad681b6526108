// The colorizer variants of issue 11: ECCV16 (classification: rebalanced cross-entropy on soft-encoded
// truth; regression: L1 on the ×4-upsampled ab) and the coarse-to-fine colorizer (shared FcnColorizer,
// 3 scales, L1 at every scale) — an Adam training step or inference. bench/colorizer_variants_bench.py is
// the same in PyTorch; bench/run_variants.sh runs both. --width is ECCV16's first-block channels (64 = the
// paper's widths) or the FcnColorizer's channels. "unet" is pix2pix's U-Net at the full size (--width = ngf), the
// plain colorizer the coarse-to-fine one is compared with.
using Lib.Imaging;
using Lib.Losses;
using Lib.Models;
using Lib.Torch;
using static Lib.Torch.torch;
using F = Lib.Torch.torch.nn.functional;

static class ColorizerVariantsBench
{
    public static readonly string[] Models = ["eccv16", "eccv16-reg", "c2f", "unet"];

    public static int Run(string model, string mode, int size, int batch, int width, int steps, int warmup, bool setToNone, Device dev)
    {
        var gamut = AbGamut.Srgb;
        using nn.Module<Tensor, Tensor> g = model switch
        {
            "eccv16" => new Eccv16(Eccv16Head.Classification, width / 64.0, gamut),
            "eccv16-reg" => new Eccv16(Eccv16Head.Regression, width / 64.0, gamut),
            // The plain colorizer the coarse-to-fine one is compared with: pix2pix's U-Net at the full size.
            "unet" => new UnetGenerator(1, 2, (int)Math.Log2(size), width),
            _ => CoarseToFine.WithFcn(num_scales: 3, channels: width, depth: 2),
        };
        g.to(dev);
        using var opt = optim.Adam(g.parameters(), 2e-4, 0.5, 0.999);
        using var l = rand([batch, 1, size, size], device: dev).mul_(2).sub_(1);
        using var ab = rand([batch, 2, size, size], device: dev).mul_(1.6).sub_(0.8);
        // Uniform counts: the weights' values do not change the cost.
        var ce = new RebalancedCrossEntropy(gamut, ClassRebalancing.from_counts(Enumerable.Repeat(1.0, gamut.count).ToArray(), gamut));

        Tensor Loss()
        {
            switch (g)
            {
                case Eccv16 { head: Eccv16Head.Classification } e: return ce.call(e.call(l), ab);
                case Eccv16 e: return F.l1_loss(e.colorize(l), ab);
                case UnetGenerator u: return F.l1_loss(u.call(l), ab);
                default:
                    var p = ((CoarseToFine)g).forward_scales(l);
                    var loss = F.l1_loss(p[^1], ab);
                    for (var k = 0; k < p.Count - 1; k++) loss = loss + F.l1_loss(p[k], CoarseToFine.downscale(ab, 1 << (p.Count - 1 - k)));
                    return loss;
            }
        }

        void Train()
        {
            using var scope = NewDisposeScope();
            opt.zero_grad(setToNone);
            Loss().backward();
            opt.step();
        }

        void Infer()
        {
            using var scope = NewDisposeScope();
            using var _ = no_grad();
            if (g is Eccv16 e) e.colorize(l);
            else g.call(l);
        }

        if (mode == "infer") g.eval();
        Timing.Run(mode == "infer" ? Infer : Train, warmup, steps, model, mode, batch, size, width);
        return 0;
    }
}
