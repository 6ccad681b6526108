using Lib.Data;
using Lib.Pipelines;
using Lib.Plots;
using Lib.Torch;

namespace Lib.Training;

/// <summary>
/// A trainer of any task, without its config's type: what the one run recipe (<see cref="TrainingRun"/>), the
/// command line and the notebooks need. Every <see cref="GanTrainer{TConfig}"/> is one.
/// </summary>
public interface ITrainer : IDisposable
{
    RunConfig Config { get; }

    /// <summary>The task this trainer trains (its name, pair transform, stage).</summary>
    TrainingTask Task { get; }
    string OutputDir { get; }
    Device Device { get; }
    torch.nn.Module<Tensor, Tensor> Generator { get; }
    torch.nn.Module? Discriminator { get; }

    /// <summary>The generator as a stage (not owning it): the one place its inference runs.</summary>
    GeneratorStage Inference { get; }
    LossHistory Steps { get; }
    LossHistory Epochs { get; }
    int EpochsDone { get; }
    long StepsDone { get; }
    double TrainSeconds { get; }
    double BestValue { get; }
    long BestStep { get; }
    StopReason? StoppedBy { get; }
    string LastCheckpoint { get; }
    string BestCheckpoint { get; }

    /// <summary>The budget marks reached so far (<see cref="RunConfig.BudgetMarks"/>) and their checkpoints.</summary>
    IReadOnlyList<(double minutes, string checkpoint)> MarksReached { get; }

    /// <summary>Why a content loss runs in a fallback form (no VGG19 weights, say); null when it runs as configured or is not used.</summary>
    string? ContentFallbackReason { get; }

    bool TryResume(TextWriter? log = null);

    /// <summary>Loads the best checkpoint's weights into the models (for evaluation); the run's position is unchanged.</summary>
    void LoadBest();
    StopReason Fit(BatchLoader train, BatchLoader val, TextWriter? log = null, CancellationToken cancel = default);
    IReadOnlyDictionary<string, double> Validate(BatchLoader val);
    ImageGrid SampleGrid(Tensor input, Tensor target);

    /// <summary>The generator's output for a network-scale input (eval mode, no autograd, on the input's device).</summary>
    Tensor Predict(Tensor input);
}
