// Issue 24, item 2: what bfloat16 autocast costs in quality. Each case trains the same config twice from the same seed — once
// float32, once with Precision.BFloat16 — for the same epochs (so the same steps and batches), and scores both on the same
// held-out photos at every epoch mark; the float32 weights are also scored with bf16 inference alone. The paired 95 % interval
// of each difference (Bootstrap over photos) says whether bf16 changed the quality. The shipped models get the inference
// comparison too. Tables and the summary land in --out (bench/out/precision by default).
using System.Diagnostics;
using System.Globalization;
using Lib.Data;
using Lib.Evaluation;
using Lib.Training;

static class PrecisionStudy
{
    public const string Float32 = "float32";
    public const string Bf16Inference = "float32 weights, bf16 inference";
    public const string Bf16 = "bf16 training and inference";
    public const string SecondSeed = "float32, seed 7";

    // float32 and bf16 from the same seed; float32 again from another seed, the yardstick: how far two float32 runs of the same
    // recipe land apart on these photos. A bf16 difference inside that spread is the training's own noise, not bf16's.
    private static readonly (Precision, Func<int, int>, string)[] Runs =
        [(Precision.Float32, s => s, Float32), (Precision.BFloat16, s => s, Bf16), (Precision.Float32, _ => 7, SecondSeed)];

    private sealed record Case(string Key, string Title, RunConfig Config, int[] EpochMarks, int Scale, int TestSize);

    // The shipped models' split (seed 42 over ../shared/data's ImageNet and COCO samples): 916 training, 40 validation, 100 test photos.
    private static DataSettings Split(int loadSize, int tilesPerSide) =>
        new() { LoadSize = loadSize, TilesPerSide = tilesPerSide, TrainImages = 100_000, ValImages = 40, TestImages = 100 };

    private static IReadOnlyList<Case> Cases() =>
    [
        new("pix2pix-64", "pix2pix at 64 px (U-Net 6 levels, width 32, PatchGAN, vanilla GAN + 100·L1), batch 16",
            ColorizerConfig.Quick with
            {
                Profile = "precision-study", Generator = ColorizerGenerator.Pix2Pix, Discriminator = ColorizerDiscriminator.PatchGan, ImageSize = 64,
                Data = Split(72, 2), Lr = 2e-4, SampleEvery = 100_000, LogEvery = 50,
            }, [1, 3], 1, 64),
        new("pix2pix-256", "pix2pix at 256 px (U-Net 8 levels, width 32, PatchGAN, vanilla GAN + 100·L1), batch 4",
            ColorizerConfig.Quick with
            {
                Profile = "precision-study", Generator = ColorizerGenerator.Pix2Pix, Discriminator = ColorizerDiscriminator.PatchGan, ImageSize = 256,
                Data = Split(256, 1), BatchSize = 4, Lr = 2e-4, SampleEvery = 100_000, LogEvery = 50,
            }, [1, 2], 1, 256),
        new("srresnet", "SRResNet ×4 (4 blocks × 32 channels, bicubic skip, MSE), 64-px HR crops, batch 16",
            UpscalerConfig.Quick with { Profile = "precision-study", Data = Split(72, 2), SampleEvery = 100_000, LogEvery = 50 },
            [1, 3], 4, 256),
    ];

    public static int Run(IReadOnlyList<string> photoDirs, string outDir, string? only)
    {
        Directory.CreateDirectory(outDir);
        var summary = new List<string> { $"# bf16 autocast against float32 ({DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} threads)", "" };
        void Say(string line)
        {
            Console.WriteLine(line);
            summary.Add(line);
            File.WriteAllLines(Path.Combine(outDir, "summary.md"), summary);
        }
        foreach (var c in Cases().Where(c => only is null || only.Split(',').Contains(c.Key)))
        {
            var seed = c.Config.Seed;
            var task = TrainingTasks.Of(c.Config);
            using var data = TrainingData.Prepare(photoDirs, c.Config.Data, seed, evalSize: task.CropSize(c.Config), testSize: c.TestSize, testTilesPerSide: 1,
                excludeGrayscale: task.ExcludeGrayscale, cacheDir: Path.Combine(outDir, "prepared"));
            using var test = EvaluationSet.FromImages($"test {c.TestSize} px", data.Test.Images, c.Scale, ids: data.Test.Sources.Select(Path.GetFileName).ToList()!);
            var metrics = c.Scale > 1 ? MetricSet.SuperResolution : MetricSet.Colorization;
            var table = new ScoreTable();
            Say($"## {c.Title}");
            Say("");
            Say($"{data}; scored on {test.Count} held-out photos at {c.TestSize} px.");
            Say("");
            foreach (var (precision, seedOf, name) in Runs)
                foreach (var epochs in c.EpochMarks)
                {
                    var config = c.Config with { Precision = precision, Seed = seedOf(seed), Epochs = epochs };
                    var dir = Path.Combine(outDir, "runs", c.Key, name.Replace(' ', '-').Replace(",", ""));
                    var kept = Path.Combine(dir, "checkpoints", $"epoch{epochs}.safetensors");
                    var clock = Stopwatch.StartNew();
                    // A kept checkpoint is this run at this mark already (a study run again only scores it).
                    if (!File.Exists(kept))
                    {
                        using var run = TrainingRun.Create(config, data, dir);
                        run.Fit(TextWriter.Null);
                        File.Copy(run.Trainer.LastCheckpoint, kept, overwrite: true);
                    }
                    var info = Checkpoint.ReadInfo(kept);
                    var imagesPerSecond = info.StepsDone * config.BatchSize / Math.Max(info.TrainSeconds, 1e-9);
                    Say($"- {name}, epoch {epochs}: {info.StepsDone} steps, {info.TrainSeconds / 60:0.0} training min in all ({imagesPerSecond:0.0} img/s), this part {clock.Elapsed.TotalMinutes:0.0} min");
                    using var stage = TrainedStage.Load(kept, "cpu");
                    table.Add(Evaluator.Run(Method.Of(stage, Row(name, epochs)), test, metrics).With("steps", info.StepsDone).With("img/s", imagesPerSecond));
                    if (name == Float32)
                    {
                        stage.MixedPrecision = true;
                        table.Add(Evaluator.Run(Method.Of(stage, Row(Bf16Inference, epochs)), test, metrics).With("steps", info.StepsDone));
                    }
                }
            table.Save(outDir, c.Key);
            Say("");
            Say(Differences(table, test.Name, c.EpochMarks.SelectMany(e => new[]
            {
                (Row(Bf16, e), Row(Float32, e)), (Row(SecondSeed, e), Row(Float32, e)), (Row(Bf16Inference, e), Row(Float32, e)),
            })));
        }
        if (only is null || only.Split(',').Contains("shipped")) Shipped(photoDirs, outDir, Say);
        return 0;
    }

