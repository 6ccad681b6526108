using System.Diagnostics;
using System.Globalization;
using Lib.Data;
using Lib.Pipelines;
using Lib.Plots;
using Lib.Torch;
using Lib.Torch.Optimizers;
using static Lib.Torch.torch;

namespace Lib.Training;

/// <summary>
/// What every training run shares, written once: device and seed, the generator and an optional
/// discriminator with their Adam optimizers and learning-rate schedules, the epoch loop with progress,
/// a wall-clock budget, validation, the best checkpoint by the metric the config names, the last
/// checkpoint and exact resume (also from the middle of an epoch), per-step and per-epoch histories,
/// sample grids, skipping of non-finite losses, and a lock on the output folder.
/// A task (colorization, super-resolution, joint) supplies only its training step, its validation
/// scores and its sample grid — as pix2pix's BaseModel does for its models.
/// </summary>
/// <remarks>
/// Each step's updates go through <see cref="Update"/>: a non-finite loss skips that update and the rest
/// of the step, and the models' buffers (BatchNorm statistics) are put back as they were before the step,
/// so one bad batch leaves no trace. <see cref="RunConfig.MaxNonFiniteSteps"/> such steps in a row stop the
/// run with <see cref="NonFiniteLossException"/>; the last checkpoint is the last good one.
/// </remarks>
public abstract class GanTrainer<TConfig> : ITrainer where TConfig : RunConfig
{
    private readonly LRScheduler _scheduleG;
    private readonly LRScheduler? _scheduleD;
    private Tensor? _sampleInput, _sampleTarget;
    private List<(Tensor live, Tensor saved)>? _buffers;
    private bool _stepSkipped;
    private int _nonFiniteInRow;
    private double _marksCheckedUpTo;

    public TConfig Config { get; }

    RunConfig ITrainer.Config => Config;

    /// <summary>The task of this trainer's config (found by the config's type).</summary>
    public TrainingTask Task { get; }

    /// <summary>The generator as a stage (this trainer disposes the generator): validation, samples and <see cref="Predict"/> infer through it.</summary>
    public GeneratorStage Inference { get; }

    /// <summary>Why a content loss runs in a fallback form (null when it runs as configured, or the task has none).</summary>
    public virtual string? ContentFallbackReason => null;

    /// <summary>The run's folder: config.json, history CSVs, samples/, checkpoints/.</summary>
    public string OutputDir { get; }

    /// <summary>Where the models train (the config's Device setting, resolved).</summary>
    public Device Device { get; }

    public nn.Module<Tensor, Tensor> Generator { get; }

    /// <summary>The moving average of <see cref="Generator"/>'s weights (<see cref="RunConfig.EmaDecay"/>; null without one): what validates, samples and is saved as "G".</summary>
    public nn.Module<Tensor, Tensor>? AverageGenerator { get; }

    /// <summary>The discriminator (null for a run without one, such as SRResNet's MSE training).</summary>
    public nn.Module? Discriminator { get; }

    public Optimizer OptimizerG { get; }
    public Optimizer? OptimizerD { get; }

    /// <summary>One row per training step: "epoch", "step", "seconds" (of training so far), the task's losses, "non_finite".</summary>
    public LossHistory Steps { get; private set; } = new();

    /// <summary>One row per validation: "epoch", "step", "minutes", "lr", mean training losses, validation scores.</summary>
    public LossHistory Epochs { get; private set; } = new();

    /// <summary>Whole epochs done (a resumed run continues from here).</summary>
    public int EpochsDone { get; private set; }

    /// <summary>Steps done in all, and within the current (unfinished) epoch.</summary>
    public long StepsDone { get; private set; }
    public int StepsInEpoch { get; private set; }

    /// <summary>Wall-clock seconds this run has trained, across resumes (what <see cref="RunConfig.MaxMinutes"/> limits).</summary>
    public double TrainSeconds { get; private set; }

    /// <summary>The best value so far of <see cref="RunConfig.BestMetric"/>, and the step it was reached at.</summary>
    public double BestValue { get; private set; } = double.NaN;
    public long BestStep { get; private set; }

