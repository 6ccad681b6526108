using Lib.Imaging;
using Lib.Torch;
using Lib.Torch.Modules;
using static Lib.Torch.torch;

namespace Lib.Models;

/// <summary>
/// One generator that colorizes and upscales at once: a gray image (the colorizer's L / 50 − 1) at h×w in,
/// Lab at scale·h × scale·w out, in the colorizer's network scale (L / 50 − 1, ab / 110).
/// A pix2pix U-Net at the input size gives features; its decoder continues with log2(scale) sub-pixel ×2 blocks
/// (conv 3×3 to 4× channels, PixelShuffle, ReLU), as SRGAN upsamples; a 3×3 conv makes 3 channels:
/// a correction to the bicubic-upscaled input L, and ab through a tanh.
/// </summary>
/// <remarks>
/// Why Lab with L as a residual over bicubic: the input already is L, so predicting L afresh would spend
/// capacity re-learning the photo; the residual makes the L half plain super-resolution (global residual
/// learning, as in VDSR and the quick SRResNet), and ab stays the colorizer's target (pix2pix's L1 on ab).
/// The last conv starts at zero, so the untrained model is exactly the "bicubic gray" baseline
/// (bicubic L, a = b = 0), and every step of training is measured against it.
/// </remarks>
public sealed class JointGenerator : nn.Module<Tensor, Tensor>
{
    private readonly UnetGenerator trunk;
    private readonly Sequential upsample, head;
    public int scale { get; }
    public int num_downs { get; }

    /// <param name="num_downs">U-Net levels at the input size (log2 of the input side: 6 for 64 px).</param>
    /// <param name="ngf">U-Net width (pix2pix: 64).</param>
    /// <param name="channels">Feature channels of the upsampling blocks.</param>
    /// <param name="scale">2, 4 or 8.</param>
    public JointGenerator(int num_downs = 6, long ngf = 64, long channels = 64, int scale = 4) : base(nameof(JointGenerator))
    {
        if (scale is not (2 or 4 or 8)) throw new ArgumentOutOfRangeException(nameof(scale), scale, "JointGenerator upsamples by 2, 4 or 8 (sub-pixel ×2 blocks)");
        this.scale = scale;
        this.num_downs = num_downs;
        trunk = register_module("trunk", new UnetGenerator(1, channels, num_downs, ngf, tanh_output: false));
        var ups = new List<nn.Module<Tensor, Tensor>>();
        for (var s = scale; s > 1; s /= 2)
        {
            ups.Add(nn.Conv2d(channels, channels * 4, 3, padding: 1));
            ups.Add(nn.PixelShuffle(2));
            ups.Add(nn.ReLU());
        }
        upsample = register_module("upsample", nn.Sequential(ups.ToArray()));
        var last = nn.Conv2d(channels, 3, 3, padding: 1);
        head = register_module("head", nn.Sequential(last));
        Pix2PixInit.Apply(upsample);
        nn.init.zeros_(last.weight);
        nn.init.zeros_(last.bias!);
    }

    public override Tensor forward(Tensor input)
    {
        if (input.dim() != 4 || input.size(1) != 1)
            throw new ArgumentException($"JointGenerator needs a gray batch N×1×H×W (L / 50 − 1); got [{string.Join(", ", input.shape)}]");
        using var scope = NewDisposeScope();
        var y = head.call(upsample.call(trunk.call(input).relu()));
        var baseL = Resize.bicubic(input, input.size(2) * scale, input.size(3) * scale);
        var l = y.narrow(1, 0, 1) + baseL;
        var ab = y.narrow(1, 1, 2).tanh();
        return cat([l, ab], 1).MoveToOuterDisposeScope();
    }
}
