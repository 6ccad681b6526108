using Lib.Imaging;
using Lib.Pipelines;
using Lib.Torch;

namespace Lib.Evaluation;

/// <summary>
/// Something to evaluate: a name, what it takes and gives (gray L / 100 or RGB, N×C×H×W in [0, 1]) and the
/// function itself — a stage, a trainer's method, a lambda. Stages convert implicitly.
/// </summary>
public sealed record Method(string Name, ImageKind Input, ImageKind Output, Func<Tensor, Tensor> Run)
{
    public static implicit operator Method(Stage stage) => new(stage.Name, stage.Input, stage.Output, stage.call);

    /// <summary>A stage under another name.</summary>
    public static Method Of(Stage stage, string name) => new(name, stage.Input, stage.Output, stage.call);
}
