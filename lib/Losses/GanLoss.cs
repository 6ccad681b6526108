using Lib.Torch;
using static Lib.Torch.torch;
using F = Lib.Torch.torch.nn.functional;

namespace Lib.Losses;

/// <summary>The adversarial objective: pix2pix's "vanilla" (cross-entropy) or LSGAN (least squares, the course report's).</summary>
public enum GanMode { Vanilla, LSGAN }

/// <summary>
/// The GAN loss against an all-real or all-fake target. Its form is fixed when it is built: the objective
/// (<see cref="GanMode"/>) and whether the discriminator's outputs are probabilities (a D ending in a sigmoid,
/// as the report's) or logits (PatchGAN, SRGAN's D). Cross-entropy on logits uses the numerically safe
/// with-logits form; LSGAN is the mean squared distance to 1 or 0 either way, as in pix2pix.
/// </summary>
public sealed class GanLoss(GanMode mode, bool probabilities)
{
    public GanMode Mode { get; } = mode;

    /// <summary>True when D's outputs are probabilities in [0, 1], false for logits.</summary>
    public bool Probabilities { get; } = probabilities;

    /// <summary>The loss of D's <paramref name="prediction"/> against the all-real (true) or all-fake target.</summary>
    public Tensor call(Tensor prediction, bool targetIsReal)
    {
        using var target = targetIsReal ? ones_like(prediction) : zeros_like(prediction);
        return Mode switch
        {
            GanMode.LSGAN => F.mse_loss(prediction, target),
            GanMode.Vanilla when Probabilities => F.binary_cross_entropy(prediction, target),
            _ => F.binary_cross_entropy_with_logits(prediction, target),
        };
    }

    /// <summary>D's loss: the mean of the real pair judged real and the fake pair judged fake (pix2pix halves it so D learns slower than G).</summary>
    public Tensor discriminator(Tensor real, Tensor fake)
    {
        using var r = call(real, true);
        using var f = call(fake, false);
        return (r + f) * 0.5;
    }

    public override string ToString() => $"{Mode} on {(Probabilities ? "probabilities" : "logits")}";
}
