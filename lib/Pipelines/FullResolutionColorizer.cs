using Lib.Imaging;
using Lib.Torch;
using static Lib.Torch.torch;

namespace Lib.Pipelines;

/// <summary>
/// A colorizer for photos of any size that loses no detail: the network sees the photo's lightness resized to a
/// RenderSize square (its working size, or larger, as DeOldify's render_factor), its predicted ab is upsampled
/// to the photo's full size and recombined with the photo's own full-resolution L. Color is low-frequency, so
/// the small prediction suffices; the detail lives in L, which passes through untouched (up to the sRGB gamut
/// clipping of the recombined colors). Lab → RGB runs in row strips, bounding its temporaries.
/// </summary>
public sealed class FullResolutionColorizer : Stage
{
    private const int StripRows = 256;

    public Stage Colorizer { get; }

    /// <summary>The side of the square the network colorizes.</summary>
    public int RenderSize { get; }

    public FullResolutionColorizer(Stage colorizer, int renderSize)
    {
        ArgumentNullException.ThrowIfNull(colorizer);
        if (colorizer.Input != ImageKind.Gray || colorizer.Output != ImageKind.Color || colorizer.Scale != 1)
            throw new ArgumentException($"{colorizer.Name} is not a colorizer (gray → color at the same size): it is {colorizer}", nameof(colorizer));
        if (renderSize < 1) throw new ArgumentOutOfRangeException(nameof(renderSize), renderSize, "the render size must be at least 1 pixel (e.g. the model's working size, 64 or 256)");
        (Colorizer, RenderSize) = (colorizer, renderSize);
    }

    public override string Name => Colorizer.Name;
    public override ImageKind Input => ImageKind.Gray;
    public override ImageKind Output => ImageKind.Color;
    public override int Scale => 1;

    protected override Tensor Forward(Tensor lightness)
    {
        var (n, h, w) = (lightness.size(0), lightness.size(2), lightness.size(3));
        Tensor ab;
        using (NewDisposeScope())
        {
            var small = Resize.bicubic(lightness, RenderSize, RenderSize).clamp_(0, 1);
            ab = Resize.bicubic(Colorizer.PredictAb(small), h, w).MoveToOuterDisposeScope();
        }
        var rgb = empty([n, 3, h, w]);
        for (long top = 0; top < h; top += StripRows)
        {
            using var scope = NewDisposeScope();
            var rows = Math.Min(StripRows, h - top);
            var lab = cat([lightness.narrow(2, top, rows) * 100, ab.narrow(2, top, rows)], 1);
            rgb.narrow(2, top, rows).copy_(Lab.lab_to_rgb(lab));
        }
        ab.Dispose();
        return rgb;
    }

    public override string ToString() => $"{base.ToString()}, colorized at {RenderSize}×{RenderSize} and recombined with the full-resolution L";

    /// <summary>Disposes the colorizer.</summary>
    public override void Dispose()
    {
        Colorizer.Dispose();
        base.Dispose();
    }
}
