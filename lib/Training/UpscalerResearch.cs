using Lib.Data;
using Lib.Evaluation;
using Lib.Imaging;
using Lib.Pipelines;
using Lib.Plots;
using Lib.Torch;

namespace Lib.Training;

/// <summary>
/// Notebook 03's comparison run as research: the quick profile's SRResNet (bicubic skip), the report's design (sigmoid output,
/// no skip) and SRGAN's GAN phase continuing the SRResNet run, each for the same minutes on a photo folder's split; scored on
/// the held-out photos at 256 px and on Set5/Set14 when present (best and last checkpoints, bicubic, the shipped upscaler), the
/// SRResNet and SRGAN runs trained again with a second seed, and every run scored at its budget marks. Everything is written to
/// one folder, which <see cref="Load"/> reads back.
/// </summary>
public sealed class UpscalerResearch
{
    public const int SecondSeed = 7;
    public const string BicubicLabel = "bicubic ×4";
    public const string ShippedLabel = "shipped upscaler (models/)";

    /// <summary>The entries, in training order (SRGAN starts from the SRResNet run's last checkpoint).</summary>
    public static readonly IReadOnlyList<(string Key, string Name)> Entries =
        [("srresnet", "SRResNet (bicubic skip)"), ("report-design", "SRResNet, report's design"), ("srgan", "SRGAN, from SRResNet")];

    /// <summary>The entries trained with both seeds: SRResNet and the SRGAN run that continues it (the report's design is the ablation).</summary>
    public static readonly IReadOnlyList<string> Repeated = ["srresnet", "srgan"];

    /// <summary>Every set (the held-out photos, then the benchmarks): bicubic, each entry's last (its name) and best checkpoints, the shipped upscaler.</summary>
    public required ScoreTable Table { get; init; }

    /// <summary>The repeated entries with <see cref="SecondSeed"/>, and bicubic, on the same sets (same method names as <see cref="Table"/>).</summary>
    public required ScoreTable SecondSeedTable { get; init; }

    /// <summary>Each run at each budget mark on the held-out photos.</summary>
    public required ScoreTable Budget { get; init; }

    public required IReadOnlyList<string> Sets { get; init; }

    /// <summary>The held-out photos' set (the first of <see cref="Sets"/>).</summary>
    public string TestSet => Sets[0];

    public IReadOnlyList<ScoreTable> Seeds => [Table, SecondSeedTable];

    /// <summary>An entry's best checkpoint's row.</summary>
    public static string Best(string name) => $"{name} (best)";

    /// <summary>
    /// The research profile's SRResNet: the quick one (4 blocks × 32 channels, 64-pixel HR crops) on <paramref name="minutes"/>
    /// of a folder: two 180-pixel squares per shorter side, 40 validation and 115 held-out photos (seed 42: the shipped models never trained on them,
    /// with ../shared/data's ImageNet and COCO samples; about 100 are large enough for the 256-pixel test), budget marks at 1, 2, 4, 8 minutes and the end.
    /// </summary>
    public static UpscalerConfig Config(double minutes = 10) => UpscalerConfig.Quick with
    {
        Profile = "research", Data = new DataSettings { LoadSize = 180, TilesPerSide = 2, TrainImages = 100_000, ValImages = 40, TestImages = 115 },
        Epochs = 100_000, MaxMinutes = minutes, BudgetMarks = [.. new[] { 1.0, 2, 4, 8 }.Where(m => m < minutes), minutes],
        SampleEvery = 100_000, LogEvery = 200,
    };

    /// <summary>Each entry's config; SRGAN's starts from <paramref name="srresnetCheckpoint"/>.</summary>
    public static UpscalerConfig ConfigOf(string key, UpscalerConfig config, string srresnetCheckpoint) => key switch
    {
        "srresnet" => config,
        "report-design" => config with { SigmoidOutput = true, BicubicSkip = false },
        "srgan" => config.ForGanPhase(srresnetCheckpoint, config.Epochs),
        _ => throw new ArgumentException($"no upscaler research entry '{key}'; use one of: {string.Join(", ", Entries.Select(e => e.Key))}", nameof(key)),
    };

