using Lib.Torch;

namespace Lib.Models;

/// <summary>
/// A colorization generator whose forward is not yet the ab image: ECCV16 predicts bin logits at a quarter of the
/// input's size. Trainers and stages colorize through <see cref="colorize"/>; other generators' forward is the ab.
/// </summary>
public interface IColorizer
{
    /// <summary>L (N×1×H×W, L / 50 − 1) → ab (N×2×H×W, ab / 110).</summary>
    Tensor colorize(Tensor L);

    /// <summary>The ab of <paramref name="generator"/> for L: its <see cref="colorize"/> where it has one, else its forward.</summary>
    static Tensor Ab(torch.nn.Module<Tensor, Tensor> generator, Tensor L) => generator is IColorizer c ? c.colorize(L) : generator.call(L);
}
