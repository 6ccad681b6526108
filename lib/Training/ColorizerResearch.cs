using System.Globalization;
using Lib.Data;
using Lib.Evaluation;
using Lib.Imaging;
using Lib.Models;
using Lib.Pipelines;
using Lib.Plots;
using Lib.Torch;

namespace Lib.Training;

/// <summary>
/// A colorizer race run as research (notebook 05's research profile, <see cref="ColorizerRace.Recipe"/>): every entry trained
/// (or resumed) on a photo folder's split, then scored on the held-out photos at the training size with intervals, each
/// regression entry's chroma gain and ECCV16's temperature swept on the validation and test photos, the gain chosen on the
/// validation photos alone, and a budget curve from the checkpoints each run kept at its marks. Everything is written to one
/// folder, which <see cref="Load"/> reads back, so a notebook can show a run that took hours without repeating it.
/// </summary>
public sealed class ColorizerResearch
{
    /// <summary>The gains swept (1: as predicted) and the temperatures (the paper's 0.38; 1 is the mean).</summary>
    public static readonly IReadOnlyList<double> Gains = [0.5, 0.75, 1, 1.25, 1.5, 1.75, 2];
    public static readonly IReadOnlyList<double> Temperatures = [0.2, 0.38, 0.6, 1];

    public const string GrayMethod = "gray photo (ab = 0)";

    /// <summary>Best and last checkpoints of every entry, the gray photo and the truth, on the test photos.</summary>
    public required ScoreTable Ablation { get; init; }

    /// <summary>The repeated entries' best and last checkpoints, and the gray photo, trained with the race's second seed (same method names as <see cref="Ablation"/>).</summary>
    public required ScoreTable SecondSeed { get; init; }

    /// <summary>Each entry's best checkpoint at every gain (or temperature), on the validation and the test photos.</summary>
    public required ScoreTable Sweep { get; init; }

    /// <summary>Each entry's checkpoints at its budget marks, on the test photos.</summary>
    public required ScoreTable Budget { get; init; }

    /// <summary>The gain (or temperature) each entry gets, chosen on the validation photos (<see cref="ChooseGain"/>).</summary>
    public required IReadOnlyDictionary<string, double> ChosenSetting { get; init; }

    public required string ValidationSet { get; init; }
    public required string TestSet { get; init; }

    /// <summary>The row name of an entry's best checkpoint at a gain or temperature in <see cref="Sweep"/>.</summary>
    public static string SweepRow(RaceEntry entry, double setting) => SweepRow(entry.Name, Sweeps(entry.Config), setting);

    private static string SweepRow(string name, string what, double setting) =>
        $"{name} (best), {what} {setting.ToString("0.##", CultureInfo.InvariantCulture)}";

    /// <summary>An entry's saved config at one gain (regression) or temperature (ECCV16's classification), for loading its checkpoints.</summary>
    public static Func<RunConfig, RunConfig> At(RaceEntry entry, double setting) => c => entry.Config.Regresses
        ? (ColorizerConfig)c with { ChromaGain = setting }
        : (ColorizerConfig)c with { Temperature = setting };

    /// <summary>What an entry sweeps: "T" for ECCV16's classification, "gain" for a regression.</summary>
    public static string Sweeps(ColorizerConfig config) => config.Regresses ? "gain" : "T";

    /// <summary>
    /// The most colorful gain (or temperature) on the validation photos whose validation PSNR is above the gray photo's with the
    /// paired 95 % interval above zero — the most colorful setting that still demonstrably beats leaving the photo gray, chosen
    /// without the test photos; when none is, the default (gain 1, the paper's T = 0.38). Ordered by measured colorfulness, not
    /// by the setting: a larger gain is always more colorful, but which temperature is depends on the learned distribution
    /// (with class rebalancing, the plain mean, T = 1, came out the most colorful here).
    /// </summary>
    public static double ChooseGain(ScoreTable sweep, string validationSet, RaceEntry entry)
    {
        var settings = (entry.Config.Regresses ? Gains : Temperatures)
            .OrderByDescending(s => sweep[validationSet, SweepRow(entry, s)][Score.Colorfulness]);
        foreach (var s in settings)
            if (sweep.Compare(validationSet, SweepRow(entry, s), GrayMethod, Score.Psnr).Low > 0) return s;
        return entry.Config.Regresses ? 1 : AnnealedMean.Temperature;
    }

