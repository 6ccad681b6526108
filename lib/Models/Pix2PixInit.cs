using Lib.Torch;
using Lib.Torch.Modules;
using static Lib.Torch.torch;

namespace Lib.Models;

/// <summary>pix2pix's init_weights("normal", 0.02): conv weights N(0, 0.02), zero biases, BatchNorm weights N(1, 0.02).</summary>
public static class Pix2PixInit
{
    public static void Apply(nn.Module model, double gain = 0.02)
    {
        foreach (var m in model.modules())
            switch (m)
            {
                case Conv2d c:
                    nn.init.normal_(c.weight, 0, gain);
                    if (c.bias is not null) nn.init.zeros_(c.bias);
                    break;
                case ConvTranspose2d c:
                    nn.init.normal_(c.weight, 0, gain);
                    if (c.bias is not null) nn.init.zeros_(c.bias);
                    break;
                case Linear l:
                    nn.init.normal_(l.weight, 0, gain);
                    if (l.bias is not null) nn.init.zeros_(l.bias);
                    break;
                case BatchNorm2d b when b.weight is not null:
                    nn.init.normal_(b.weight, 1, gain);
                    nn.init.zeros_(b.bias!);
                    break;
            }
    }
}
