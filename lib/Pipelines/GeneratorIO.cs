using Lib.Imaging;
using Lib.Torch;

namespace Lib.Pipelines;

/// <summary>
/// How a generator's network meets the images a stage passes on: what kinds it takes and gives, how much larger its
/// output is, and the three steps of one inference — images to the network's scale, the network (a colorizer's
/// annealed mean, say), its output back to images. A task states this once (its <c>TrainingTask.IO</c>); the stage and
/// the task's trainer both run it (<see cref="GeneratorStage"/>), so inference is written in one place.
/// </summary>
public sealed record GeneratorIO(ImageKind Input, ImageKind Output, int Scale = 1, int SizeMultiple = 1)
{
    /// <summary>Images in [0, 1] of the <see cref="Input"/> kind → the network's input (default: unchanged).</summary>
    public Func<Tensor, Tensor> ToNetwork { get; init; } = images => images.alias();

    /// <summary>The network on its input (default: the module's forward).</summary>
    public Func<torch.nn.Module<Tensor, Tensor>, Tensor, Tensor> Generate { get; init; } = (generator, x) => generator.call(x);

    /// <summary>(the stage's input images, the network's output) → images of the <see cref="Output"/> kind (default: the output).</summary>
    public Func<Tensor, Tensor, Tensor> FromNetwork { get; init; } = (_, y) => y.alias();

    /// <summary>
    /// For a colorizer: (input images, network output) → the predicted a, b in CIE units, N×2×H×W — what a full-resolution
    /// colorizer recombines with the photo's own L, without an RGB round trip (null: taken from the RGB output).
    /// </summary>
    public Func<Tensor, Tensor, Tensor>? Chroma { get; init; }
}
