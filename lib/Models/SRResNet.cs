using Lib.Imaging;
using Lib.Torch;
using Lib.Torch.Modules;
using static Lib.Torch.torch;

namespace Lib.Models;

/// <summary>
/// SRGAN's generator (Ledig et al. 2017), SRResNet: a 9×9 conv + PReLU, B residual blocks
/// (conv 3×3 – BatchNorm – PReLU – conv 3×3 – BatchNorm, plus the skip), a conv 3×3 + BatchNorm
/// added to the first features, log2(scale) upsampling blocks (conv 3×3 to 4× channels –
/// PixelShuffle ×2 – PReLU) and a 9×9 conv to RGB; the course report ends with a sigmoid.
/// With <c>bicubic_skip</c> the output is bicubic(input) + that network, whose last conv starts at zero:
/// the untrained model is exactly the bicubic baseline and training learns only the missing detail
/// (global residual learning, Kim et al. 2016, VDSR) — what lets a small net beat bicubic in minutes on a CPU.
/// </summary>
public sealed class SRResNet : nn.Module<Tensor, Tensor>
{
    private sealed class ResidualBlock : nn.Module<Tensor, Tensor>
    {
        private readonly Sequential body;

        public ResidualBlock(long channels) : base(nameof(ResidualBlock)) =>
            body = register_module("body", nn.Sequential(
                nn.Conv2d(channels, channels, 3, padding: 1), nn.BatchNorm2d(channels), nn.PReLU(),
                nn.Conv2d(channels, channels, 3, padding: 1), nn.BatchNorm2d(channels)));

        public override Tensor forward(Tensor x)
        {
            using var r = body.call(x);
            return x + r;
        }
    }

    private readonly Sequential head, residuals, bridge, upsample, tail;
    public int scale { get; }
    public bool sigmoid_output { get; }
    public bool bicubic_skip { get; }
    public long image_channels { get; }

    /// <param name="scale">Upscaling factor: 2, 4 or 8 (one PixelShuffle ×2 block per factor of 2).</param>
    /// <param name="num_blocks">Residual blocks (16 in SRGAN).</param>
    /// <param name="channels">Feature channels (64 in SRGAN).</param>
    /// <param name="sigmoid_output">The report's sigmoid on the output (images in [0, 1]); false gives SRGAN's linear output.</param>
    /// <param name="bicubic_skip">Add the bicubic upscaling of the input to the output (linear output only).</param>
    /// <param name="image_channels">3 for RGB; 1 for a gray (lightness) upscaler.</param>
    public SRResNet(int scale = 4, int num_blocks = 16, long channels = 64, bool sigmoid_output = true, bool bicubic_skip = false, long image_channels = 3) : base(nameof(SRResNet))
    {
        if (scale is not (2 or 4 or 8)) throw new ArgumentOutOfRangeException(nameof(scale), scale, "SRResNet upsamples by 2, 4 or 8 (PixelShuffle ×2 blocks)");
        if (sigmoid_output && bicubic_skip)
            throw new ArgumentException("bicubic_skip adds the network's output to a bicubic image, so the output cannot also go through a sigmoid: set sigmoid_output to false (SigmoidOutput in the config)", nameof(bicubic_skip));
        this.scale = scale;
        this.sigmoid_output = sigmoid_output;
        this.bicubic_skip = bicubic_skip;
        this.image_channels = image_channels;
        head = register_module("head", nn.Sequential(nn.Conv2d(image_channels, channels, 9, padding: 4), nn.PReLU()));
        residuals = register_module("residuals", nn.Sequential(Enumerable.Range(0, num_blocks).Select(_ => (nn.Module<Tensor, Tensor>)new ResidualBlock(channels)).ToArray()));
        bridge = register_module("bridge", nn.Sequential(nn.Conv2d(channels, channels, 3, padding: 1), nn.BatchNorm2d(channels)));
        var ups = new List<nn.Module<Tensor, Tensor>>();
        for (var s = scale; s > 1; s /= 2)
        {
            ups.Add(nn.Conv2d(channels, channels * 4, 3, padding: 1));
            ups.Add(nn.PixelShuffle(2));
            ups.Add(nn.PReLU());
        }
        upsample = register_module("upsample", nn.Sequential(ups.ToArray()));
        var last = nn.Conv2d(channels, image_channels, 9, padding: 4);
        tail = register_module("tail", nn.Sequential(last));
        if (bicubic_skip)
        {
            nn.init.zeros_(last.weight);
            nn.init.zeros_(last.bias!);
        }
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var features = head.call(input);
        Tensor x, y;
        using (var r = residuals.call(features))
        using (var b = bridge.call(r))
            x = b + features;
        features.Dispose();
        using (var u = upsample.call(x)) y = tail.call(u);
        x.Dispose();
        if (bicubic_skip) y = y + Resize.bicubic(input, y.size(2), y.size(3));
        return (sigmoid_output ? y.sigmoid() : y).MoveToOuterDisposeScope();
    }
}
