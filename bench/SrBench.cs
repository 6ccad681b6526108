// SRGAN ×4 (the report's sizes: SRResNet 16 blocks × 64 channels, SRGAN discriminator, VGG19 relu5_4
// content loss — randomly initialized here, which costs the same as pretrained): a GAN training step
// (D step + G step) or generator inference from size×size LR images.
using Lib.Models;
using Lib.Torch;
using static Lib.Torch.torch;
using F = Lib.Torch.torch.nn.functional;

static class SrBench
{
    public static int Run(string mode, int size, int batch, int steps, int warmup, bool setToNone, Device dev)
    {
        using var g = new SRResNet(4, 16, 64);
        // The discriminator's dense layer grows with the HR size: build it only for training.
        using var d = mode == "train" ? new SRGANDiscriminator(size * 4, 64) : new SRGANDiscriminator(16, 8);
        using var vgg = new Vgg19("relu5_4");
        g.to(dev);
        d.to(dev);
        vgg.to(dev);
        vgg.eval();
        foreach (var p in vgg.parameters()) p.requires_grad = false;
        using var optG = optim.Adam(g.parameters(), 2e-4, 0.5, 0.999);
        using var optD = optim.Adam(d.parameters(), 2e-4, 0.5, 0.999);
        using var lr = rand([batch, 3, size, size], device: dev);
        using var hr = mode == "train" ? rand([batch, 3, size * 4, size * 4], device: dev) : zeros(1);

        void Train()
        {
            using var scope = NewDisposeScope();
            var sr = g.call(lr);
            optD.zero_grad(setToNone);
            var real = d.call(hr);
            var fake = d.call(sr.detach());
            var lossD = (F.binary_cross_entropy_with_logits(real, ones_like(real)) + F.binary_cross_entropy_with_logits(fake, zeros_like(fake))) * 0.5;
            lossD.backward();
            optD.step();
            optG.zero_grad(setToNone);
            var judged = d.call(sr);
            Tensor target;
            using (no_grad()) target = vgg.call(hr) / 12.75;
            var content = F.mse_loss(vgg.call(sr) / 12.75, target);
            (content + F.binary_cross_entropy_with_logits(judged, ones_like(judged)) * 1e-3).backward();
            optG.step();
        }

        void Infer()
        {
            using var scope = NewDisposeScope();
            using var _ = no_grad();
            g.call(lr);
        }

        if (mode == "infer") g.eval();
        Timing.Run(mode == "infer" ? Infer : Train, warmup, steps, "srgan", mode, batch, size, 64);
        return 0;
    }
}
