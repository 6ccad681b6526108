using Lib.Torch;
using static Lib.Torch.torch;
using F = Lib.Torch.torch.nn.functional;

namespace Lib.Imaging;

/// <summary>
/// Bicubic resizing as the SR benchmarks do it (MATLAB's imresize): the a = −0.5 cubic kernel,
/// widened by the scale when shrinking (antialiasing). libtorch's antialiased bicubic path uses
/// that kernel for both directions (its plain bicubic uses a = −0.75, like OpenCV), so it is used
/// for upscaling too. Borders differ slightly from MATLAB (weights are renormalized instead of mirrored).
/// </summary>
public static class Resize
{
    /// <summary>N×C×H×W (or C×H×W) floats resized to height × width.</summary>
    public static Tensor bicubic(Tensor images, long height, long width)
    {
        var batched = images.dim() == 4;
        using var x = batched ? images.alias() : images.unsqueeze(0);
        using var y = F.interpolate(x, (height, width), mode: nn.UpsampleMode.Bicubic, align_corners: false, antialias: true);
        return batched ? y.alias() : y.squeeze(0);
    }

    /// <summary>Resizes by a factor (0.25 makes a ×4 SR input).</summary>
    public static Tensor bicubic(Tensor images, double factor)
    {
        var (h, w) = (images.size(-2), images.size(-1));
        return bicubic(images, (long)Math.Round(h * factor), (long)Math.Round(w * factor));
    }

    /// <summary>Crops height and width down to multiples of <paramref name="scale"/> (the benchmarks' "modcrop").</summary>
    public static Tensor modcrop(Tensor images, int scale)
    {
        var d = images.dim();
        var (h, w) = (images.size(d - 2), images.size(d - 1));
        return images.narrow(d - 2, 0, h - h % scale).narrow(d - 1, 0, w - w % scale);
    }
}
