using System.Globalization;
using Lib.Data;
using Lib.Evaluation;
using Lib.Imaging;
using Lib.Pipelines;
using Lib.Plots;
using Lib.Torch;

namespace Lib.Training;

/// <summary>
/// Notebook 04's question run as research (<see cref="OrderingsProfile.Research"/>): the three orderings trained (or resumed)
/// on a photo folder's split, each pipeline scored on the held-out photos at the large size with intervals (last and best
/// checkpoints, the two baselines, and ordering a with the shipped models), the two orderings that lead on the validation
/// photos trained again with a second seed, and every pipeline scored at its budget marks. Everything is written to one
/// folder, which <see cref="Load"/> reads back, so the notebook shows an hour of training without repeating it.
/// </summary>
public sealed class OrderingsResearch
{
    public const int SecondSeed = 7;

    /// <summary>How many orderings, the leaders on the validation photos, are trained with <see cref="SecondSeed"/> too.</summary>
    public const int RepeatedCount = 2;

    public const string ShippedLabel = "a. with the shipped models";

    /// <summary>The test photos: the truth, both baselines, each ordering's last (its label) and best (<see cref="Best"/>) checkpoints, the shipped models in ordering a.</summary>
    public required ScoreTable Table { get; init; }

    /// <summary>The repeated orderings trained with <see cref="SecondSeed"/>, and the baseline, on the same test photos (same method names as <see cref="Table"/>).</summary>
    public required ScoreTable SecondSeedTable { get; init; }

    /// <summary>Each ordering's last checkpoints and the baseline on the validation photos: what chose the repeated orderings.</summary>
    public required ScoreTable Validation { get; init; }

    /// <summary>Each ordering at each of its budget marks, on the test photos (<see cref="BudgetCurve.RowName"/>).</summary>
    public required ScoreTable Budget { get; init; }

    /// <summary>The labels of the orderings trained with both seeds.</summary>
    public required IReadOnlyList<string> Repeated { get; init; }

    public required string ValidationSet { get; init; }
    public required string TestSet { get; init; }

    /// <summary>An ordering's row with each stage's best checkpoint (chosen on the validation photos by the stage's own metric).</summary>
    public static string Best(Ordering ordering) => $"{ordering.Label} (best)";

    /// <summary>Both seeds' tables, for <see cref="SeedAgreement"/>.</summary>
    public IReadOnlyList<ScoreTable> Seeds => [Table, SecondSeedTable];

