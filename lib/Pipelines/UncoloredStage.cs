using Lib.Imaging;
using Lib.Torch;

namespace Lib.Pipelines;

/// <summary>The gray photo itself as a color image (a = b = 0): the baseline every colorizer must beat.</summary>
public sealed class UncoloredStage : Stage
{
    public override string Name => "gray (ab = 0)";
    public override ImageKind Input => ImageKind.Gray;
    public override ImageKind Output => ImageKind.Color;
    public override int Scale => 1;

    protected override Tensor Forward(Tensor images) => Lab.gray_to_rgb(images);
}
