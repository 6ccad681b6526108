using Lib.Torch;
using Lib.Torch.Modules;
using static Lib.Torch.torch;

namespace Lib.Models;

/// <summary>
/// The course report's colorization generator: a small U-Net with 3 down steps (3×3 conv + ReLU, then
/// 2×2 max-pool), a 3×3 conv bottleneck, 3 up steps (2×2 stride-2 transposed conv + ReLU, then
/// concatenation with the matching down features) and a 1×1 conv with tanh to the output channels.
/// </summary>
public sealed class ReportUnet : nn.Module<Tensor, Tensor>
{
    private readonly ModuleList<Sequential> _down;
    private readonly Sequential _bottleneck;
    private readonly ModuleList<Sequential> _up;
    private readonly Sequential _head;
    private readonly MaxPool2d _pool = nn.MaxPool2d(2);

    /// <param name="tanh">False: the head's 1×1 conv is left linear (logits for a classification head, see <see cref="UnetClassifier"/>).</param>
    public ReportUnet(long in_channels = 1, long out_channels = 2, long width = 64, bool tanh = true) : base(nameof(ReportUnet))
    {
        long[] ch = [width, width * 2, width * 4];
        _down = register_module("down", new ModuleList<Sequential>(
            nn.Sequential(nn.Conv2d(in_channels, ch[0], 3, padding: 1), nn.ReLU()),
            nn.Sequential(nn.Conv2d(ch[0], ch[1], 3, padding: 1), nn.ReLU()),
            nn.Sequential(nn.Conv2d(ch[1], ch[2], 3, padding: 1), nn.ReLU())));
        _bottleneck = register_module("bottleneck", nn.Sequential(nn.Conv2d(ch[2], width * 8, 3, padding: 1), nn.ReLU()));
        _up = register_module("up", new ModuleList<Sequential>(
            nn.Sequential(nn.ConvTranspose2d(width * 8, ch[2], 2, stride: 2), nn.ReLU()),
            nn.Sequential(nn.ConvTranspose2d(ch[2] * 2, ch[1], 2, stride: 2), nn.ReLU()),
            nn.Sequential(nn.ConvTranspose2d(ch[1] * 2, ch[0], 2, stride: 2), nn.ReLU())));
        _head = register_module("head", tanh ? nn.Sequential(nn.Conv2d(ch[0] * 2, out_channels, 1), nn.Tanh()) : nn.Sequential(nn.Conv2d(ch[0] * 2, out_channels, 1)));
    }

    public override Tensor forward(Tensor input)
    {
        var s = input.shape;
        if (s.Length != 4 || s[2] % 8 != 0 || s[3] % 8 != 0)
            throw new ArgumentException($"ReportUnet needs N×C×H×W input with H and W multiples of 8 (three 2× poolings); got [{string.Join(", ", s)}]");
        using var scope = NewDisposeScope();
        // Activations are freed as soon as the next layer has them (autograd keeps what it needs).
        var skips = new Tensor[3];
        var x = input;
        for (var i = 0; i < 3; i++)
        {
            skips[i] = _down[i].call(x);
            if (i > 0) x.Dispose();
            x = _pool.call(skips[i]);
        }
        var bottom = _bottleneck.call(x);
        x.Dispose();
        x = bottom;
        for (var i = 0; i < 3; i++)
        {
            using var up = _up[i].call(x);
            x.Dispose();
            x = cat([up, skips[2 - i]], 1);
            skips[2 - i].Dispose();
        }
        var y = _head.call(x);
        x.Dispose();
        return y.MoveToOuterDisposeScope();
    }
}