    /// <summary>
    /// Trains the profile's runs in <paramref name="runsDir"/>/RUN (resuming; a run whose budget is spent is only scored), then the
    /// repeated orderings' in RUN-seed7, scores everything and writes the tables, charts and a sample grid to <paramref name="resultsDir"/>.
    /// <paramref name="sampleFilter"/> picks the test photos the grid may show (e.g. only COCO's, whose licenses allow it).
    /// </summary>
    public static OrderingsResearch Run(OrderingsProfile profile, IReadOnlyList<string> photoDirs, string runsDir, string resultsDir,
        Func<string, bool>? sampleFilter = null, string? cacheDir = null, TextWriter? log = null)
    {
        log ??= Console.Out;
        using var data = TrainingData.Prepare(photoDirs, profile.Data, profile.Joint.Seed, evalSize: profile.HighSize, cacheDir: cacheDir, log: log);
        log.WriteLine(data);
        using var val = EvaluationSet.FromImages($"validation {profile.HighSize} px", data.Val.Images, profile.Scale, ids: data.Val.Sources.Select(Path.GetFileName).ToList()!);
        using var test = EvaluationSet.FromImages($"test {profile.HighSize} px", data.Test.Images, profile.Scale, ids: data.Test.Sources.Select(Path.GetFileName).ToList()!);
        var baseline = Method.Of(Stage.Bicubic(profile.Scale, ImageKind.Gray).Then(Stage.Uncolored), Orderings.BaselineLabel);
        var ceiling = Method.Of(Stage.Bicubic(profile.Scale, ImageKind.Color), Orderings.CeilingLabel);
        var table = new ScoreTable().Add(Evaluator.Truth(test), Evaluator.Run(baseline, test), Evaluator.Run(ceiling, test));
        var validation = new ScoreTable().Add(Evaluator.Run(baseline, val));
        var secondSeed = new ScoreTable().Add(Evaluator.Run(baseline, test));
        var budget = new ScoreTable();
        var runs = new List<TrainingRun>();
        try
        {
            var first = Train(profile, data, runsDir, "", Orderings.All, runs, log);
            foreach (var o in Orderings.All)
            {
                var minutes = o.Runs.Sum(r => first[r].TrainSeconds / 60);
                using (var p = Compose(o, first, t => t.LastCheckpoint))
                {
                    table.Add(Evaluator.Run(Method.Of(p, o.Label), test).With("training min", minutes));
                    validation.Add(Evaluator.Run(Method.Of(p, o.Label), val));
                }
                using (var p = Compose(o, first, t => t.BestCheckpoint))
                    table.Add(Evaluator.Run(Method.Of(p, Best(o)), test));
                foreach (var mark in profile.PipelineMarks)
                    if (ComposeAt(o, first, mark) is { } p)
                        using (p)
                            budget.Add(Evaluator.Run(Method.Of(p, BudgetCurve.RowName(o.Label, mark)), test).With("training min", mark));
                log.WriteLine($"{o.Label}: scored on {test.Count} test and {val.Count} validation photos");
            }
            // The shipped models enlarge ×4: a profile at another scale has no row for them.
            if (ShippedPipeline() is { } shipped)
                using (shipped)
                    if (shipped.Scale == profile.Scale) table.Add(Evaluator.Run(Method.Of(shipped, ShippedLabel), test));

            var repeated = Ranking.Rank(validation, val.Name, Orderings.All.Select(o => o.Label), Score.Psnr)
                .Take(RepeatedCount).Select(r => Orderings.All.First(o => o.Label == r.Method)).ToList();
            log.WriteLine($"repeated with seed {SecondSeed} (the leaders on the validation photos): {string.Join(", ", repeated.Select(o => o.Label))}");
            var second = Train(profile.WithSeed(SecondSeed), data, runsDir, $"-seed{SecondSeed}", repeated, runs, log);
            foreach (var o in repeated)
            {
                using (var p = Compose(o, second, t => t.LastCheckpoint))
                    secondSeed.Add(Evaluator.Run(Method.Of(p, o.Label), test).With("training min", o.Runs.Sum(r => second[r].TrainSeconds / 60)));
                using (var p = Compose(o, second, t => t.BestCheckpoint))
                    secondSeed.Add(Evaluator.Run(Method.Of(p, Best(o)), test));
            }

            var result = new OrderingsResearch
            {
                Table = table, SecondSeedTable = secondSeed, Validation = validation, Budget = budget, Repeated = repeated.Select(o => o.Label).ToList(),
                ValidationSet = val.Name, TestSet = test.Name,
            };
            result.Save(resultsDir);
            var (colorization, upscalers) = LossCharts(first);
            colorization.Save(Path.Combine(resultsDir, "losses_colorization.svg"));
            upscalers.Save(Path.Combine(resultsDir, "losses_upscalers.svg"));
            SaveSamples(Path.Combine(resultsDir, "samples.png"), profile, first, data.Test, sampleFilter);
            return result;
        }
        finally
        {
            foreach (var r in runs) r.Dispose();
        }
    }

    /// <summary>
    /// The two loss charts notebook 04 draws: each colorizing run's L1 (the colorizers' on ab, the joint model's on Lab) and each
    /// upscaler's pixel MSE, smoothed, against its training minutes.
    /// </summary>
    public static (LineChart colorization, LineChart upscalers) LossCharts(IReadOnlyDictionary<string, ITrainer> runs)
    {
        LineChart Curves(string title, string yLabel, string column, params (string name, string run)[] series)
        {
            var chart = new LineChart { Title = title, XLabel = "training minutes", YLabel = yLabel, LogY = true };
            foreach (var (name, run) in series)
            {
                var steps = runs[run].Steps;
                chart.Add($"{name} ({steps.Count} steps)", LineChart.Smooth(steps[column], 9), steps["seconds"].Select(s => s / 60).ToList());
            }
            return chart;
        }
        return (Curves("Colorization: L1 per step", "L1 (network scale)", "loss_G_L1",
                ("a: colorizer at 64", Orderings.ColorizerLowRun), ("b: colorizer at 256", Orderings.ColorizerHighRun), ("c: joint (Lab)", Orderings.JointRun)),
            Curves("Upscalers: pixel MSE per step", "MSE", "mse",
                ("a: color upscaler", Orderings.UpscalerColorRun), ("b: gray upscaler", Orderings.UpscalerGrayRun)));
    }

