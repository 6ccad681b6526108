using Lib.Torch;
using Lib.Torch.Modules;
using static Lib.Torch.torch;

namespace Lib.Models;

/// <summary>
/// The course report's discriminator: 4×4 stride-2 conv blocks with LeakyReLU(0.2) and BatchNorm
/// (none on the first), a final 4×4 conv to one channel averaged over positions, and a sigmoid: one
/// probability per image that the (L, ab) pair is real. Conditional: it sees L concatenated with ab.
/// </summary>
public sealed class ReportDiscriminator : nn.Module<Tensor, Tensor>, IConditionalDiscriminator
{
    private readonly Sequential _features;
    private readonly Conv2d _score;

    public ReportDiscriminator(long in_channels = 3, long width = 64, int blocks = 4) : base(nameof(ReportDiscriminator))
    {
        var layers = new List<nn.Module<Tensor, Tensor>>();
        long cin = in_channels, cout = width;
        for (var i = 0; i < blocks; i++)
        {
            layers.Add(nn.Conv2d(cin, cout, 4, stride: 2, padding: 1, bias: i == 0));
            layers.Add(nn.LeakyReLU(0.2));
            if (i > 0) layers.Add(nn.BatchNorm2d(cout));
            (cin, cout) = (cout, Math.Min(cout * 2, width * 8));
        }
        _features = register_module("features", nn.Sequential(layers.ToArray()));
        _score = register_module("score", nn.Conv2d(cin, 1, 3, padding: 1));
        Pix2PixInit.Apply(this);
    }

    public bool OutputsProbability => true;

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var logits = _score.call(_features.call(input)).mean([1, 2, 3]);
        return logits.sigmoid().MoveToOuterDisposeScope();
    }

    public Tensor call(Tensor condition, Tensor image)
    {
        using var pair = cat([condition, image], 1);
        return forward(pair);
    }
}
