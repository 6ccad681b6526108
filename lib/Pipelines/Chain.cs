using Lib.Imaging;
using Lib.Torch;

namespace Lib.Pipelines;

/// <summary>Two stages in sequence: the output of the first is the input of the second.</summary>
public sealed class Chain : Stage
{
    public Stage First { get; }
    public Stage Second { get; }

    public Chain(Stage first, Stage second)
    {
        if (first.Output != second.Input)
            throw new ArgumentException($"{first.Name} gives {first.Output.ToString().ToLowerInvariant()} images but {second.Name} takes {second.Input.ToString().ToLowerInvariant()} ones");
        (First, Second) = (first, second);
    }

    public override string Name => $"{First.Name} → {Second.Name}";
    public override ImageKind Input => First.Input;
    public override ImageKind Output => Second.Output;
    public override int Scale => First.Scale * Second.Scale;

    /// <summary>Each stage pads and crops for itself.</summary>
    protected override Tensor Forward(Tensor images)
    {
        using var middle = First.call(images);
        return Second.call(middle);
    }

    /// <summary>Disposes both stages.</summary>
    public override void Dispose()
    {
        First.Dispose();
        Second.Dispose();
        base.Dispose();
    }
}