    /// <summary>
    /// Scores ordering a with the shipped models (models/) again on the saved research's test photos and puts its row in place
    /// of the saved one, leaving every other row as it was: after models/ changes, without training or scoring the runs again.
    /// The photos must be the ones <see cref="Run"/> had (the same split, by file and seed).
    /// </summary>
    /// <exception cref="FileNotFoundException">A shipped model is missing, or there is no saved research in <paramref name="resultsDir"/>.</exception>
    public static OrderingsResearch RescoreShipped(OrderingsProfile profile, IReadOnlyList<string> photoDirs, string resultsDir, string? cacheDir = null, TextWriter? log = null)
    {
        log ??= Console.Out;
        var saved = Load(resultsDir);
        using var shipped = ShippedPipeline() ?? throw new FileNotFoundException("models/ lacks the shipped colorizer or upscaler that ordering a needs");
        if (shipped.Scale != profile.Scale)
            throw new ArgumentException($"the shipped models enlarge ×{shipped.Scale}, this profile ×{profile.Scale}: its research has no row for them", nameof(profile));
        using var data = TrainingData.Prepare(photoDirs, profile.Data, profile.Joint.Seed, evalSize: profile.HighSize, cacheDir: cacheDir, log: log);
        using var test = EvaluationSet.FromImages($"test {profile.HighSize} px", data.Test.Images, profile.Scale, ids: data.Test.Sources.Select(Path.GetFileName).ToList()!);
        if (test.Name != saved.TestSet) throw new ArgumentException($"the saved research in {resultsDir} was scored on '{saved.TestSet}', this profile gives '{test.Name}'", nameof(profile));
        var table = new ScoreTable().Add(saved.Table.Rows.Where(r => r.Method != ShippedLabel)).Add(Evaluator.Run(Method.Of(shipped, ShippedLabel), test));
        table.Save(resultsDir, "orderings");
        log.WriteLine($"{ShippedLabel}: scored again on {test.Count} {test.Name} photos");
        return new OrderingsResearch
        {
            Table = table, SecondSeedTable = saved.SecondSeedTable, Validation = saved.Validation, Budget = saved.Budget, Repeated = saved.Repeated,
            ValidationSet = saved.ValidationSet, TestSet = saved.TestSet,
        };
    }

    /// <summary>Ordering a with the models the workbook ships (models/), or null when either is missing.</summary>
    public static Stage? ShippedPipeline()
    {
        var files = new TrainingTask[] { TrainingTasks.Colorizer, TrainingTasks.Upscaler }.Select(ShippedModels.Find).ToList();
        return files.All(f => f is not null)
            ? Orderings.ColorizeThenUpscale.Compose(files.Select(f => (Stage)TrainedStage.Load(f!)).ToList())
            : null;
    }

    private static Dictionary<string, ITrainer> Train(OrderingsProfile profile, TrainingData data, string runsDir, string suffix,
        IEnumerable<Ordering> orderings, List<TrainingRun> runs, TextWriter log)
    {
        var trained = new Dictionary<string, ITrainer>();
        foreach (var o in orderings)
            foreach (var (name, config) in profile.RunsOf(o))
            {
                var run = TrainingRun.Create(config, data, Path.Combine(runsDir, name + suffix));
                runs.Add(run);
                run.Fit(log);
                trained[name] = run.Trainer;
            }
        return trained;
    }

