using Lib.Pipelines;
using Lib.Training;
using static Lib.Torch.torch;

namespace Lib.Tests;

/// <summary>Freshly initialized generators as stages on the CPU (seeded), disposed with the test class that made them.</summary>
public abstract class UntrainedStages(int seed) : IDisposable
{
    private readonly List<IDisposable> _owned = [];

    protected Stage Untrained(RunConfig config, string name)
    {
        manual_seed(seed);
        var g = config.CreateGenerator();
        _owned.Add(g);
        return new GeneratorStage(g, TrainingTasks.Of(config).IO(config), CPU, name);
    }

    public void Dispose()
    {
        foreach (var d in _owned) d.Dispose();
        GC.SuppressFinalize(this);
    }
}
