using static Lib.Torch.torch;
using F = Lib.Torch.torch.nn.functional;

namespace Lib.Torch.Modules;

/// <summary>Resizes by a factor or to a size (nn.Upsample).</summary>
public sealed class Upsample : nn.Module<Tensor, Tensor>
{
    private readonly (long, long)? _size;
    private readonly double? _scale;
    private readonly nn.UpsampleMode _mode;
    private readonly bool? _alignCorners;

    public Upsample((long, long)? size = null, double? scale_factor = null, nn.UpsampleMode mode = nn.UpsampleMode.Nearest, bool? align_corners = null)
        : base(nameof(Upsample))
    {
        if (size is null == scale_factor is null) throw new ArgumentException("Upsample needs exactly one of size and scale_factor");
        (_size, _scale, _mode, _alignCorners) = (size, scale_factor, mode, align_corners);
    }

    public override Tensor forward(Tensor input) => F.interpolate(input, _size, _scale, _mode, _alignCorners);
    protected override string ExtraRepr() => (_scale is { } s ? $"scale_factor={s}" : $"size={_size}") + $", mode='{_mode.ToString().ToLowerInvariant()}'";
}

/// <summary>Rearranges C·r²×H×W into C×rH×rW (ESPCN sub-pixel upsampling, used by SRGAN).</summary>
public sealed class PixelShuffle(long upscale_factor) : nn.Module<Tensor, Tensor>(nameof(PixelShuffle))
{
    public override Tensor forward(Tensor input) => F.pixel_shuffle(input, upscale_factor);
    protected override string ExtraRepr() => $"upscale_factor={upscale_factor}";
}