    /// <summary>
    /// Trains each entry of <paramref name="race"/> in <paramref name="runsDir"/>/KEY (resuming; an entry whose budget is spent
    /// is only scored), scores it and writes the tables, charts and a sample grid to <paramref name="resultsDir"/>.
    /// <paramref name="sampleFilter"/> picks the test photos the grid may show (e.g. only COCO's, whose licenses allow it).
    /// </summary>
    public static ColorizerResearch Run(ColorizerRace race, IReadOnlyList<string> photoDirs, string runsDir, string resultsDir,
        Func<string, bool>? sampleFilter = null, string? cacheDir = null, TextWriter? log = null)
    {
        log ??= Console.Out;
        var seed = race.Entries[0].Config.Seed;
        using var data = TrainingData.Prepare(photoDirs, race.Data, seed, evalSize: race.ImageSize, cacheDir: cacheDir, log: log);
        // Photos named by file alone, so the per-image tables say nothing of this machine's folders.
        using var val = EvaluationSet.FromImages($"validation {race.ImageSize} px", data.Val.Images, ids: data.Val.Sources.Select(Path.GetFileName).ToList()!);
        using var test = EvaluationSet.FromImages($"test {race.ImageSize} px", data.Test.Images, ids: data.Test.Sources.Select(Path.GetFileName).ToList()!);
        var gray = Method.Of(Stage.Uncolored, GrayMethod);
        var ablation = new ScoreTable().Add(Evaluator.Truth(test), Evaluator.Run(gray, test));
        var sweep = new ScoreTable().Add(Evaluator.Truth(val), Evaluator.Run(gray, val), Evaluator.Truth(test), Evaluator.Run(gray, test));
        var secondSeed = new ScoreTable().Add(Evaluator.Truth(test), Evaluator.Run(gray, test));
        var runs = new List<(string name, ITrainer trainer)>();
        var chosen = new Dictionary<string, double>();
        var trainers = new List<TrainingRun>();
        var ownData = new List<TrainingData>();
        // An entry with data settings of its own (e.g. larger training squares for more varied crops) trains on its own
        // squares; the split's counts and seed are the race's, so its validation and test photos are the same.
        TrainingData DataOf(RaceEntry entry)
        {
            if (entry.Config.Data == race.Data) return data;
            var own = TrainingData.Prepare(photoDirs, entry.Config.Data, seed, evalSize: race.ImageSize, cacheDir: cacheDir, log: log);
            ownData.Add(own);
            return own;
        }
        try
        {
            foreach (var entry in race.Entries)
            {
                var run = TrainingRun.Create(entry.Config, DataOf(entry), Path.Combine(runsDir, entry.Key));
                trainers.Add(run);
                run.Fit(log);
                var t = run.Trainer;
                runs.Add((entry.Name, t));
                var imagesPerSecond = t.StepsDone * t.Config.BatchSize / Math.Max(t.TrainSeconds, 1e-9);
                foreach (var (which, path) in new[] { ("best", t.BestCheckpoint), ("last", t.LastCheckpoint) })
                    using (var stage = TrainedStage.Load(path, t.Config.Device))
                        ablation.Add(Evaluator.Run(Method.Of(stage, $"{entry.Name} ({which})"), test, MetricSet.Colorization)
                            .With("steps", t.StepsDone).With("img/s", imagesPerSecond).With("training min", t.TrainSeconds / 60));
                var settings = entry.Config.Regresses ? Gains : Temperatures;
                foreach (var s in settings)
                {
                    using var stage = TrainedStage.Load(t.BestCheckpoint, t.Config.Device, inference: At(entry, s));
                    foreach (var set in new[] { val, test })
                        sweep.Add(Evaluator.Run(Method.Of(stage, SweepRow(entry, s)), set, MetricSet.Colorization).With(Sweeps(entry.Config), s));
                }
                chosen[entry.Key] = ChooseGain(sweep, val.Name, entry);
                log.WriteLine($"{entry.Name}: {Sweeps(entry.Config)} {chosen[entry.Key]} chosen on {val.Count} validation photos");
            }
            foreach (var entry in race.Entries.Where(e => race.Repeated.Contains(e.Key)))
            {
                var run = TrainingRun.Create(entry.Config with { Seed = race.SecondSeed }, DataOf(entry), Path.Combine(runsDir, $"{entry.Key}-seed{race.SecondSeed}"));
                trainers.Add(run);
                run.Fit(log);
                var t = run.Trainer;
                foreach (var (which, path) in new[] { ("best", t.BestCheckpoint), ("last", t.LastCheckpoint) })
                    using (var stage = TrainedStage.Load(path, t.Config.Device))
                        secondSeed.Add(Evaluator.Run(Method.Of(stage, $"{entry.Name} ({which})"), test, MetricSet.Colorization)
                            .With("steps", t.StepsDone).With("training min", t.TrainSeconds / 60));
                var s = chosen[entry.Key];
                using (var stage = TrainedStage.Load(t.BestCheckpoint, t.Config.Device, inference: At(entry, s)))
                    secondSeed.Add(Evaluator.Run(Method.Of(stage, SweepRow(entry, s)), test, MetricSet.Colorization));
            }
            var budget = BudgetCurve.Score(runs, test, MetricSet.Colorization);
            var result = new ColorizerResearch
            {
                Ablation = ablation, SecondSeed = secondSeed, Sweep = sweep, Budget = budget, ChosenSetting = chosen, ValidationSet = val.Name, TestSet = test.Name,
            };
            result.Save(resultsDir, race, runs.Select(r => r.name).ToList());
            SaveSamples(Path.Combine(resultsDir, "samples.png"), race, runs, chosen, data.Test, sampleFilter);
            return result;
        }
        finally
        {
            foreach (var r in trainers) r.Dispose();
            foreach (var d in ownData) d.Dispose();
        }
    }