    /// <summary>Why the last <see cref="Fit"/> ended (null before one).</summary>
    public StopReason? StoppedBy { get; private set; }

    public string LastCheckpoint => Path.Combine(OutputDir, "checkpoints", "last.safetensors");

    /// <summary>The checkpoint kept when the run had trained <paramref name="minutes"/> (one of <see cref="RunConfig.BudgetMarks"/>).</summary>
    public string MarkCheckpoint(double minutes) => Path.Combine(OutputDir, "checkpoints", $"at_{minutes.ToString("0.###", CultureInfo.InvariantCulture)}min.safetensors");

    /// <summary>The budget marks this run has reached, with their checkpoints (what a budget curve scores).</summary>
    public IReadOnlyList<(double minutes, string checkpoint)> MarksReached =>
        Config.BudgetMarks.Where(m => File.Exists(MarkCheckpoint(m))).Select(m => (m, MarkCheckpoint(m))).ToList();

    public string BestCheckpoint => Path.Combine(OutputDir, "checkpoints", "best.safetensors");

    /// <summary>The names of the scores <see cref="Validate"/> returns; the config's BestMetric must be one of them.</summary>
    public abstract IReadOnlyList<string> ValidationMetrics { get; }

    protected GanTrainer(TConfig config, string outputDir)
    {
        config.Validate();
        Config = config;
        OutputDir = Path.GetFullPath(outputDir);
        if (!ValidationMetrics.Contains(config.BestMetric))
            throw new ArgumentException($"{config.GetType().Name}.BestMetric = \"{config.BestMetric}\" is not a validation score of this task; use one of: {string.Join(", ", ValidationMetrics)}");
        Device = TrainingDevice.Resolve(config.Device);
        manual_seed(config.Seed);
        Task = TrainingTasks.Of(config);
        Generator = config.CreateGenerator();
        Discriminator = CreateDiscriminator();
        Generator.to(Device);
        if (config.EmaDecay is not null)
        {
            AverageGenerator = config.CreateGenerator();
            AverageGenerator.to(Device);
            foreach (var p in AverageGenerator.parameters()) p.requires_grad = false;
            CopyToAverage();
        }
        Inference = new GeneratorStage(AverageGenerator ?? Generator, Task.IO(config), Device, Task.ModelName(config))
        {
            MixedPrecision = config.Precision == Precision.BFloat16,
        };
        Discriminator?.to(Device);
        OptimizerG = optim.Adam(Generator.parameters(), config.Lr, config.Beta1, config.Beta2);
        if (Discriminator is not null) OptimizerD = optim.Adam(Discriminator.parameters(), DiscriminatorLr, config.Beta1, config.Beta2);
        _scheduleG = Schedule(OptimizerG);
        if (OptimizerD is not null) _scheduleD = Schedule(OptimizerD);
    }

    /// <summary>D's learning rate (G's unless the task's config says otherwise).</summary>
    protected virtual double DiscriminatorLr => Config.Lr;

    /// <summary>The task's discriminator, built from the config (null: the run trains G alone).</summary>
    protected abstract nn.Module? CreateDiscriminator();

    /// <summary>
    /// One training step on a batch already on <see cref="Device"/>: the task's forward passes and its
    /// <see cref="Update"/> calls. Returns the losses to record (names stay the same from step to step).
    /// </summary>
    protected abstract (string name, double value)[] Step(Tensor input, Tensor target);

    /// <summary>Scores on a validation loader of (input, target) batches, named as <see cref="ValidationMetrics"/>.</summary>
    public abstract IReadOnlyDictionary<string, double> Validate(BatchLoader val);

    /// <summary>The task's picture of inputs, predictions and targets (saved under samples/ for fixed validation samples).</summary>
    public abstract ImageGrid SampleGrid(Tensor input, Tensor target);

    /// <summary>
    /// The mean over a loader's images of per-image scores: <paramref name="score"/> gets each batch (input, target)
    /// on <see cref="Device"/> and returns [N] tensors by name. What every task's validation is built from.
    /// </summary>
    protected Dictionary<string, double> MeanScores(BatchLoader val, Func<Tensor, Tensor, IEnumerable<(string name, Tensor perImage)>> score)
    {
        var sums = new Dictionary<string, double>();
        var n = 0;
        foreach (var batch in val.Epoch(0))
        {
            using var scope = NewDisposeScope();
            batch.IncludeIn(scope);
            using var _ = no_grad();
            foreach (var (name, values) in score(batch[0].to(Device), batch[1].to(Device)))
                sums[name] = sums.GetValueOrDefault(name) + values.sum().item<double>();
            n += (int)batch.Size;
        }
        if (n == 0) throw new InvalidOperationException("the validation loader yielded no images (is the validation set empty?)");
        return sums.ToDictionary(kv => kv.Key, kv => kv.Value / n);
    }

    /// <summary>Called once at the start of <see cref="Fit"/>, e.g. to log a baseline or count the training set's colors.</summary>
    protected virtual void OnFitStart(BatchLoader train, BatchLoader val, TextWriter log) { }

    /// <summary>One training step (the batch may be on any device); returns its losses, NaN where an update was skipped.</summary>
    public (string name, double value)[] TrainStep(Tensor input, Tensor target)
    {
        using var scope = NewDisposeScope();
        SnapshotBuffers();
        _stepSkipped = false;
        Generator.train();
        Discriminator?.train();
        (string name, double value)[] losses;
        using (Config.Precision == Precision.BFloat16 ? autocast(Device.type) : null)
            losses = Step(input.to(Device), target.to(Device));
        if (_stepSkipped) RestoreBuffers();
        else UpdateAverage();
        return losses;
    }

    /// <summary>
    /// average ← decay·average + (1 − decay)·weights, for the floating-point buffers too (BatchNorm's running statistics: copied
    /// from the live model instead, they describe activations of other weights than the average's); decay warms up with the steps.
    /// </summary>
    private void UpdateAverage()
    {
        if (AverageGenerator is null) return;
        using var _ = no_grad();
        var decay = Math.Min(Config.EmaDecay!.Value, (1.0 + StepsDone) / (10.0 + StepsDone));
        foreach (var (average, live) in AverageGenerator.parameters().Zip(Generator.parameters())) average.lerp_(live, 1 - decay);
        foreach (var (average, live) in AverageGenerator.buffers().Zip(Generator.buffers()))
            if (average.dtype.IsFloatingPoint()) average.lerp_(live, 1 - decay);
            else average.copy_(live);
    }

    /// <summary>Sets the average to the generator's weights (at the start, and after a run loads pretrained ones).</summary>
    private void CopyToAverage()
    {
        if (AverageGenerator is null) return;
        using var _ = no_grad();
        foreach (var (average, live) in AverageGenerator.parameters().Zip(Generator.parameters())) average.copy_(live);
        foreach (var (average, live) in AverageGenerator.buffers().Zip(Generator.buffers())) average.copy_(live);
    }

    /// <summary>True when the last <see cref="TrainStep"/> skipped an update for a non-finite loss.</summary>
    public bool LastStepSkipped => _stepSkipped;

    /// <summary>
    /// Backpropagates <paramref name="loss"/> and steps <paramref name="optimizer"/>, unless the loss is NaN or
    /// infinite or an earlier update of this step was skipped: then nothing is updated and it returns false
    /// (the task should return its losses without further updates).
    /// </summary>
    protected bool Update(Optimizer optimizer, Tensor loss)
    {
        if (_stepSkipped) return false;
        if (!double.IsFinite(loss.item<double>()))
        {
            _stepSkipped = true;
            return false;
        }
        optimizer.zero_grad();
        loss.backward();
        optimizer.step();
        return true;
    }

    /// <summary>Turns gradients of a module's parameters off (D during the G step: they would be wasted work) until disposed.</summary>
    protected static IDisposable Frozen(nn.Module module) => new FreezeScope(module);

    /// <summary>
    /// Trains until Config.Epochs are done or the budget is spent (continuing a resumed run), validating
    /// after each epoch and when it stops; returns why it stopped. <paramref name="cancel"/> — by default the
    /// notebook's interrupt (<see cref="Notebook.Interrupt.Token"/>) — stops it at the end of the current step,
    /// like the budget: validated and saved, so running Fit again continues exactly there.
    /// </summary>
    /// <exception cref="NonFiniteLossException">MaxNonFiniteSteps steps in a row had a non-finite loss.</exception>
    public StopReason Fit(BatchLoader train, BatchLoader val, TextWriter? log = null, CancellationToken cancel = default)
    {
        log ??= Console.Out;
        if (!cancel.CanBeCanceled) cancel = Notebook.Interrupt.Token;
        using var runLock = RunLock.Acquire(OutputDir, log);
        Config.Save(Path.Combine(OutputDir, "config.json"));
        var budget = Config.MaxMinutes is { } m ? TimeSpan.FromMinutes(m) : (TimeSpan?)null;
        if (budget is { } b0 && TrainSeconds >= b0.TotalSeconds && EpochsDone < Config.Epochs)
        {
            log.WriteLine($"the budget of {Config.MaxMinutes} minutes was spent ({TrainSeconds / 60:0.0} min trained); raise MaxMinutes to train on");
            return (StoppedBy = StopReason.Budget).Value;
        }
        if (EpochsDone >= Config.Epochs) return (StoppedBy = StopReason.Completed).Value;
        OnFitStart(train, val, log);
        if (StepsDone == 0)
        {
            CopyToAverage(); // a generator initialized from another run's weights starts its average there
            RemoveStaleSamples(log);
        }
        PickSamples(val);
        var clock = Stopwatch.StartNew();
        var secondsBefore = TrainSeconds;
        var total = (long)train.BatchesPerEpoch * Config.Epochs;
        var detail = log is TrainingLog quiet ? quiet.Detail : log;
        var progress = new Progress("step", total, Config.LogEvery, detail, StepsDone, budget - TimeSpan.FromSeconds(secondsBefore));
        var reason = StopReason.Completed;
        for (var epoch = EpochsDone; epoch < Config.Epochs && reason == StopReason.Completed; epoch++)
        {
            SetEpoch(epoch);
            var means = new Dictionary<string, (double sum, int n)>();
            foreach (var batch in train.Epoch(epoch, StepsInEpoch))
                using (batch)
                {
                    if (Config.LrPolicy == LrPolicy.LinearBudget) SetBudgetRate(secondsBefore + clock.Elapsed.TotalSeconds);
                    var losses = TrainStep(batch[0], batch[1]);
                    StepsDone++;
                    StepsInEpoch++;
                    TrainSeconds = secondsBefore + clock.Elapsed.TotalSeconds;
                    KeepMarksReached();
                    Steps.Add([("epoch", epoch + 1), ("step", StepsDone), ("seconds", TrainSeconds), .. losses, ("non_finite", _stepSkipped ? 1 : 0)]);
                    CountNonFinite(losses, log);
                    foreach (var (name, value) in losses.Where(l => double.IsFinite(l.value)))
                        means[name] = means.TryGetValue(name, out var s) ? (s.sum + value, s.n + 1) : (value, 1);
                    progress.Report(StepsDone, batch.Size, losses);
                    if (budget is { } b && TrainSeconds >= b.TotalSeconds) { reason = StopReason.Budget; break; }
                    if (cancel.IsCancellationRequested) { reason = StopReason.Interrupted; break; }
                }
            if (reason == StopReason.Completed) (EpochsDone, StepsInEpoch) = (epoch + 1, 0);
            if (reason != StopReason.Completed || EpochsDone == Config.Epochs) StoppedBy = reason; // saved with the last checkpoint
            EndValidation(epoch, val, means, reason, detail);
            TrainSeconds = secondsBefore + clock.Elapsed.TotalSeconds;
        }
        var why = reason switch
        {
            StopReason.Budget => $"the budget of {Config.MaxMinutes} min ran out after {StepsDone} steps ({EpochsDone} whole epochs)",
            StopReason.Interrupted => $"interrupted after {StepsDone} steps; run Fit again to continue",
            _ => $"{EpochsDone} epochs done",
        };
        var last = Epochs.Count == 0 ? "" : "; last validation: " + string.Join(", ", ValidationMetrics.Where(Epochs.Columns.Contains).Select(c => $"{c} {Epochs[c][^1]:0.####}"));
        log.WriteLine($"stopped: {why}; {TrainSeconds / 60:0.00} min of training; best {Config.BestMetric} {BestValue:0.#####} at step {BestStep}{last}" +
                      (log is TrainingLog full ? $" (every epoch: {Path.GetRelativePath(Environment.CurrentDirectory, full.FilePath)})" : ""));
        return reason;
    }

    private void EndValidation(int epoch, BatchLoader val, Dictionary<string, (double sum, int n)> means, StopReason reason, TextWriter log)
    {
        var scores = Validate(val);
        var row = new List<(string, double)> { ("epoch", epoch + 1), ("step", StepsDone), ("minutes", TrainSeconds / 60), ("lr", OptimizerG.lr) };
        row.AddRange(means.Select(kv => (kv.Key, kv.Value.sum / kv.Value.n)));
        row.AddRange(scores.Select(kv => (kv.Key, kv.Value)));
        Epochs.Add(row.ToArray());
        var partial = reason != StopReason.Completed ? $" (stopped after {StepsInEpoch} of its steps)" : "";
        log.WriteLine($"epoch {epoch + 1}/{Config.Epochs}{partial}: " + string.Join(", ", scores.Select(kv => $"{kv.Key} {kv.Value:0.#####}")));
        var lastEpoch = epoch + 1 == Config.Epochs || reason != StopReason.Completed;
        if ((epoch + 1) % Config.SampleEvery == 0 || lastEpoch) SaveSampleGrid(Path.Combine(OutputDir, "samples", $"epoch_{epoch + 1:D3}.png"));
        LossHistory.SaveRun(OutputDir, Steps, Epochs);
        var value = scores[Config.BestMetric];
        var isBest = double.IsFinite(value) && (double.IsNaN(BestValue) || (Config.BestGoal == MetricGoal.Minimize ? value < BestValue : value > BestValue));
        if (isBest) (BestValue, BestStep) = (value, StepsDone);
        SaveCheckpoint(LastCheckpoint);
        if (!isBest) return;
        DurableFile.Copy(LastCheckpoint, BestCheckpoint);
        log.WriteLine($"  new best {Config.BestMetric} {value:0.#####} → {Path.GetRelativePath(Environment.CurrentDirectory, BestCheckpoint)}");
    }

    /// <summary>Saves a checkpoint for each budget mark the training time has just passed (a resumed run skips those it passed before).</summary>
    private void KeepMarksReached()
    {
        foreach (var m in Config.BudgetMarks)
            if (TrainSeconds >= m * 60 && m * 60 > _marksCheckedUpTo) SaveCheckpoint(MarkCheckpoint(m));
        _marksCheckedUpTo = TrainSeconds;
    }

    private void CountNonFinite((string name, double value)[] losses, TextWriter log)
    {
        if (!_stepSkipped)
        {
            _nonFiniteInRow = 0;
            return;
        }
        _nonFiniteInRow++;
        var bad = string.Join(", ", losses.Where(l => !double.IsFinite(l.value)).Select(l => $"{l.name} = {l.value}"));
        log.WriteLine($"step {StepsDone}: non-finite loss ({bad}); step skipped, no weights updated ({_nonFiniteInRow} in a row)");
        if (_nonFiniteInRow < Config.MaxNonFiniteSteps) return;
        LossHistory.SaveRun(OutputDir, Steps, Epochs);
        throw new NonFiniteLossException(
            $"{_nonFiniteInRow} training steps in a row gave a non-finite loss (last: {bad}); the run stopped. " +
            $"Likely causes: a learning rate too high for this model (Lr = {Config.Lr}; try a tenth of it), or images holding NaN or Inf values " +
            $"(check the data and the loader's transform). The last good checkpoint is unchanged: {LastCheckpoint}.");
    }

    /// <summary>Sets both learning rates for an epoch (0-based) from the config's policy.</summary>
    /// <summary><see cref="LrPolicy.LinearBudget"/>'s factor after <paramref name="seconds"/> of training: 1, then linearly to 0 at the budget's end.</summary>
    public double BudgetRateFactor(double seconds)
    {
        var budget = (Config.MaxMinutes ?? double.PositiveInfinity) * 60;
        var left = Math.Max(0, budget - seconds) / budget;
        return Math.Min(1, left / Config.LrDecayFraction);
    }

    private void SetBudgetRate(double seconds)
    {
        var f = BudgetRateFactor(seconds);
        OptimizerG.lr = Config.Lr * f;
        if (OptimizerD is not null) OptimizerD.lr = DiscriminatorLr * f;
    }

    private void SetEpoch(int epoch)
    {
        _scheduleG.set_epoch(epoch);
        _scheduleD?.set_epoch(epoch);
    }

    /// <summary>The learning rate of epoch <paramref name="epoch"/> (0-based) under the config's policy.</summary>
    public double LearningRate(int epoch)
    {
        var before = OptimizerG.lr;
        _scheduleG.set_epoch(epoch);
        var lr = OptimizerG.lr;
        OptimizerG.lr = before;
        return lr;
    }

    private LRScheduler Schedule(Optimizer opt) => Config.LrPolicy switch
    {
        LrPolicy.Step => optim.lr_scheduler.StepLR(opt, Config.LrStepEpochs, Config.LrGamma),
        LrPolicy.Linear => optim.lr_scheduler.LinearDecay(opt, Math.Max(0, Config.Epochs - Config.LrDecayEpochs), Config.LrDecayEpochs),
        _ => optim.lr_scheduler.LambdaLR(opt, _ => 1.0),
    };

    private void SnapshotBuffers()
    {
        using var _ = no_grad();
        _buffers ??= Modules().Values.SelectMany(m => m.buffers()).Where(b => b.dtype.IsFloatingPoint() || b.dtype == ScalarType.Int64)
            .Select(b => (b, b.clone().DetachFromDisposeScope())).ToList();
        foreach (var (live, saved) in _buffers) saved.copy_(live);
    }

    private void RestoreBuffers()
    {
        using var _ = no_grad();
        foreach (var (live, saved) in _buffers!) live.copy_(saved);
    }

    /// <summary>Writes G, D, both optimizers, the random generator and the run's position into one file.</summary>
    public void SaveCheckpoint(string path) =>
        Checkpoint.Save(path, Modules(), Optimizers(), new CheckpointInfo
        {
            ConfigJson = Config.ToJson(), EpochsDone = EpochsDone, StepsDone = StepsDone, StepsInEpoch = StepsInEpoch, TrainSeconds = TrainSeconds,
            BestMetric = Config.BestMetric, BestValue = BestValue, BestStep = BestStep, StoppedBy = StoppedBy,
        }.ToMetadata());

    /// <summary>
    /// Continues from the last checkpoint in the output folder, if there is one; true when it did. A checkpoint
    /// written with other settings (beyond those in <see cref="RunConfig.MayChangeOnResume"/>) is refused, named.
    /// </summary>
    public bool TryResume(TextWriter? log = null)
    {
        if (!File.Exists(LastCheckpoint)) return false;
        ResumeSettings.EnsureSame(LastCheckpoint, Config);
        var info = CheckpointInfo.FromMetadata(Checkpoint.Load(LastCheckpoint, Modules(), Optimizers()));
        (EpochsDone, StepsDone, StepsInEpoch, TrainSeconds) = (info.EpochsDone, info.StepsDone, info.StepsInEpoch, info.TrainSeconds);
        (BestValue, BestStep, StoppedBy) = (info.BestValue, info.BestStep, info.StoppedBy);
        _marksCheckedUpTo = TrainSeconds;
        (Steps, Epochs) = LossHistory.LoadRun(OutputDir, StepsDone);
        (log ?? Console.Out).WriteLine($"resumed from {Path.GetRelativePath(Environment.CurrentDirectory, LastCheckpoint)}: " +
                                       $"{EpochsDone} epochs, {StepsDone} steps, {TrainSeconds / 60:0.0} min trained");
        return true;
    }

    /// <summary>
    /// A run that starts afresh in a folder that holds an earlier run's sample grids (a clone with committed results, a run
    /// restarted with fewer epochs) removes them, so "the last epoch's grid" is this run's.
    /// </summary>
    private void RemoveStaleSamples(TextWriter log)
    {
        var dir = Path.Combine(OutputDir, "samples");
        if (!Directory.Exists(dir)) return;
        var stale = Directory.GetFiles(dir, "epoch_*.png");
        foreach (var f in stale) File.Delete(f);
        if (stale.Length > 0) log.WriteLine($"starting afresh: removed {stale.Length} sample grids of an earlier run from {Path.GetRelativePath(Environment.CurrentDirectory, dir)}");
    }

    /// <summary>Loads the best checkpoint's weights into G and D (for evaluation); the run's position is unchanged.</summary>
    public void LoadBest() => Checkpoint.Load(BestCheckpoint, Modules(), restoreRng: false);

    /// <summary>The generator's output for a network-scale input, in eval mode without autograd, on the input's device (<see cref="Inference"/>).</summary>
    public Tensor Predict(Tensor input) => Inference.Generate(input);

    protected Dictionary<string, nn.Module> Modules()
    {
        // "G" is the generator a stage should use: the average when there is one.
        var m = AverageGenerator is null
            ? new Dictionary<string, nn.Module> { ["G"] = Generator }
            : new Dictionary<string, nn.Module> { ["G"] = AverageGenerator, ["G_train"] = Generator };
        if (Discriminator is not null) m["D"] = Discriminator;
        return m;
    }

    private Dictionary<string, Optimizer> Optimizers()
    {
        var o = new Dictionary<string, Optimizer> { ["optG"] = OptimizerG };
        if (OptimizerD is not null) o["optD"] = OptimizerD;
        return o;
    }

    private void PickSamples(BatchLoader val)
    {
        if (_sampleInput is not null) return;
        foreach (var batch in val.Epoch(0))
            using (batch)
            {
                var k = Math.Min(Config.SampleCount, batch.Size);
                _sampleInput = batch[0].narrow(0, 0, k).clone().DetachFromDisposeScope();
                _sampleTarget = batch[1].narrow(0, 0, k).clone().DetachFromDisposeScope();
                break;
            }
    }

    private void SaveSampleGrid(string path)
    {
        if (_sampleInput is null || _sampleTarget is null) return;
        using var scope = NewDisposeScope();
        SampleGrid(_sampleInput, _sampleTarget).Save(path, scale: _sampleInput.size(-1) < 48 ? 2 : 1);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (!disposing) return;
        Inference.Dispose();
        Generator.Dispose();
        AverageGenerator?.Dispose();
        Discriminator?.Dispose();
        OptimizerG.Dispose();
        OptimizerD?.Dispose();
        _sampleInput?.Dispose();
        _sampleTarget?.Dispose();
        foreach (var (_, saved) in _buffers ?? []) saved.Dispose();
    }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    private sealed class FreezeScope : IDisposable
    {
        private readonly List<nn.Parameter> _frozen;

        public FreezeScope(nn.Module module)
        {
            _frozen = module.parameters().Where(p => p.requires_grad).ToList();
            foreach (var p in _frozen) p.requires_grad = false;
        }

        public void Dispose()
        {
            foreach (var p in _frozen) p.requires_grad = true;
        }
    }
}

/// <summary>Why <see cref="GanTrainer{TConfig}.Fit"/> returned.</summary>
public enum StopReason
{
    /// <summary>All of Config.Epochs are done.</summary>
    Completed,

    /// <summary>Config.MaxMinutes ran out (checked after every step).</summary>
    Budget,

    /// <summary>The caller's cancellation token was triggered (a notebook's interrupt).</summary>
    Interrupted,
}

/// <summary>Training stopped because too many steps in a row had a NaN or infinite loss.</summary>
public sealed class NonFiniteLossException(string message) : InvalidOperationException(message);
