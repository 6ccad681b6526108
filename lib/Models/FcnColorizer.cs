using Lib.Torch;
using Lib.Torch.Modules;
using static Lib.Torch.torch;

namespace Lib.Models;

/// <summary>
/// A small fully convolutional U-Net for the coarse-to-fine colorizer's scales, which go down to a few pixels
/// where pix2pix's U-Net (at least 5 levels: 32 px) cannot run. <c>inc</c>: conv 3×3 – BatchNorm – ReLU;
/// <see cref="depth"/> down levels of a stride-2 conv block and a conv block, channels doubling; up levels of a
/// 4×4 stride-2 transposed conv – BatchNorm – ReLU, concatenated with the matching skip and fused by a conv
/// block; a 1×1 conv and tanh (ab / 110). Convs before a BatchNorm have no bias. Runs at any size that is a
/// multiple of <see cref="stride"/> = 2^depth.
/// </summary>
public sealed class FcnColorizer : nn.Module<Tensor, Tensor>
{
    private readonly Sequential inc;
    private readonly ModuleList<Sequential> down, up, fuse;
    private readonly Conv2d @out;

    public int depth { get; }
    public int stride => 1 << depth;

    /// <param name="in_channels">3 for the coarse-to-fine input (L ++ the previous ab).</param>
    /// <param name="out_channels">2: ab.</param>
    /// <param name="channels">Channels at full resolution, doubled per level.</param>
    /// <param name="depth">Down/up levels.</param>
    public FcnColorizer(long in_channels = 3, long out_channels = 2, long channels = 32, int depth = 2) : base(nameof(FcnColorizer))
    {
        if (depth < 0) throw new ArgumentOutOfRangeException(nameof(depth), depth, "depth counts the stride-2 levels: 0 or more");
        this.depth = depth;
        var ch = Enumerable.Range(0, depth + 1).Select(i => channels << i).ToArray();
        inc = register_module("inc", nn.Sequential(Block(in_channels, ch[0])));
        down = register_module("down", new ModuleList<Sequential>());
        up = register_module("up", new ModuleList<Sequential>());
        fuse = register_module("fuse", new ModuleList<Sequential>());
        for (var i = 0; i < depth; i++) down.append(nn.Sequential([.. Block(ch[i], ch[i + 1], 2), .. Block(ch[i + 1], ch[i + 1])]));
        for (var i = depth - 1; i >= 0; i--)
        {
            up.append(nn.Sequential(nn.ConvTranspose2d(ch[i + 1], ch[i], 4, stride: 2, padding: 1, bias: false), nn.BatchNorm2d(ch[i]), nn.ReLU()));
            fuse.append(nn.Sequential(Block(2 * ch[i], ch[i])));
        }
        @out = register_module("out", nn.Conv2d(ch[0], out_channels, 1));
    }

    private static nn.Module<Tensor, Tensor>[] Block(long cin, long cout, int stride = 1) =>
        [nn.Conv2d(cin, cout, 3, stride: stride, padding: 1, bias: false), nn.BatchNorm2d(cout), nn.ReLU()];

    public override Tensor forward(Tensor input)
    {
        var s = input.shape;
        if (s.Length != 4 || s[2] % stride != 0 || s[3] % stride != 0)
            throw new ArgumentException($"FcnColorizer with depth {depth} needs N×C×H×W input with H and W multiples of {stride}; got [{string.Join(", ", s)}]");
        using var scope = NewDisposeScope();
        var skips = new List<Tensor> { inc.call(input) };
        for (var i = 0; i < depth; i++) skips.Add(down[i].call(skips[^1]));
        var y = skips[^1];
        for (var j = 0; j < depth; j++) y = fuse[j].call(cat([skips[depth - 1 - j], up[j].call(y)], 1));
        return @out.call(y).tanh().MoveToOuterDisposeScope();
    }
}
