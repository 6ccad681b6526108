using Lib.Torch;
using Lib.Torch.Modules;
using static Lib.Torch.torch;

namespace Lib.Models;

/// <summary>
/// SRGAN's discriminator (Ledig et al. 2017): 8 conv 3×3 blocks from 64 to 512 channels with strides
/// alternating 1 and 2 (BatchNorm on all but the first, LeakyReLU 0.2), then Dense 1024, LeakyReLU,
/// Dense 1. Returns logits (one per image); apply a sigmoid for the report's probability. The dense
/// layer's input depends on the image size: 256-pixel HR images reach 16×16×512.
/// </summary>
public sealed class SRGANDiscriminator : nn.Module<Tensor, Tensor>
{
    private readonly Sequential features, classifier;
    public int image_size { get; }

    public SRGANDiscriminator(int image_size = 256, long channels = 64, long image_channels = 3) : base(nameof(SRGANDiscriminator))
    {
        if (image_size % 16 != 0) throw new ArgumentOutOfRangeException(nameof(image_size), image_size, "the four stride-2 blocks need an image size divisible by 16");
        this.image_size = image_size;
        var layers = new List<nn.Module<Tensor, Tensor>>();
        long cin = image_channels;
        for (var i = 0; i < 8; i++)
        {
            var cout = channels << (i / 2);
            var stride = i % 2 == 0 ? 1 : 2;
            layers.Add(nn.Conv2d(cin, cout, 3, stride: stride, padding: 1, bias: i == 0));
            if (i > 0) layers.Add(nn.BatchNorm2d(cout));
            layers.Add(nn.LeakyReLU(0.2));
            cin = cout;
        }
        features = register_module("features", nn.Sequential(layers.ToArray()));
        var side = image_size / 16;
        classifier = register_module("classifier", nn.Sequential(
            nn.Flatten(), nn.Linear(cin * side * side, 1024), nn.LeakyReLU(0.2), nn.Linear(1024, 1)));
    }

    public override Tensor forward(Tensor input)
    {
        using var f = features_of(input);
        return classifier.call(f);
    }

    /// <summary>The last conv block's features (for a feature-matching loss).</summary>
    public Tensor features_of(Tensor input)
    {
        if (input.dim() != 4 || input.size(2) != image_size || input.size(3) != image_size)
            throw new ArgumentException($"SRGANDiscriminator was built for {image_size}×{image_size} images; got [{string.Join(", ", input.shape)}] (set image_size)");
        return features.call(input);
    }
}
