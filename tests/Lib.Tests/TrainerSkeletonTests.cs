using Lib.Plots;
using Lib.Data;
using Lib.Pipelines;
using Lib.Torch;
using Lib.Training;
using static Lib.Torch.torch;

namespace Lib.Tests;

/// <summary>
/// What the trainer skeleton promises, for every kind of run: resume equals an uninterrupted run (also from
/// the middle of an epoch), the wall-clock budget stops and saves, the best checkpoint follows the configured
/// metric, and a stage loaded from a checkpoint alone gives the trainer's output bit for bit.
/// </summary>
public sealed class TrainerSkeletonTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("lib-skeleton-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    /// <summary>One kind of run: how to build its trainer, and its loaders' transform.</summary>
    public sealed record Kind(string Name, int LoadSize, int CropSize, Func<RunConfig> Config, Func<RunConfig, string, ITrainer> Create)
    {
        public override string ToString() => Name;
    }

    /// <summary>The members the tests use, over the generic trainer.</summary>
    public interface ITrainer : IDisposable
    {
        StopReason Fit(BatchLoader train, BatchLoader val, TextWriter log);
        bool TryResume(TextWriter log);
        Func<Tensor, Tensor[]> Pairs { get; }
        LossHistory Steps { get; }
        LossHistory Epochs { get; }
        long StepsDone { get; }
        double BestValue { get; }
        long BestStep { get; }
        string LastCheckpoint { get; }
        string BestCheckpoint { get; }
        Tensor Predict(Tensor input);
        nn.Module<Tensor, Tensor> Generator { get; }
    }

    private sealed class Adapter<T>(GanTrainer<T> t, Func<Tensor, Tensor[]> pairs) : ITrainer where T : RunConfig
    {
        public StopReason Fit(BatchLoader train, BatchLoader val, TextWriter log) => t.Fit(train, val, log);
        public bool TryResume(TextWriter log) => t.TryResume(log);
        public Func<Tensor, Tensor[]> Pairs => pairs;
        public LossHistory Steps => t.Steps;
        public LossHistory Epochs => t.Epochs;
        public long StepsDone => t.StepsDone;
        public double BestValue => t.BestValue;
        public long BestStep => t.BestStep;
        public string LastCheckpoint => t.LastCheckpoint;
        public string BestCheckpoint => t.BestCheckpoint;
        public Tensor Predict(Tensor input) => t.Predict(input);
        public nn.Module<Tensor, Tensor> Generator => t.Generator;
        public void Dispose() => t.Dispose();
    }

    private static string Dev => TestSupport.Device.ToString();

    private static readonly Kind SRResNet = new("SRResNet", 40, 32, () => UpscalerConfig.Quick with
            {
                HrSize = 32, Data = UpscalerConfig.Quick.Data with { LoadSize = 40 }, Blocks = 1, Channels = 8, BatchSize = 4, Epochs = 3, SampleCount = 2, LogEvery = 1000, Device = Dev,
            },
            (c, dir) => { var t = new UpscalerTrainer((UpscalerConfig)c, dir); return new Adapter<UpscalerConfig>(t, t.Task.Pairs(t.Config)); });

    public static readonly TheoryData<Kind> Kinds =
    [
        new("colorization", 40, 32, () => ColorizerConfig.Quick with
            {
                ImageSize = 32, Data = ColorizerConfig.Quick.Data with { LoadSize = 40 }, BatchSize = 4, GeneratorWidth = 8, DiscriminatorWidth = 8, Generator = ColorizerGenerator.Pix2Pix,
                Discriminator = ColorizerDiscriminator.PatchGan, Epochs = 3, SampleCount = 2, LogEvery = 1000, Device = Dev,
            },
            (c, dir) => new Adapter<ColorizerConfig>(new ColorizerTrainer((ColorizerConfig)c, dir), TestSupport.LabPairs)),
        Colorizer("ECCV16 classification", c => c with { Generator = ColorizerGenerator.Eccv16, Eccv16Width = 1.0 / 16 }),
        Colorizer("ECCV16 regression + content", c => c with
        {
            Generator = ColorizerGenerator.Eccv16, Eccv16Head = Models.Eccv16Head.Regression, Eccv16Width = 1.0 / 16, LambdaL1 = 0, PerceptualGamma = 0.5,
            VggWeights = TestSupport.Fixture("vgg19_relu2_2.safetensors"), ContentLayers = [new("relu1_2", 0.5), new("relu2_2", 1)],
        }),
        Colorizer("pix2pix + γ-mix", c => c with
        {
            PerceptualGamma = 0.5, VggWeights = TestSupport.Fixture("vgg19_relu2_2.safetensors"), ContentLayers = [new("relu2_2", 1)],
        }),
        Colorizer("coarse-to-fine", c => c with { Generator = ColorizerGenerator.CoarseToFine, Scales = 2, CoarseToFineTraining = CoarseToFineTraining.EveryScale }),
        Colorizer("coarse-to-fine, teacher-forced", c => c with { Generator = ColorizerGenerator.CoarseToFine, Scales = 3, CoarseToFineTraining = CoarseToFineTraining.TeacherForced }),
        SRResNet,
        new("SRGAN", 40, 32, () => UpscalerConfig.Quick with
            {
                HrSize = 32, Data = UpscalerConfig.Quick.Data with { LoadSize = 40 }, Blocks = 1, Channels = 8, DiscriminatorChannels = 8, BatchSize = 4, Epochs = 3, SampleCount = 2,
                LogEvery = 1000, VggWeights = "", Adversarial = true, Device = Dev,
            },
            (c, dir) => { var t = new UpscalerTrainer((UpscalerConfig)c, dir); return new Adapter<UpscalerConfig>(t, t.Task.Pairs(t.Config)); }),
        new("joint", 72, 64, () => JointConfig.Quick with
            {
                ImageSize = 32, Scale = 2, Data = JointConfig.Quick.Data with { LoadSize = 72 }, BatchSize = 4, GeneratorWidth = 4, UpsampleChannels = 8, DiscriminatorWidth = 8,
                Epochs = 3, SampleCount = 2, SampleEvery = 1, LogEvery = 1000, VggWeights = "", Device = Dev,
            },
            (c, dir) => { var t = new JointTrainer((JointConfig)c, dir); return new Adapter<JointConfig>(t, t.Task.Pairs(t.Config)); }),
    ];

    /// <summary>A colorizer of the literature on the small pix2pix run's settings.</summary>
    private static Kind Colorizer(string name, Func<ColorizerConfig, ColorizerConfig> variant) => new(name, 40, 32, () => variant(ColorizerConfig.Quick with
        {
            ImageSize = 32, Data = ColorizerConfig.Quick.Data with { LoadSize = 40 }, BatchSize = 4, GeneratorWidth = 8, DiscriminatorWidth = 8, Generator = ColorizerGenerator.Pix2Pix,
            Discriminator = ColorizerDiscriminator.PatchGan, Epochs = 3, SampleCount = 2, LogEvery = 1000, Device = Dev,
        }),
        (c, dir) => new Adapter<ColorizerConfig>(new ColorizerTrainer((ColorizerConfig)c, dir), TestSupport.LabPairs));

    /// <summary>A colorizer's ab as its stage computes it (ECCV16's forward gives logits: its colorize gives ab).</summary>
    private static Tensor ColorizerAb(ITrainer t, Tensor l)
    {
        t.Generator.eval();
        using var _ = no_grad();
        return Models.IColorizer.Ab(t.Generator, l.to(TestSupport.Device)).cpu();
    }

    private static PreparedImages Photos(int count, int loadSize) =>
        PreparedImages.Prepare(ImageFolder.List(Path.Combine(TestSupport.RepoRoot, "data", "demo", "photos")).Take(count).ToList(),
            new PrepareOptions { LoadSize = loadSize, TilesPerSide = 2, ExcludeGrayscale = false, Log = TextWriter.Null });

    private static (BatchLoader train, BatchLoader val) Loaders(Kind kind, ITrainer t, PreparedImages data) =>
        (new BatchLoader(data, kind.Config().BatchSize, kind.CropSize, train: true, seed: 3, transform: t.Pairs),
         new BatchLoader(data, 8, kind.CropSize, train: false, seed: 3, transform: t.Pairs));

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Resume_from_an_epoch_boundary_or_a_budget_stop_equals_an_uninterrupted_run(Kind kind)
    {
        using var data = Photos(1, kind.LoadSize);
        string Run(string name, RunConfig config, bool resume)
        {
            var dir = Path.Combine(_dir, name);
            using var t = kind.Create(config, dir);
            if (resume) Assert.True(t.TryResume(TextWriter.Null));
            var (train, val) = Loaders(kind, t, data);
            t.Fit(train, val, TextWriter.Null);
            return dir;
        }
        var config = kind.Config();
        var straight = LossHistory.Load(Path.Combine(Run("straight", config, false), "history_steps.csv"));

        Run("epoch", config with { Epochs = 1 }, false);
        manual_seed(999); // disturb the generator: resuming must restore it
        var fromEpoch = LossHistory.Load(Path.Combine(Run("epoch", config, true), "history_steps.csv"));

        // A budget this small runs out in the first step: the run stops in the middle of epoch 1.
        Run("budget", config with { MaxMinutes = 1e-6 }, false);
        var stopped = LossHistory.Load(Path.Combine(_dir, "budget", "history_steps.csv"));
        Assert.Single(stopped["step"]);
        Assert.True(straight.Count / config.Epochs > 1, $"{kind}: one batch per epoch cannot test a stop in the middle of one");
        manual_seed(998);
        var fromBudget = LossHistory.Load(Path.Combine(Run("budget", config, true), "history_steps.csv"));

        Assert.True(straight.Count > 2, $"{kind}: only {straight.Count} steps");
        foreach (var column in straight.Columns.Where(c => c.StartsWith("loss") || c is "mse" or "content" or "adversarial"))
        {
            Assert.Equal(straight[column], fromEpoch[column]);
            Assert.Equal(straight[column], fromBudget[column]);
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void The_budget_stops_the_run_validates_saves_and_says_so(Kind kind)
    {
        using var data = Photos(1, kind.LoadSize);
        var dir = Path.Combine(_dir, "run");
        // An earlier run's grid in the folder (a clone's committed results): a run that starts afresh removes it.
        Directory.CreateDirectory(Path.Combine(dir, "samples"));
        File.WriteAllText(Path.Combine(dir, "samples", "epoch_020.png"), "stale");
        var log = new StringWriter();
        using (var t = kind.Create(kind.Config() with { MaxMinutes = 1e-6, Epochs = 50 }, dir))
        {
            var (train, val) = Loaders(kind, t, data);
            Assert.Equal(StopReason.Budget, t.Fit(train, val, log));
            Assert.False(File.Exists(Path.Combine(dir, "samples", "epoch_020.png")), "a stale grid was left");
            Assert.Equal(1, t.StepsDone);
            Assert.Equal(1, t.Epochs.Count); // validated at the stop
            Assert.True(File.Exists(t.LastCheckpoint) && File.Exists(t.BestCheckpoint));
            Assert.Equal("Budget", Checkpoint.ReadMetadata(t.LastCheckpoint)["stopped_by"]);
        }
        Assert.Contains("budget", log.ToString());
        Assert.True(File.Exists(Path.Combine(dir, "samples", "epoch_001.png")), "the stop wrote no sample grid");
        // Running it again does not train past the budget, and says how to.
        var again = new StringWriter();
        using (var t = kind.Create(kind.Config() with { MaxMinutes = 1e-6, Epochs = 50 }, dir))
        {
            Assert.True(t.TryResume(TextWriter.Null));
            var (train, val) = Loaders(kind, t, data);
            Assert.Equal(StopReason.Budget, t.Fit(train, val, again));
            Assert.Equal(1, t.StepsDone);
        }
        Assert.Contains("raise MaxMinutes", again.ToString());
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void The_best_checkpoint_follows_the_configured_metric_and_a_stage_loaded_from_it_matches_the_trainer(Kind kind)
    {
        using var data = Photos(1, kind.LoadSize);
        var baseConfig = kind.Config();
        var (metric, goal) = baseConfig switch
        {
            UpscalerConfig => ("val_PSNR_Y", MetricGoal.Maximize),
            _ => ("val_PSNR", MetricGoal.Maximize),
        };
        using var t = kind.Create(baseConfig with { BestMetric = metric, BestGoal = goal, Epochs = 4, Lr = 5e-3 }, Path.Combine(_dir, "best"));
        var (train, val) = Loaders(kind, t, data);
        t.Fit(train, val, TextWriter.Null);
        var scores = t.Epochs[metric];
        var bestIndex = Array.IndexOf(scores, scores.Max());
        Assert.Equal(scores[bestIndex], t.BestValue);
        Assert.Equal((long)t.Epochs["step"][bestIndex], t.BestStep);
        Assert.Equal(t.BestStep.ToString(), Checkpoint.ReadMetadata(t.BestCheckpoint)["steps_done"]);

        // The best checkpoint alone, as a stage, against the trainer's generator with the same weights.
        Checkpoint.Load(t.BestCheckpoint, new Dictionary<string, nn.Module> { ["G"] = t.Generator }, restoreRng: false);
        using var stage = TrainedStage.Load(t.BestCheckpoint, Dev);
        using var scope = NewDisposeScope();
        using var batch = val.Epoch(0).First();
        var (input, expected) = baseConfig switch
        {
            ColorizerConfig => ((batch[0] + 1) / 2, Imaging.Lab.from_network((batch[0] + 1) / 2 * 2 - 1, ColorizerAb(t, (batch[0] + 1) / 2 * 2 - 1))),
            JointConfig => ((batch[0] + 1) / 2, JointTrainer.ToRgb(t.Predict((batch[0] + 1) / 2 * 2 - 1))),
            _ => (batch[0], t.Predict(batch[0])),
        };
        var actual = stage.call(input);
        Assert.Equal(expected.clamp(0, 1).ToArray<float>(), actual.ToArray<float>());
    }

    [Fact]
    public void A_notebook_interrupt_stops_at_the_end_of_the_step_saved_and_resumable()
    {
        var kind = SRResNet;
        using var data = Photos(1, kind.LoadSize);
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        AppContext.SetData(Lib.Notebook.Interrupt.AppContextKey, cts.Token); // what the kernel does on "interrupt"
        try
        {
            using var t = kind.Create(kind.Config(), Path.Combine(_dir, "interrupted"));
            var (train, val) = Loaders(kind, t, data);
            Assert.Equal(StopReason.Interrupted, t.Fit(train, val, TextWriter.Null));
            Assert.Equal(1, t.StepsDone);
            Assert.Equal("Interrupted", Checkpoint.ReadMetadata(t.LastCheckpoint)["stopped_by"]);
        }
        finally { AppContext.SetData(Lib.Notebook.Interrupt.AppContextKey, null); }
        using var again = kind.Create(kind.Config(), Path.Combine(_dir, "interrupted"));
        Assert.True(again.TryResume(TextWriter.Null));
        var (tr, va) = Loaders(kind, again, data);
        Assert.Equal(StopReason.Completed, again.Fit(tr, va, TextWriter.Null));
    }

    [Fact]
    public void A_best_metric_the_task_does_not_report_is_refused_with_the_ones_it_does()
    {
        var e = Assert.Throws<ArgumentException>(() => new ColorizerTrainer(ColorizerConfig.Quick with { BestMetric = "val_FID", Device = "cpu" }, _dir));
        Assert.Contains("val_FID", e.Message);
        Assert.Contains("val_L1, val_PSNR, val_SSIM", e.Message);
    }

    [Fact]
    public void A_second_run_into_the_same_folder_is_refused_and_a_crashed_runs_lock_is_taken_over()
    {
        using (RunLock.Acquire(_dir))
        {
            var e = Assert.Throws<InvalidOperationException>(() => RunLock.Acquire(_dir));
            Assert.Contains("in use by another training run", e.Message);
            Assert.Contains(Environment.ProcessId.ToString(), e.Message);
        }
        // A lock naming a process that no longer runs (pid 2^22 + 1 is above Linux's pid_max default).
        File.WriteAllText(Path.Combine(_dir, RunLock.FileName), $"4194305 1 {Environment.MachineName}");
        var log = new StringWriter();
        using (RunLock.Acquire(_dir, log)) Assert.Contains("no longer running", log.ToString());
        Assert.False(File.Exists(Path.Combine(_dir, RunLock.FileName)));
    }
}

/// <summary>A NaN batch is skipped without a trace; a run that keeps producing them stops, its last checkpoint intact.</summary>
public sealed class NonFiniteLossTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("lib-nan-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private static ColorizerConfig Tiny => ColorizerConfig.Quick with
    {
        ImageSize = 32, Data = ColorizerConfig.Quick.Data with { LoadSize = 40 }, BatchSize = 4, GeneratorWidth = 8, DiscriminatorWidth = 8, Epochs = 2, SampleCount = 2,
        LogEvery = 1000, Device = TestSupport.Device.ToString(), MaxNonFiniteSteps = 3,
    };

    private static Dictionary<string, float[]> State(nn.Module m) => m.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.ToArray<float>());

    [Fact]
    public void A_nan_batch_updates_nothing_not_even_batchnorm_statistics_and_is_counted()
    {
        using var t = new ColorizerTrainer(Tiny, _dir);
        using var scope = NewDisposeScope();
        var (l, ab) = (rand(4, 1, 32, 32) * 2 - 1, rand(4, 2, 32, 32) - 0.5);
        t.TrainStep(l, ab); // optimizer state exists from here on
        var (g, d) = (State(t.Generator), State(t.Discriminator!));
        var bad = l.clone();
        using (var one = bad.select(0, 1)) one.fill_(double.NaN);
        var losses = t.TrainStep(bad, ab);
        Assert.True(t.LastStepSkipped);
        Assert.Contains(losses, x => !double.IsFinite(x.value));
        Assert.Equal(g, State(t.Generator));
        Assert.Equal(d, State(t.Discriminator!));
        t.TrainStep(l, ab);
        Assert.False(t.LastStepSkipped);
        Assert.NotEqual(g, State(t.Generator));
    }

    [Fact]
    public void Too_many_non_finite_steps_in_a_row_stop_the_run_naming_the_cause_and_keep_the_last_good_checkpoint()
    {
        using var data = PreparedImages.Prepare(ImageFolder.List(Path.Combine(TestSupport.RepoRoot, "data", "demo", "photos")).Take(2).ToList(),
            new PrepareOptions { LoadSize = 40, TilesPerSide = 2, Log = TextWriter.Null });
        var poisoned = 0;
        // Epoch 1 is clean; from epoch 2 on every batch holds a NaN, as a corrupt cache or a bad transform would give.
        Tensor[] Transform(Tensor rgb)
        {
            var pair = TestSupport.LabPairs(rgb);
            if (Interlocked.Increment(ref poisoned) > 3)
                using (var first = pair[0].select(0, 0)) first.fill_(double.NaN);
            return pair;
        }
        var val = new BatchLoader(data, 8, 32, false, 1, TestSupport.LabPairs);
        using var t = new ColorizerTrainer(Tiny with { Epochs = 5 }, _dir);
        var train = new BatchLoader(data, 4, 32, true, 1, Transform, prefetch: 1);
        Assert.True(train.BatchesPerEpoch == 3, $"{train.BatchesPerEpoch} batches per epoch: the test needs 3");
        var log = new StringWriter();
        var e = Assert.Throws<NonFiniteLossException>(() => t.Fit(train, val, log));
        Assert.Contains("Lr = ", e.Message);
        Assert.Contains("NaN or Inf", e.Message);
        Assert.Contains("non-finite loss", log.ToString());
        var meta = Checkpoint.ReadMetadata(t.LastCheckpoint);
        Assert.Equal("1", meta["epochs_done"]); // the checkpoint of the clean epoch
        var history = LossHistory.Load(Path.Combine(_dir, "history_steps.csv"));
        Assert.Equal([0.0, 0, 0, 1, 1, 1], history["non_finite"]);
    }
}

/// <summary>The joint generator against PyTorch (tools/make_joint_fixtures.py).</summary>
public class JointGeneratorParityTests
{
    [Fact]
    public void Forward_matches_pytorch_in_eval_and_train_mode()
    {
        var fx = TestSupport.LoadFixture("joint_generator.safetensors");
        try
        {
            using var g = new Models.JointGenerator(num_downs: 5, ngf: 4, channels: 8, scale: 4);
            g.to(TestSupport.Device);
            var (missing, unexpected) = g.load_state_dict(fx.Where(kv => kv.Key.StartsWith("weights.")).ToDictionary(kv => kv.Key["weights.".Length..], kv => kv.Value));
            Assert.Empty(missing);
            Assert.Empty(unexpected);
            using var scope = NewDisposeScope();
            g.eval();
            using (no_grad()) TestSupport.AssertClose(fx["eval.output"], g.call(fx["x"]), "joint generator, eval", 1e-4, 1e-5);
            g.train();
            TestSupport.AssertClose(fx["train.output"], g.call(fx["x"]), "joint generator, train", 1e-4, 1e-5);
        }
        finally { foreach (var t in fx.Values) t.Dispose(); }
    }

    [Fact]
    public void Untrained_it_is_the_bicubic_gray_baseline()
    {
        manual_seed(0);
        using var g = new Models.JointGenerator(num_downs: 5, ngf: 4, channels: 8, scale: 4);
        g.eval();
        using var scope = NewDisposeScope();
        var gray = rand(3, 1, 32, 32) * 2 - 1;
        Tensor y;
        using (no_grad()) y = g.call(gray);
        Assert.Equal([3L, 3L, 128L, 128L], y.shape);
        Assert.Equal(0f, (y.narrow(1, 0, 1) - Imaging.Resize.bicubic(gray, 128, 128)).abs().max().item<float>());
        Assert.Equal(0f, y.narrow(1, 1, 2).abs().max().item<float>());
    }
}