    /// <summary>
    /// Trains every entry in <paramref name="runsDir"/>/KEY (resuming; one whose budget is spent is only scored), then the repeated
    /// ones in KEY-seed7; scores them on the held-out photos at 256 px and on each folder of <paramref name="benchmarks"/> that exists.
    /// </summary>
    public static UpscalerResearch Run(UpscalerConfig config, IReadOnlyList<string> photoDirs, IReadOnlyList<string> benchmarks, string runsDir, string resultsDir,
        Func<string, bool>? sampleFilter = null, string? cacheDir = null, TextWriter? log = null)
    {
        log ??= Console.Out;
        using var data = Prepare(config, photoDirs, cacheDir, log);
        log.WriteLine(data);
        var sets = SetsOf(config, data, benchmarks);
        var bicubic = Method.Of(Stage.Bicubic(config.Scale, ImageKind.Color), BicubicLabel);
        var table = new ScoreTable();
        var secondSeed = new ScoreTable();
        foreach (var set in sets)
        {
            var row = Evaluator.Run(bicubic, set, MetricSet.SuperResolution);
            table.Add(row);
            secondSeed.Add(row);
        }
        var runs = new List<TrainingRun>();
        try
        {
            var first = Train(config, data, runsDir, "", Entries.Select(e => e.Key), runs, log);
            ScoreRuns(table, sets, first);
            if (ShippedModels.Find(TrainingTasks.Upscaler) is { } shipped)
                using (var stage = TrainedStage.Load(shipped))
                    foreach (var set in sets) table.Add(Evaluator.Run(Method.Of(stage, ShippedLabel), set, MetricSet.SuperResolution));
            var second = Train(config with { Seed = SecondSeed }, data, runsDir, $"-seed{SecondSeed}", Repeated, runs, log);
            ScoreRuns(secondSeed, sets, second);
            var budget = BudgetCurve.Score(Entries.Select(e => (e.Name, first[e.Key])), sets[0], MetricSet.SuperResolution);
            var result = new UpscalerResearch { Table = table, SecondSeedTable = secondSeed, Budget = budget, Sets = sets.Select(s => s.Name).ToList() };
            result.Save(resultsDir);
            LossChart(first).Save(Path.Combine(resultsDir, "losses.svg"));
            SaveSamples(Path.Combine(resultsDir, "samples.png"), first, data.Test, sampleFilter);
            return result;
        }
        finally
        {
            foreach (var r in runs) r.Dispose();
            foreach (var s in sets) s.Dispose();
        }
    }

    /// <summary>Each run's pixel MSE per step (the SRGAN run's content loss), smoothed, against its training minutes.</summary>
    public static LineChart LossChart(IReadOnlyDictionary<string, ITrainer> runs)
    {
        var chart = new LineChart { Title = "Pixel MSE per step (SRGAN: its content loss)", XLabel = "training minutes", YLabel = "loss", LogY = true };
        foreach (var (key, name) in Entries.Where(e => runs.ContainsKey(e.Key)))
        {
            var steps = runs[key].Steps;
            var column = steps.Columns.Contains("mse") ? "mse" : "content";
            chart.Add($"{name} ({steps.Count} steps)", LineChart.Smooth(steps[column], 9), steps["seconds"].Select(s => s / 60).ToList());
        }
        return chart;
    }

    private static void ScoreRuns(ScoreTable table, IReadOnlyList<EvaluationSet> sets, IReadOnlyDictionary<string, ITrainer> runs)
    {
        foreach (var (key, name) in Entries.Where(e => runs.ContainsKey(e.Key)))
        {
            var t = runs[key];
            foreach (var (label, path) in new[] { (name, t.LastCheckpoint), (Best(name), t.BestCheckpoint) })
                using (var stage = TrainedStage.Load(path, t.Config.Device))
                    foreach (var set in sets)
                        table.Add(Evaluator.Run(Method.Of(stage, label), set, MetricSet.SuperResolution).With("steps", t.StepsDone).With("training min", t.TrainSeconds / 60));
        }
    }

    private static Dictionary<string, ITrainer> Train(UpscalerConfig config, TrainingData data, string runsDir, string suffix, IEnumerable<string> keys,
        List<TrainingRun> runs, TextWriter log)
    {
        var trained = new Dictionary<string, ITrainer>();
        foreach (var key in keys)
        {
            var srresnet = Path.Combine(runsDir, "srresnet" + suffix, "checkpoints", "last.safetensors");
            var run = TrainingRun.Create(ConfigOf(key, config, srresnet), data, Path.Combine(runsDir, key + suffix));
            runs.Add(run);
            run.Fit(log);
            trained[key] = run.Trainer;
        }
        return trained;
    }

    /// <summary>The research's split of <paramref name="photoDirs"/>: training squares, validation at HrSize, one 256-pixel square per held-out photo.</summary>
    private static TrainingData Prepare(UpscalerConfig config, IReadOnlyList<string> photoDirs, string? cacheDir, TextWriter log) =>
        TrainingData.Prepare(photoDirs, config.Data, config.Seed, evalSize: config.HrSize, testSize: TestSize, testTilesPerSide: 1,
            excludeGrayscale: TrainingTasks.Upscaler.ExcludeGrayscale, cacheDir: cacheDir, log: log);

    private const int TestSize = 256;

    /// <summary>The held-out photos, then each benchmark folder that exists.</summary>
    private static List<EvaluationSet> SetsOf(UpscalerConfig config, TrainingData data, IReadOnlyList<string> benchmarks)
    {
        var sets = new List<EvaluationSet> { EvaluationSet.FromImages($"test {TestSize} px", data.Test.Images, config.Scale, ids: data.Test.Sources.Select(Path.GetFileName).ToList()!) };
        sets.AddRange(benchmarks.Where(Directory.Exists).Select(b => EvaluationSet.FromFolder(b, config.Scale)));
        return sets;
    }

