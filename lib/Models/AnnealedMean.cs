using Lib.Imaging;
using Lib.Torch;
using static Lib.Torch.torch;
using F = Lib.Torch.torch.nn.functional;

namespace Lib.Models;

/// <summary>
/// ECCV16's decoding of a predicted bin distribution into one ab per pixel (Zhang, Isola, Efros 2016, eq. 5):
/// the mean of the distribution re-sharpened by a temperature, f_T(z) = exp(log z / T) / Σ exp(log z / T),
/// between the mean (T = 1, desaturated) and the mode (T → 0, vivid but patchy); the paper uses T = 0.38.
/// From logits, f_T(softmax(logits)) = softmax(logits / T): the log-softmax's constant cancels.
/// </summary>
public static class AnnealedMean
{
    public const double Temperature = 0.38;

    /// <summary>Logits N×Q×h×w → ab N×2×h×w in the network's scale (ab / 110).</summary>
    public static Tensor decode(Tensor logits, AbGamut gamut, double temperature = Temperature)
    {
        if (!(temperature > 0)) throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "the annealed mean needs T > 0 (the paper's 0.38; 1 is the plain mean)");
        var s = logits.shape;
        if (s.Length != 4 || s[1] != gamut.count)
            throw new ArgumentException($"the annealed mean needs logits N×{gamut.count}×h×w (one channel per bin of {gamut}); got [{string.Join(", ", s)}]");
        using var scope = NewDisposeScope();
        var probabilities = F.softmax(logits / temperature, 1);
        // The expectation over bins is a 1×1 convolution whose weights are the centres (the authors' model_out).
        var centres = (gamut.centres_tensor(logits.device) / Lab.AbScale).t().contiguous().view(2, gamut.count, 1, 1).to(logits.dtype);
        return F.conv2d(probabilities, centres).MoveToOuterDisposeScope();
    }
}
