using Lib.Imaging;
using Lib.Torch;
using static Lib.Torch.torch;

namespace Lib.Models;

/// <summary>
/// The course report's U-Net with ECCV16's classification head (Zhang et al. 2016): one logit per ab bin at every pixel, at
/// full resolution (ECCV16's own net predicts at a quarter), trained with the rebalanced cross-entropy and decoded by the
/// annealed mean at <see cref="temperature"/>. The U-Net is the backbone that beats the gray photo as a regression here;
/// the head lets T trade PSNR for colorfulness where the predicted distribution has a mode, instead of one gain for every pixel.
/// </summary>
public sealed class UnetClassifier : nn.Module<Tensor, Tensor>, IColorizer
{
    private readonly ReportUnet _unet;

    public AbGamut gamut { get; }

    /// <summary>T of the annealed mean used by <see cref="colorize"/> (the paper's 0.38; 1 is the mean).</summary>
    public double temperature { get; set; }

    /// <param name="width">The U-Net's first width (the report's 64; the workbook's CPU profiles use 32).</param>
    /// <param name="gamut">The ab bins; null is <see cref="AbGamut.Srgb"/>.</param>
    public UnetClassifier(long width = 64, AbGamut? gamut = null, double temperature = AnnealedMean.Temperature) : base(nameof(UnetClassifier))
    {
        this.gamut = gamut ?? AbGamut.Srgb;
        this.temperature = temperature;
        _unet = register_module("unet", new ReportUnet(1, this.gamut.count, width, tanh: false));
    }

    /// <summary>L (N×1×H×W, H and W multiples of 8) → logits N×Q×H×W.</summary>
    public override Tensor forward(Tensor L) => _unet.call(L);

    /// <summary>L → ab (N×2×H×W, network scale): the annealed mean of the logits.</summary>
    public Tensor colorize(Tensor L)
    {
        using var logits = forward(L);
        return AnnealedMean.decode(logits, gamut, temperature);
    }
}
