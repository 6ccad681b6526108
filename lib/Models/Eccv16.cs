using Lib.Imaging;
using Lib.Torch;
using Lib.Torch.Modules;
using static Lib.Torch.torch;
using F = Lib.Torch.torch.nn.functional;

namespace Lib.Models;

/// <summary>What ECCV16's last 1×1 convolution predicts.</summary>
public enum Eccv16Head
{
    /// <summary>The paper's: logits over the gamut's ab bins, trained with the rebalanced cross-entropy, decoded by the annealed mean.</summary>
    Classification,
    /// <summary>The same trunk predicting ab directly (2 channels, tanh: ab / 110), as a source trains it with a VGG content loss and a GAN.</summary>
    Regression,
}

/// <summary>
/// The colorization network of Zhang, Isola and Efros, "Colorful Image Colorization" (ECCV 2016), with the
/// layer list of the authors' PyTorch release (colorizers/eccv16.py): 8 blocks of 3×3 convolutions with ReLU,
/// each of blocks 1–7 ending in BatchNorm; blocks 1–3 end with a stride-2 conv, blocks 5–6 are dilated by 2,
/// block 8 starts with a 4×4 stride-2 transposed conv, and a 1×1 conv gives the head at 1/4 of the input's
/// resolution. State-dict names follow the release ("model5.0.weight", "model8.6.bias").
/// Widths are the paper's (64, 128, 256, 512) times <see cref="width"/>, so a CPU can train a slim copy.
/// The input is L in the project's scale (L / 50 − 1, N×1×H×W, H and W multiples of 8); the release feeds
/// (L − 50) / 100, half of it, which only rescales the first convolution.
/// </summary>
public sealed class Eccv16 : nn.Module<Tensor, Tensor>, IColorizer
{
    /// <summary>The head's resolution is the input's divided by this.</summary>
    public const int OutputStride = 4;

    private readonly Sequential model1, model2, model3, model4, model5, model6, model7, model8;

    public Eccv16Head head { get; }
    public double width { get; }
    public AbGamut gamut { get; }

    /// <summary>T of the annealed mean used by <see cref="colorize"/> (classification only).</summary>
    public double temperature { get; set; }

    /// <param name="head">Bin logits (the paper) or ab regression.</param>
    /// <param name="width">Channel multiplier on the paper's widths (1 = 64…512; 1/8 = 8…64).</param>
    /// <param name="gamut">The ab bins (classification); null is <see cref="AbGamut.Srgb"/>, 261 bins.</param>
    /// <param name="temperature">The annealed mean's T (the paper's 0.38).</param>
    public Eccv16(Eccv16Head head = Eccv16Head.Classification, double width = 1, AbGamut? gamut = null, double temperature = AnnealedMean.Temperature)
        : base(nameof(Eccv16))
    {
        if (!(width > 0)) throw new ArgumentOutOfRangeException(nameof(width), width, "ECCV16's width multiplier must be positive (1 = the paper's 64…512 channels)");
        (this.head, this.width, this.temperature) = (head, width, temperature);
        this.gamut = gamut ?? AbGamut.Srgb;
        long C(int paper) => Math.Max(1, (long)Math.Round(paper * width));
        var (c1, c2, c3, c4) = (C(64), C(128), C(256), C(512));
        model1 = register_module("model1", Block(1, c1, 2, stride: 2));
        model2 = register_module("model2", Block(c1, c2, 2, stride: 2));
        model3 = register_module("model3", Block(c2, c3, 3, stride: 2));
        model4 = register_module("model4", Block(c3, c4, 3));
        model5 = register_module("model5", Block(c4, c4, 3, dilation: 2));
        model6 = register_module("model6", Block(c4, c4, 3, dilation: 2));
        model7 = register_module("model7", Block(c4, c4, 3));
        var outputs = head == Eccv16Head.Classification ? this.gamut.count : 2;
        model8 = register_module("model8", nn.Sequential(
            nn.ConvTranspose2d(c4, c3, 4, stride: 2, padding: 1), nn.ReLU(),
            nn.Conv2d(c3, c3, 3, padding: 1), nn.ReLU(),
            nn.Conv2d(c3, c3, 3, padding: 1), nn.ReLU(),
            nn.Conv2d(c3, outputs, 1)));
    }

    /// <summary>n convs (3×3, ReLU), the last one with the given stride, all with the given dilation, then BatchNorm.</summary>
    private static Sequential Block(long cin, long cout, int n, int stride = 1, int dilation = 1)
    {
        var layers = new List<nn.Module<Tensor, Tensor>>();
        for (var i = 0; i < n; i++)
        {
            layers.Add(nn.Conv2d(i == 0 ? cin : cout, cout, 3, stride: i == n - 1 ? stride : 1, padding: dilation, dilation: dilation));
            layers.Add(nn.ReLU());
        }
        layers.Add(nn.BatchNorm2d(cout));
        return nn.Sequential(layers.ToArray());
    }

    /// <summary>
    /// L (N×1×H×W) → the head at H/4×W/4: logits N×Q×H/4×W/4 (classification) or ab N×2×H/4×W/4 in [−1, 1] (regression).
    /// </summary>
    public override Tensor forward(Tensor L)
    {
        var s = L.shape;
        if (s.Length != 4 || s[1] != 1 || s[2] % 8 != 0 || s[3] % 8 != 0)
            throw new ArgumentException($"ECCV16 needs L as N×1×H×W with H and W multiples of 8 (three stride-2 convs, one ×2 up); got [{string.Join(", ", s)}]");
        using var scope = NewDisposeScope();
        var x = model8.call(model7.call(model6.call(model5.call(model4.call(model3.call(model2.call(model1.call(L))))))));
        return (head == Eccv16Head.Regression ? x.tanh() : x).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The head's output (from <see cref="forward"/>) → ab at 4× its size (N×2×H×W, network scale): the annealed
    /// mean (classification) or the ab as they are (regression), upsampled bilinearly as the authors' release does.
    /// Differentiable, so a loss on full-size ab (VGG content, a discriminator) can train the regression head.
    /// </summary>
    public Tensor to_ab(Tensor output)
    {
        using var scope = NewDisposeScope();
        var ab = head == Eccv16Head.Classification ? AnnealedMean.decode(output, gamut, temperature) : output;
        return F.interpolate(ab, scale_factor: OutputStride, mode: nn.UpsampleMode.Bilinear, align_corners: false).MoveToOuterDisposeScope();
    }

    /// <summary>L (N×1×H×W) → ab (N×2×H×W, network scale): <see cref="forward"/> then <see cref="to_ab"/>.</summary>
    public Tensor colorize(Tensor L)
    {
        using var scope = NewDisposeScope();
        return to_ab(forward(L)).MoveToOuterDisposeScope();
    }
}
