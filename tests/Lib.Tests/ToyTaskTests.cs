using Lib.Data;
using Lib.Evaluation;
using Lib.Imaging;
using Lib.Pipelines;
using Lib.Plots;
using Lib.Torch;
using Lib.Training;
using Workbook;
using static Lib.Torch.torch;
using F = Lib.Torch.torch.nn.functional;

namespace Lib.Tests;

/// <summary>
/// The task seam, proven by a fourth task written in this one file — a toy ×2 upscaler of gray images (one conv and a
/// pixel shuffle) — that the CLI trains, loads and scores through the same paths as the workbook's own tasks.
/// </summary>
public sealed class ToyTaskTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("toy-task-").FullName;

    public ToyTaskTests() => TrainingTasks.Register(ToyTask.Instance);

    public void Dispose()
    {
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }

    private static (int code, string output, string log) Cli(params string[] args)
    {
        var (output, log) = (new StringWriter(), new StringWriter());
        var code = Workbook.Cli.Run(args, output, log);
        return (code, output.ToString(), log.ToString());
    }

    private string Photos()
    {
        var dir = Path.Combine(_root, "photos");
        Directory.CreateDirectory(dir);
        manual_seed(5);
        for (var i = 0; i < 6; i++)
        {
            using var scope = NewDisposeScope();
            // Smooth random images: structure a ×2 upscaler can learn, unlike white noise.
            var small = rand(1, 3, 6, 6);
            Image.write_png(Resize.bicubic(small, 48, 48).clamp(0, 1).squeeze(0), Path.Combine(dir, $"p{i}.png"));
        }
        return dir;
    }

    [Fact]
    public void A_task_in_one_file_trains_loads_as_a_stage_and_is_scored_through_the_CLI()
    {
        var photos = Photos();
        var run = Path.Combine(_root, "run");
        var train = Cli("train", ToyTask.Instance.Name, "--data", photos, "--minutes", "5", "-o", run, "--device", "cpu");
        Assert.True(train.code == ExitCodes.Success, train.log + train.output);
        Assert.Contains("stopped: Completed", train.output);
        Assert.Contains("evaluate --model", train.output); // the task's own hint
        Assert.Contains("\"task\": \"toy-gray-x2\"", File.ReadAllText(Path.Combine(run, "config.json")));

        using (var stage = TrainedStage.Load(Path.Combine(run, "checkpoints", "best.safetensors"), "cpu"))
        {
            Assert.Same(ToyTask.Instance, stage.Task);
            Assert.Equal((ImageKind.Gray, ImageKind.Gray, 2), (stage.Input, stage.Output, stage.Scale));
            Assert.Equal(ToyTask.Instance.TypedProfile("quick").Epochs, stage.Info.EpochsDone);
            using var output = stage.call(rand(2, 1, 10, 12));
            Assert.Equal([2L, 1, 20, 24], output.shape);
        }

        var evaluate = Cli("evaluate", "--model", run, "--data", photos, "--device", "cpu");
        Assert.True(evaluate.code == ExitCodes.Success, evaluate.log);
        Assert.Contains("toy ×2", evaluate.output);
        Assert.Contains("bicubic", evaluate.output);
        Assert.Contains(Score.PsnrY, evaluate.output);
    }

    [Fact]
    public void A_run_keeps_a_checkpoint_at_each_budget_mark_it_passes_and_the_curve_scores_them()
    {
        var photos = Photos();
        var config = ToyTask.Instance.TypedProfile("quick") with { Epochs = 40, BudgetMarks = [1e-4, 2e-4, 1e6], Device = "cpu" };
        using (var data = TrainingData.Prepare(photos, config.Data, config.Seed, evalSize: config.Crop, excludeGrayscale: false, log: TextWriter.Null))
        using (var run = TrainingRun.Create(config, data, Path.Combine(_root, "marks")))
        {
            run.Fit(TextWriter.Null);
            Assert.Equal([1e-4, 2e-4], run.Trainer.MarksReached.Select(m => m.minutes));
            foreach (var (minutes, checkpoint) in run.Trainer.MarksReached)
            {
                var info = Checkpoint.ReadInfo(checkpoint);
                Assert.InRange(info.TrainSeconds, minutes * 60, run.Trainer.TrainSeconds);
                Assert.True(info.StepsDone < run.Trainer.StepsDone, "a mark is kept while training, before the end");
            }
            using var set = EvaluationSet.FromPrepared("toy test", data.Test, scale: 2);
            var table = BudgetCurve.Score([("toy", run.Trainer)], set, MetricSet.SuperResolution, device: "cpu");
            Assert.Equal([BudgetCurve.RowName("toy", 1e-4), BudgetCurve.RowName("toy", 2e-4)], table.Rows.Select(r => r.Method));
            var chart = BudgetCurve.Chart(table, set.Name, ["toy"], Score.PsnrY);
            Assert.Contains("toy", chart.ToSvg());
        }
        var e = Assert.Throws<ArgumentException>(() => new ToyTrainer(config with { BudgetMarks = [2, 1] }, Path.Combine(_root, "bad")));
        Assert.Contains("BudgetMarks", e.Message);
    }

    [Fact]
    public void The_registry_refuses_a_second_task_with_a_taken_name()
    {
        var e = Assert.Throws<ArgumentException>(() => TrainingTasks.Register(new ClashingTask()));
        Assert.Contains("colorizer", e.Message);
        Assert.Same(TrainingTasks.Upscaler, TrainingTasks.Get("superres"));
        Assert.Contains("toy-gray-x2", Assert.Throws<ArgumentException>(() => TrainingTasks.Get("nope")).Message);
    }

    private sealed class ClashingTask : TrainingTask<ToyConfig>
    {
        public override string Name => "colorizer";
        public override string Description => "a second colorizer";
        protected override IReadOnlyDictionary<string, Func<ToyConfig>> ProfileConfigs => ToyTask.Instance.Configs;
        public override ITrainer CreateTrainer(ToyConfig config, string outputDir) => throw new NotSupportedException();
        public override int CropSize(ToyConfig config) => config.Crop;
        public override Func<Tensor, Tensor[]> Pairs(ToyConfig config) => ToyTask.Instance.Pairs(config);
        public override bool ExcludeGrayscale => false;
        public override GeneratorIO IO(ToyConfig config) => ToyTask.Instance.IO(config);
        public override string ModelName(ToyConfig config) => "clash";
        public override MetricSet Metrics => MetricSet.SuperResolution;
        public override IReadOnlyList<Method> Baselines(Stage model) => [];
        public override Stage ForPhotos(TrainedStage model, PhotoSettings settings) => model;
        public override string UseHint(string checkpoint) => "";
    }
}

