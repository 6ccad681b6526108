using Lib.Torch;
using Lib.Torch.Modules;
using static Lib.Torch.torch;

namespace Lib.Models;

/// <summary>
/// pix2pix's PatchGAN discriminator (their NLayerDiscriminator): with n_layers = 3 each output logit
/// sees a 70×70 patch. Conv 4×4 stride 2 with LeakyReLU(0.2) and BatchNorm (none on the first),
/// then two stride-1 convs down to one logit per patch. A conditional D gets the condition (L)
/// and the image (ab) concatenated on channels.
/// </summary>
public sealed class PatchDiscriminator : nn.Module<Tensor, Tensor>, IConditionalDiscriminator
{
    private readonly Sequential model;

    public PatchDiscriminator(long in_channels = 3, long ndf = 64, int n_layers = 3) : base(nameof(PatchDiscriminator))
    {
        var layers = new List<nn.Module<Tensor, Tensor>>
        {
            nn.Conv2d(in_channels, ndf, 4, stride: 2, padding: 1),
            nn.LeakyReLU(0.2),
        };
        long mult = 1;
        for (var n = 1; n <= n_layers; n++)
        {
            var prev = mult;
            mult = Math.Min(1L << n, 8);
            layers.Add(nn.Conv2d(ndf * prev, ndf * mult, 4, stride: n < n_layers ? 2 : 1, padding: 1, bias: false));
            layers.Add(nn.BatchNorm2d(ndf * mult));
            layers.Add(nn.LeakyReLU(0.2));
        }
        layers.Add(nn.Conv2d(ndf * mult, 1, 4, stride: 1, padding: 1));
        model = register_module("model", nn.Sequential(layers.ToArray()));
        Pix2PixInit.Apply(this);
    }

    /// <summary>PatchGAN outputs one logit per patch.</summary>
    public bool OutputsProbability => false;

    public override Tensor forward(Tensor input) => model.call(input);

    /// <summary>D(condition, image): concatenates on channels, as a conditional GAN's discriminator sees its pair.</summary>
    public Tensor call(Tensor condition, Tensor image)
    {
        using var pair = cat([condition, image], 1);
        return model.call(pair);
    }
}
