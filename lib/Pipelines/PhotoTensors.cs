using Lib.Imaging;
using Lib.Torch;
using static Lib.Torch.torch;

namespace Lib.Pipelines;

/// <summary>
/// Decoded photos (uint8 C×H×W, as <see cref="Image.read"/> gives them) to and from what stages take
/// (<see cref="ImageKind"/>: 1×1×H×W lightness or 1×3×H×W sRGB in [0, 1]). The color conversions run in row
/// strips, so a 12-megapixel photo does not need a dozen full-size float temporaries at once.
/// </summary>
public static class PhotoTensors
{
    private const int StripRows = 256;

    /// <summary>A decoded photo (1–4 channels; alpha is dropped) as a stage's input of the given kind.</summary>
    public static Tensor to_stage_input(Tensor image, ImageKind kind)
    {
        if (image.dim() != 3 || image.size(0) is < 1 or > 4)
            throw new ArgumentException($"a decoded photo is C×H×W with 1–4 channels; got [{string.Join(", ", image.shape)}]", nameof(image));
        var color = image.size(0) >= 3;
        var (h, w) = (image.size(1), image.size(2));
        if (kind == ImageKind.Color)
        {
            using var scope = NewDisposeScope();
            var rgb = color ? image.narrow(0, 0, 3) : image.narrow(0, 0, 1).expand(3, h, w);
            return rgb.to(ScalarType.Float32).div_(255).unsqueeze(0).MoveToOuterDisposeScope();
        }
        var l = empty([1, 1, h, w]);
        for (long top = 0; top < h; top += StripRows)
        {
            using var scope = NewDisposeScope();
            var rows = Math.Min(StripRows, h - top);
            var strip = image.narrow(1, top, rows);
            var rgb = color ? strip.narrow(0, 0, 3) : strip.narrow(0, 0, 1).expand(3, rows, w);
            l.narrow(2, top, rows).copy_(Lab.lightness(rgb.to(ScalarType.Float32).div_(255).unsqueeze(0)));
        }
        return l;
    }

    /// <summary>
    /// A stage's output (1×C×H×W of the given kind) as the uint8 C×H×W image to write: RGB, or one channel holding the gray
    /// photo's sRGB value for lightness; rounded as <see cref="Image.write_png"/> rounds floats, strip by strip, so the
    /// encoder gets bytes rather than three full-size float temporaries.
    /// </summary>
    public static Tensor to_image(Tensor output, ImageKind kind)
    {
        if (output.dim() != 4 || output.size(0) != 1)
            throw new ArgumentException($"one stage output 1×C×H×W is written at a time; got [{string.Join(", ", output.shape)}]", nameof(output));
        var (h, w) = (output.size(2), output.size(3));
        var image = empty([kind == ImageKind.Color ? 3 : 1, h, w], ScalarType.Byte);
        for (long top = 0; top < h; top += StripRows)
        {
            using var scope = NewDisposeScope();
            var rows = Math.Min(StripRows, h - top);
            var strip = output.narrow(2, top, rows);
            var values = kind == ImageKind.Color ? strip.squeeze(0) : Lab.gray_to_rgb(strip).narrow(1, 0, 1).squeeze(0);
            image.narrow(1, top, rows).copy_(values.to(ScalarType.Float32).clamp(0, 1).mul_(255).round().to(ScalarType.Byte));
        }
        return image;
    }
}
