using Lib.Torch.Modules;
using static Lib.Torch.torch;
using F = Lib.Torch.torch.nn.functional;

namespace Lib.Torch.Modules
{
    /// <summary>Resizes by a factor or to a size (nn.Upsample).</summary>
    public sealed class Upsample : nn.Module<Tensor, Tensor>
    {
        private readonly (long, long)? _size;
        private readonly double? _scale;
        private readonly nn.UpsampleMode _mode;
        private readonly bool? _alignCorners;

        public Upsample((long, long)? size, double? scale_factor, nn.UpsampleMode mode, bool? align_corners)
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
}

namespace Lib.Torch
{
    // The factories, spelled as in TorchSharp (torch.nn.Upsample(...)). PyTorch's defaults are stated here only:
    // the constructors above take every argument.
    public static partial class torch
    {
        public static partial class nn
        {
            public static Upsample Upsample((long, long)? size = null, double? scale_factor = null, UpsampleMode mode = UpsampleMode.Nearest, bool? align_corners = null) =>
                new(size, scale_factor, mode, align_corners);

            public static PixelShuffle PixelShuffle(long upscale_factor) => new(upscale_factor);
        }
    }
}