    private static string Row(string name, int epochs) => $"{name}, epoch {epochs}";

    /// <summary>The shipped colorizer and upscaler (models/) on their cards' held-out photos, float32 and bf16 inference.</summary>
    private static void Shipped(IReadOnlyList<string> photoDirs, string outDir, Action<string> say)
    {
        foreach (var (task, config, size) in new (TrainingTask, RunConfig, int)[]
                 { (TrainingTasks.Colorizer, ColorizerConfig.Shipped, 64), (TrainingTasks.Upscaler, UpscalerConfig.Shipped, 256) })
        {
            if (ShippedModels.Find(task) is not { } path)
            {
                say($"no shipped {task.Name} under models/");
                continue;
            }
            using var data = TrainingData.Prepare(photoDirs, config.Data, config.Seed, evalSize: size, testSize: size, testTilesPerSide: 1,
                excludeGrayscale: task.ExcludeGrayscale, cacheDir: Path.Combine(outDir, "prepared"));
            using var stage = TrainedStage.Load(path, "cpu");
            using var test = EvaluationSet.FromImages($"test {size} px", data.Test.Images, stage.Scale, ids: data.Test.Sources.Select(Path.GetFileName).ToList()!);
            var metrics = stage.Scale > 1 ? MetricSet.SuperResolution : MetricSet.Colorization;
            var table = new ScoreTable();
            table.Add(Evaluator.Run(Method.Of(stage, Float32), test, metrics));
            stage.MixedPrecision = true;
            table.Add(Evaluator.Run(Method.Of(stage, Bf16Inference), test, metrics));
            table.Save(outDir, $"shipped-{task.Name}");
            say($"## The shipped {task.Name} ({path}), inference only");
            say("");
            say(Differences(table, test.Name, [(Bf16Inference, Float32)]));
        }
    }

    /// <summary>A Markdown table: each pair's paired difference (first − second) on PSNR and SSIM, with its 95 % interval and both rows' speed.</summary>
    private static string Differences(ScoreTable table, string set, IEnumerable<(string a, string b)> pairs)
    {
        static string F(double v, string format) => v.ToString(format, CultureInfo.InvariantCulture);
        string Cell(Interval d, string format) => $"{(d.Mean >= 0 ? "+" : "")}{F(d.Mean, format)} [{F(d.Low, format)}, {F(d.High, format)}]{(d.ExcludesZero ? " *" : "")}";
        var lines = new List<string>
        {
            "| rows | images | PSNR, second row (dB) | PSNR difference (dB) [95 %] | SSIM difference [95 %] | ms/image, first / second |",
            "|---|---|---|---|---|---|",
        };
        foreach (var (a, b) in pairs)
        {
            var (ra, rb) = (table[set, a], table[set, b]);
            lines.Add($"| {a} − {b} | {ra.Images} | {F(rb[Score.Psnr], "0.00")} | {Cell(table.Compare(set, a, b, Score.Psnr), "0.000")} | " +
                      $"{Cell(table.Compare(set, a, b, Score.Ssim), "0.0000")} | {F(ra[Score.MsPerImage], "0.0")} / {F(rb[Score.MsPerImage], "0.0")} |");
        }
        lines.Add("");
        lines.Add("\\* the interval leaves out 0: a difference detected.");
        return string.Join("\n", lines);
    }
}
