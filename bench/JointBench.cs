// The joint colorize-and-upscale GAN (lib/Models/JointGenerator.cs + a 4-channel PatchGAN, LSGAN + 100·L1 on Lab):
// a training step (D step + G step) or generator inference from size×size gray inputs to (4·size)² Lab.
using Lib.Imaging;
using Lib.Models;
using Lib.Torch;
using static Lib.Torch.torch;
using F = Lib.Torch.torch.nn.functional;

static class JointBench
{
    public static int Run(string mode, int size, int batch, int width, int steps, int warmup, bool setToNone, Device dev)
    {
        using var g = new JointGenerator((int)Math.Log2(size), width, width, 4);
        using var d = new PatchDiscriminator(4, width, 3);
        g.to(dev);
        d.to(dev);
        using var optG = optim.Adam(g.parameters(), 2e-4, 0.5, 0.999);
        using var optD = optim.Adam(d.parameters(), 2e-4, 0.5, 0.999);
        using var gray = rand([batch, 1, size, size], device: dev).mul_(2).sub_(1);
        using var lab = rand([batch, 3, size * 4, size * 4], device: dev).mul_(2).sub_(1);

        Tensor Ls(Tensor pred, bool real)
        {
            using var target = real ? ones_like(pred) : zeros_like(pred);
            return F.mse_loss(pred, target);
        }

        void Train()
        {
            using var scope = NewDisposeScope();
            var fake = g.call(gray);
            var condition = Resize.bicubic(gray, size * 4, size * 4);
            optD.zero_grad(setToNone);
            var lossD = (Ls(d.call(condition, fake.detach()), false) + Ls(d.call(condition, lab), true)) * 0.5;
            lossD.backward();
            optD.step();
            optG.zero_grad(setToNone);
            var lossG = Ls(d.call(condition, fake), true) + F.l1_loss(fake, lab) * 100;
            lossG.backward();
            optG.step();
        }

        void Infer()
        {
            using var scope = NewDisposeScope();
            using var _ = no_grad();
            g.call(gray);
        }

        if (mode == "infer") g.eval();
        Timing.Run(mode == "infer" ? Infer : Train, warmup, steps, "joint", mode, batch, size, width);
        return 0;
    }
}