    private static Stage Compose(Ordering o, IReadOnlyDictionary<string, ITrainer> runs, Func<ITrainer, string> checkpoint) =>
        o.Compose(o.Runs.Select(r => (Stage)TrainedStage.Load(checkpoint(runs[r]), runs[r].Config.Device, name: r)).ToList());

    /// <summary>The pipeline at a pipeline mark: its stages at their share of it (half each of two); null when a stage did not reach it.</summary>
    private static Stage? ComposeAt(Ordering o, IReadOnlyDictionary<string, ITrainer> runs, double mark)
    {
        var stageMark = mark / o.Runs.Count;
        var checkpoints = o.Runs.Select(r => runs[r].MarksReached.Where(m => Math.Abs(m.minutes - stageMark) < 1e-9).Select(m => m.checkpoint).FirstOrDefault()).ToList();
        return checkpoints.All(c => c is not null)
            ? o.Compose(checkpoints.Select((c, i) => (Stage)TrainedStage.Load(c!, runs[o.Runs[i]].Config.Device, name: o.Runs[i])).ToList())
            : null;
    }

    private void Save(string dir)
    {
        Table.Save(dir, "orderings");
        SecondSeedTable.Save(dir, "second_seed");
        Validation.Save(dir, "validation");
        Budget.Save(dir, "budget");
        var labels = Orderings.All.Select(o => o.Label).ToList();
        foreach (var (score, file) in new[] { (Score.Psnr, "budget_psnr.svg"), (Score.Colorfulness, "budget_colorfulness.svg") })
            BudgetCurve.Chart(Budget, TestSet, labels, score, $"{Score.InWords(score).name} on the {TestSet} photos against training minutes per pipeline")
                .Save(Path.Combine(dir, file));
        DurableFile.WriteAllText(Path.Combine(dir, "repeated.txt"), string.Join("\n", Repeated) + "\n");
        DurableFile.WriteAllText(Path.Combine(dir, "sets.txt"), $"{ValidationSet}\n{TestSet}\n");
    }

    /// <summary>What <see cref="Run"/> wrote to <paramref name="dir"/>.</summary>
    /// <exception cref="FileNotFoundException">A file of the research run is missing (names it and how to make it).</exception>
    public static OrderingsResearch Load(string dir)
    {
        string Need(string name) => ResearchFolder.Need(dir, name, "04");
        var sets = File.ReadAllLines(Need("sets.txt"));
        return new OrderingsResearch
        {
            Table = ScoreTable.Load(Need("orderings.csv")), SecondSeedTable = ScoreTable.Load(Need("second_seed.csv")),
            Validation = ScoreTable.Load(Need("validation.csv")), Budget = ScoreTable.Load(Need("budget.csv")),
            Repeated = File.ReadAllLines(Need("repeated.txt")).Where(l => l.Length > 0).ToList(), ValidationSet = sets[0], TestSet = sets[1],
        };
    }

    /// <summary>The 64-px gray input | each ordering (last checkpoints) | truth, on up to 4 test photos the filter allows; their names beside.</summary>
    private static void SaveSamples(string path, OrderingsProfile profile, IReadOnlyDictionary<string, ITrainer> runs, PreparedImages test, Func<string, bool>? filter)
    {
        var picked = ResearchFolder.Pick(test.Sources, filter);
        if (picked.Count == 0) return;
        using var scope = torch.NewDisposeScope();
        var truth = torch.cat(picked.Select(i => test.Images.narrow(0, i, 1)).ToList()).to(ScalarType.Float32).div(255);
        var input = Resize.bicubic(Lab.lightness(truth), 1.0 / profile.Scale).clamp(0, 1);
        var grid = new ImageGrid().Column("input (64, nearest)", Lab.gray_to_rgb(torch.nn.functional.interpolate(input, (profile.HighSize, profile.HighSize))));
        foreach (var o in Orderings.All)
            using (var p = Compose(o, runs, t => t.LastCheckpoint))
                grid.Column(o.Label, p.call(input));
        grid.Column("truth", truth);
        grid.Save(path);
        ResearchFolder.SaveSampleNames(path, picked.Select(i => test.Sources[i]));
    }
}
