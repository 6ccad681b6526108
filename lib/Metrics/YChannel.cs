using Lib.Torch;
using static Lib.Torch.torch;

namespace Lib.Metrics;

/// <summary>
/// The luma the SR literature scores on: ITU-R BT.601 Y as MATLAB's rgb2ycbcr computes it,
/// Y = 16 + 65.481·R + 128.553·G + 24.966·B for RGB in [0, 1] (Y in [16, 235]), and the border crop.
/// </summary>
public static class YChannel
{
    /// <summary>N×3×H×W RGB in [0, 1] → N×1×H×W Y on the 0–255 scale (score with data_range 255), float64 for float64 input, else float32.</summary>
    public static Tensor rgb_to_y(Tensor rgb)
    {
        if (rgb.dim() != 4 || rgb.size(1) != 3)
            throw new ArgumentException($"rgb_to_y needs N×3×H×W RGB; got [{string.Join(", ", rgb.shape)}]");
        using var scope = NewDisposeScope();
        // Float32 stays float32 (Y on 0–255 keeps 1e-5 absolute, far below one 8-bit level); float64 stays float64.
        var x = rgb.dtype == ScalarType.Float64 ? rgb : rgb.to(ScalarType.Float32);
        var y = x.narrow(1, 0, 1) * 65.481 + x.narrow(1, 1, 1) * 128.553 + x.narrow(1, 2, 1) * 24.966 + 16;
        return y.MoveToOuterDisposeScope();
    }

    /// <summary>Drops <paramref name="border"/> pixels on every side (the SR convention: the scale factor).</summary>
    public static Tensor crop(Tensor images, int border) =>
        border == 0 ? images.alias() : images.narrow(2, border, images.size(2) - 2 * border).narrow(3, border, images.size(3) - 2 * border);
}
