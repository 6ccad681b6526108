using Lib.Torch;
using Lib.Torch.Modules;
using static Lib.Torch.torch;
using F = Lib.Torch.torch.nn.functional;

namespace Lib.Models;

/// <summary>
/// pix2pix's U-Net generator (Isola et al. 2017, and their UnetGenerator code): num_downs 4×4
/// stride-2 convolutions halve the image down to 1×1 (so a 64-pixel input needs 6, 256 needs 8);
/// transposed convolutions come back up, each concatenating the matching down level. BatchNorm
/// everywhere except the outermost and innermost convs; LeakyReLU(0.2) down, ReLU up, dropout 0.5
/// in the up blocks of the innermost ngf·8 levels (all but the very innermost), Tanh output.
/// The skip carries the LeakyReLU-activated features, as pix2pix's in-place activation does.
/// </summary>
public sealed class UnetGenerator : nn.Module<Tensor, Tensor>
{
    private readonly ModuleList<Sequential> _down;
    private readonly ModuleList<Sequential> _up;
    public int num_downs { get; }

    /// <param name="in_channels">1 for L.</param>
    /// <param name="out_channels">2 for ab.</param>
    /// <param name="num_downs">Levels: log2 of the image side (64 px: 6, 256 px: 8).</param>
    /// <param name="ngf">Filters of the outermost level (pix2pix: 64).</param>
    /// <param name="use_dropout">pix2pix's dropout 0.5 in the intermediate ngf·8 up blocks.</param>
    /// <param name="tanh_output">pix2pix's Tanh on the output; false leaves it linear (features for a further network, as in <see cref="JointGenerator"/>).</param>
    public UnetGenerator(long in_channels = 1, long out_channels = 2, int num_downs = 6, long ngf = 64, bool use_dropout = true, bool tanh_output = true)
        : base(nameof(UnetGenerator))
    {
        if (num_downs < 5)
            throw new ArgumentOutOfRangeException(nameof(num_downs), num_downs, "pix2pix's U-Net needs at least 5 levels (64 px input: 6, 256 px: 8)");
        this.num_downs = num_downs;
        // Channels at each level, outermost first: ngf, 2ngf, 4ngf, then 8ngf down to the bottleneck.
        var ch = new long[num_downs];
        for (var i = 0; i < num_downs; i++) ch[i] = ngf * Math.Min(1L << i, 8);

        _down = register_module("down", new ModuleList<Sequential>());
        _up = register_module("up", new ModuleList<Sequential>());
        for (var i = 0; i < num_downs; i++)
        {
            var cin = i == 0 ? in_channels : ch[i - 1];
            var innermost = i == num_downs - 1;
            var conv = nn.Conv2d(cin, ch[i], 4, stride: 2, padding: 1, bias: false);
            // The input of every level but the first already went through LeakyReLU (see forward).
            _down.append(i == 0 || innermost ? nn.Sequential(conv) : nn.Sequential(conv, nn.BatchNorm2d(ch[i])));
        }
        for (var i = num_downs - 1; i >= 0; i--)
        {
            var innermost = i == num_downs - 1;
            var cin = innermost ? ch[i] : ch[i] * 2;
            if (i == 0)
            {
                var outer = nn.Sequential(nn.ReLU(), nn.ConvTranspose2d(cin, out_channels, 4, stride: 2, padding: 1));
                if (tanh_output) outer.append(nn.Tanh());
                _up.append(outer);
                continue;
            }
            var block = nn.Sequential(nn.ReLU(), nn.ConvTranspose2d(cin, ch[i - 1], 4, stride: 2, padding: 1, bias: false), nn.BatchNorm2d(ch[i - 1]));
            // pix2pix puts dropout in the num_downs-5 intermediate ngf·8 blocks.
            if (use_dropout && !innermost && i >= 4) block.append(nn.Dropout(0.5));
            _up.append(block);
        }
        Pix2PixInit.Apply(this);
    }

    public override Tensor forward(Tensor input)
    {
        var size = input.shape;
        var need = 1L << num_downs;
        if (size.Length != 4 || size[2] % need != 0 || size[3] % need != 0)
            throw new ArgumentException($"UnetGenerator with {num_downs} levels needs N×C×H×W input with H and W multiples of {need}; got [{string.Join(", ", size)}]");
        using var scope = NewDisposeScope();
        // Each activation is freed as soon as the next layer has it (autograd keeps what it needs), so the peak
        // memory is the skips plus two layers', as in PyTorch, not every activation of the pass.
        var skips = new List<Tensor>();
        var x = _down[0].call(input);
        for (var i = 1; i < num_downs; i++)
        {
            var activated = F.leaky_relu(x, 0.2);
            x.Dispose();
            skips.Add(activated);
            x = _down[i].call(activated);
        }
        for (var j = 0; j < num_downs; j++)
        {
            var up = _up[j].call(x);
            x.Dispose();
            x = up;
            if (j == num_downs - 1) break;
            var skip = skips[num_downs - 2 - j];
            x = cat([skip, up], 1);
            up.Dispose();
            skip.Dispose();
        }
        return x.MoveToOuterDisposeScope();
    }
}