/// <summary>The toy task's settings: a crop and the shared ones.</summary>
public sealed record ToyConfig : RunConfig
{
    public ToyConfig()
    {
        BestMetric = "val_MSE";
        Data = new DataSettings { LoadSize = 24, TilesPerSide = 1, TrainImages = 100, ValImages = 1, TestImages = 1 };
    }

    public int Crop { get; init; } = 16;

    public override nn.Module<Tensor, Tensor> CreateGenerator() => nn.Sequential(nn.Conv2d(1, 4, 3, padding: 1), nn.PixelShuffle(2));

    public override void Validate()
    {
        base.Validate();
        RequireData(Crop);
    }
}

/// <summary>Trains the toy on pixel MSE, G alone.</summary>
public sealed class ToyTrainer(ToyConfig config, string outputDir) : GanTrainer<ToyConfig>(config, outputDir)
{
    public override IReadOnlyList<string> ValidationMetrics => ["val_MSE"];

    protected override nn.Module? CreateDiscriminator() => null;

    protected override (string name, double value)[] Step(Tensor lr, Tensor hr)
    {
        var mse = F.mse_loss(Generator.call(lr), hr);
        Update(OptimizerG, mse);
        return [("mse", mse.item<float>())];
    }

    public override IReadOnlyDictionary<string, double> Validate(BatchLoader val) =>
        MeanScores(val, (lr, hr) => [("val_MSE", F.mse_loss(Predict(lr), hr, nn.Reduction.None).mean([1, 2, 3]))]);

    public override ImageGrid SampleGrid(Tensor lr, Tensor hr) =>
        new ImageGrid().Column("toy", Lab.gray_to_rgb(Predict(lr).clamp(0, 1))).Column("HR", Lab.gray_to_rgb(hr));
}

/// <summary>The toy task: a gray image (L / 100) in, the same ×2 out, scored against bicubic.</summary>
public sealed class ToyTask : TrainingTask<ToyConfig>
{
    public static ToyTask Instance { get; } = new();

    public override string Name => "toy-gray-x2";
    public override string Description => "toy: gray ×2 upscaling by one conv (a test of the task seam)";

    internal IReadOnlyDictionary<string, Func<ToyConfig>> Configs { get; } = new Dictionary<string, Func<ToyConfig>>
    {
        ["quick"] = () => new ToyConfig { Epochs = 2, BatchSize = 4, Lr = 1e-2, SampleCount = 1, LogEvery = 1000 },
    };

    protected override IReadOnlyDictionary<string, Func<ToyConfig>> ProfileConfigs => Configs;
    public override ITrainer CreateTrainer(ToyConfig config, string outputDir) => new ToyTrainer(config, outputDir);
    public override int CropSize(ToyConfig config) => config.Crop;

    public override Func<Tensor, Tensor[]> Pairs(ToyConfig config) => rgb =>
    {
        var hr = Lab.lightness(rgb);
        return [Resize.bicubic(hr, 0.5).clamp_(0, 1), hr];
    };

    public override bool ExcludeGrayscale => false;
    public override GeneratorIO IO(ToyConfig config) => new(ImageKind.Gray, ImageKind.Gray, Scale: 2);
    public override string ModelName(ToyConfig config) => "toy ×2";
    public override MetricSet Metrics => MetricSet.SuperResolution;
    public override IReadOnlyList<Method> Baselines(Stage model) => [Stage.Bicubic(2, ImageKind.Gray)];
    public override Stage ForPhotos(TrainedStage model, PhotoSettings settings) => TiledStage.Rounded(model, settings.Tile, settings.Overlap);
    public override string UseHint(string checkpoint) => $"dotnet run --project tools/Workbook -- evaluate --model {checkpoint} --data PHOTOS";
}
