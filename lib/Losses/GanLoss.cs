using Lib.Torch;
using static Lib.Torch.torch;
using F = Lib.Torch.torch.nn.functional;

namespace Lib.Losses;

/// <summary>The adversarial objective: pix2pix's "vanilla" (cross-entropy) or LSGAN (least squares, the course report's).</summary>
public enum GanMode { Vanilla, LSGAN }

/// <summary>
/// The GAN loss against an all-real or all-fake target. It works on probabilities (a discriminator
/// ending in a sigmoid, as the report's) or on logits (PatchGAN): cross-entropy then uses the
/// numerically safe with-logits form; LSGAN is the mean squared distance to 1 or 0 either way, as in pix2pix.
/// </summary>
public sealed class GanLoss(GanMode mode)
{
    public GanMode Mode { get; } = mode;

    public Tensor call(Tensor prediction, bool targetIsReal, bool isProbability)
    {
        using var target = targetIsReal ? ones_like(prediction) : zeros_like(prediction);
        return Mode switch
        {
            GanMode.LSGAN => F.mse_loss(prediction, target),
            GanMode.Vanilla when isProbability => F.binary_cross_entropy(prediction, target),
            _ => F.binary_cross_entropy_with_logits(prediction, target),
        };
    }
}