    /// <summary>
    /// Scores the shipped upscaler (models/) again on the saved research's sets and puts its rows in place of the saved ones,
    /// leaving every other row as it was: after models/ changes, without training or scoring the runs again. The photos and
    /// benchmarks must be the ones <see cref="Run"/> had (the same split, by file and seed).
    /// </summary>
    /// <exception cref="FileNotFoundException">No shipped upscaler, or no saved research in <paramref name="resultsDir"/>.</exception>
    public static UpscalerResearch RescoreShipped(UpscalerConfig config, IReadOnlyList<string> photoDirs, IReadOnlyList<string> benchmarks, string resultsDir,
        string? cacheDir = null, TextWriter? log = null)
    {
        log ??= Console.Out;
        var saved = Load(resultsDir);
        var shipped = ShippedModels.Find(TrainingTasks.Upscaler) ?? throw new FileNotFoundException("no shipped upscaler in models/ to score");
        using var data = Prepare(config, photoDirs, cacheDir, log);
        var sets = SetsOf(config, data, benchmarks);
        try
        {
            var missing = saved.Sets.Except(sets.Select(s => s.Name)).ToList();
            if (missing.Count > 0) throw new ArgumentException($"the saved research in {resultsDir} was scored on {string.Join(", ", missing)} too; pass the same benchmarks", nameof(benchmarks));
            var table = new ScoreTable().Add(saved.Table.Rows.Where(r => r.Method != ShippedLabel));
            using (var stage = TrainedStage.Load(shipped))
                foreach (var set in sets) table.Add(Evaluator.Run(Method.Of(stage, ShippedLabel), set, MetricSet.SuperResolution));
            table.Save(resultsDir, "upscalers");
            log.WriteLine($"{ShippedLabel}: scored again on {string.Join(", ", sets.Select(s => $"{s.Name} ({s.Count})"))}");
            return new UpscalerResearch { Table = table, SecondSeedTable = saved.SecondSeedTable, Budget = saved.Budget, Sets = saved.Sets };
        }
        finally
        {
            foreach (var set in sets) set.Dispose();
        }
    }

    private void Save(string dir)
    {
        Table.Save(dir, "upscalers");
        SecondSeedTable.Save(dir, "second_seed");
        Budget.Save(dir, "budget");
        BudgetCurve.Chart(Budget, TestSet, Entries.Select(e => e.Name), Score.PsnrY, $"PSNR (Y) on the {TestSet} photos against training minutes")
            .Save(Path.Combine(dir, "budget_psnr_y.svg"));
        DurableFile.WriteAllText(Path.Combine(dir, "sets.txt"), string.Join("\n", Sets) + "\n");
    }

    /// <summary>What <see cref="Run"/> wrote to <paramref name="dir"/>.</summary>
    /// <exception cref="FileNotFoundException">A file of the research run is missing (names it and how to make it).</exception>
    public static UpscalerResearch Load(string dir)
    {
        string Need(string name) => ResearchFolder.Need(dir, name, "03");
        return new UpscalerResearch
        {
            Table = ScoreTable.Load(Need("upscalers.csv")), SecondSeedTable = ScoreTable.Load(Need("second_seed.csv")), Budget = ScoreTable.Load(Need("budget.csv")),
            Sets = File.ReadAllLines(Need("sets.txt")).Where(l => l.Length > 0).ToList(),
        };
    }

    /// <summary>LR (nearest) | bicubic | each entry (last checkpoint) | HR, on up to 4 held-out photos the filter allows; their names beside.</summary>
    private static void SaveSamples(string path, IReadOnlyDictionary<string, ITrainer> runs, PreparedImages test, Func<string, bool>? filter)
    {
        var picked = ResearchFolder.Pick(test.Sources, filter);
        if (picked.Count == 0) return;
        using var scope = torch.NewDisposeScope();
        var hr = torch.cat(picked.Select(i => test.Images.narrow(0, i, 1)).ToList()).to(ScalarType.Float32).div(255);
        var lr = Resize.bicubic(hr, 0.25).clamp(0, 1);
        var grid = new ImageGrid()
            .Column("LR (nearest)", torch.nn.functional.interpolate(lr, (hr.size(2), hr.size(3))))
            .Column(BicubicLabel, Resize.bicubic(lr, 4).clamp(0, 1));
        foreach (var (key, name) in Entries)
            using (var stage = TrainedStage.Load(runs[key].LastCheckpoint, runs[key].Config.Device))
                grid.Column(name, stage.call(lr));
        grid.Column("HR", hr);
        grid.Save(path);
        ResearchFolder.SaveSampleNames(path, picked.Select(i => test.Sources[i]));
    }
}
