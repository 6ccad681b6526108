using Lib.Imaging;
using Lib.Torch;

namespace Lib.Pipelines;

/// <summary>Bicubic ×scale (<see cref="Resize.bicubic(Tensor, long, long)"/>): the baseline every upscaler must beat.</summary>
public sealed class BicubicStage(int scale, ImageKind kind) : Stage
{
    public override string Name => $"bicubic ×{scale}";
    public override ImageKind Input => kind;
    public override ImageKind Output => kind;
    public override int Scale => scale;

    protected override Tensor Forward(Tensor images) => Resize.bicubic(images, images.size(2) * scale, images.size(3) * scale);
}