    private void Save(string dir, ColorizerRace race, IReadOnlyList<string> names)
    {
        Ablation.Save(dir, "ablation");
        SecondSeed.Save(dir, "second_seed");
        Sweep.Save(dir, "sweep");
        Budget.Save(dir, "budget");
        foreach (var (score, file) in new[] { (Score.Psnr, "budget_psnr.svg"), (Score.Colorfulness, "budget_colorfulness.svg") })
            BudgetCurve.Chart(Budget, TestSet, names, score, $"{Score.InWords(score).name} on the {TestSet} photos against training minutes").Save(Path.Combine(dir, file));
        DurableFile.WriteAllText(Path.Combine(dir, "chosen.csv"),
            "key,name,setting,value\n" + string.Join("\n", race.Entries.Select(e =>
                $"{e.Key},\"{e.Name}\",{Sweeps(e.Config)},{ChosenSetting[e.Key].ToString("R", CultureInfo.InvariantCulture)}")) + "\n");
        DurableFile.WriteAllText(Path.Combine(dir, "sets.txt"), $"{ValidationSet}\n{TestSet}\n");
    }

    /// <summary>What <see cref="Run"/> wrote to <paramref name="dir"/>.</summary>
    /// <exception cref="FileNotFoundException">A file of the research run is missing (names it and how to make it).</exception>
    public static ColorizerResearch Load(string dir)
    {
        string Need(string name) => ResearchFolder.Need(dir, name, "05");
        var sets = File.ReadAllLines(Need("sets.txt"));
        var chosen = File.ReadAllLines(Need("chosen.csv")).Skip(1).Where(l => l.Length > 0)
            .Select(l => l.Split(',')).ToDictionary(p => p[0], p => double.Parse(p[^1], CultureInfo.InvariantCulture));
        return new ColorizerResearch
        {
            Ablation = ScoreTable.Load(Need("ablation.csv")), SecondSeed = ScoreTable.Load(Need("second_seed.csv")), Sweep = ScoreTable.Load(Need("sweep.csv")), Budget = ScoreTable.Load(Need("budget.csv")),
            ChosenSetting = chosen, ValidationSet = sets[0], TestSet = sets[1],
        };
    }

    /// <summary>gray | each entry's best checkpoint at its chosen setting | truth, on up to 4 test photos the filter allows.</summary>
    private static void SaveSamples(string path, ColorizerRace race, List<(string name, ITrainer trainer)> runs, Dictionary<string, double> chosen,
        PreparedImages test, Func<string, bool>? filter)
    {
        var picked = ResearchFolder.Pick(test.Sources, filter);
        if (picked.Count == 0) return;
        using var scope = torch.NewDisposeScope();
        var truth = torch.cat(picked.Select(i => test.Images.narrow(0, i, 1)).ToList()).to(ScalarType.Float32).div(255);
        var l = Lab.lightness(truth);
        var grid = new ImageGrid().Column("gray", Lab.gray_to_rgb(l));
        foreach (var (entry, (name, trainer)) in race.Entries.Zip(runs))
        {
            var s = chosen[entry.Key];
            using var stage = TrainedStage.Load(trainer.BestCheckpoint, trainer.Config.Device, inference: At(entry, s));
            grid.Column($"{entry.Key} ({Sweeps(entry.Config)} {s.ToString("0.##", CultureInfo.InvariantCulture)})", stage.call(l));
        }
        grid.Column("truth", truth);
        grid.Save(path, scale: 2);
        ResearchFolder.SaveSampleNames(path, picked.Select(i => test.Sources[i]));
    }
}
