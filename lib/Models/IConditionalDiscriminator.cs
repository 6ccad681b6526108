using Lib.Torch;

namespace Lib.Models;

/// <summary>A discriminator of a conditional GAN: it judges an image together with its condition.</summary>
public interface IConditionalDiscriminator
{
    /// <summary>True when the output is a probability (after a sigmoid), false for raw logits.</summary>
    bool OutputsProbability { get; }

    /// <summary>D(condition, image), e.g. D(L, ab) for colorization.</summary>
    Tensor call(Tensor condition, Tensor image);
}
