using Lib.Data;
using Lib.Evaluation;
using Lib.Training;

namespace Lib.Tests;

/// <summary>Notebooks 03's and 04's research runs, shrunk to seconds: they train, score, repeat the leaders with a second seed, keep budget marks, and read back.</summary>
public sealed class ResearchRunTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("lib-research-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private static string Photos => Path.Combine(TestSupport.RepoRoot, "data", "demo", "photos", "mate-backgrounds");

    private static readonly DataSettings Few = new() { LoadSize = 72, TilesPerSide = 1, TrainImages = 100, ValImages = 2, TestImages = 2 };

    [Fact]
    public void The_orderings_research_scores_every_pipeline_repeats_the_two_leaders_and_reads_back()
    {
        var device = TestSupport.Device.ToString();
        var p = OrderingsProfile.Research(0.04);
        var profile = p with
        {
            // The joint model's U-Net needs 32 pixels in: 32 → 64 is the smallest pipeline every stage takes.
            LowSize = 32, Scale = 2, PatchSize = 32, Data = Few,
            ColorizerLow = p.ColorizerLow with { ImageSize = 32, InputDownscale = 2, Data = Few, GeneratorWidth = 8, DiscriminatorWidth = 8, BatchSize = 2, Device = device },
            ColorizerHigh = p.ColorizerHigh with { ImageSize = 64, Data = Few, GeneratorWidth = 8, DiscriminatorWidth = 8, BatchSize = 2, Device = device },
            UpscalerColor = p.UpscalerColor with { Scale = 2, HrSize = 32, Data = Few, Blocks = 1, Channels = 8, BatchSize = 2, Device = device },
            UpscalerGray = p.UpscalerGray with { Scale = 2, HrSize = 32, Data = Few, Blocks = 1, Channels = 8, BatchSize = 2, Device = device },
            Joint = p.Joint with { ImageSize = 32, Scale = 2, Data = Few, GeneratorWidth = 8, UpsampleChannels = 8, DiscriminatorWidth = 8, BatchSize = 2, Device = device },
        };
        Assert.Equal([0.04], profile.PipelineMarks);
        Assert.Equal([0.02], profile.ColorizerLow.BudgetMarks);
        var results = Path.Combine(_dir, "results");
        var research = OrderingsResearch.Run(profile, [Photos], Path.Combine(_dir, "runs"), results, log: TextWriter.Null);
        var reread = OrderingsResearch.Load(results);
        Assert.Equal(research.Table.Rows.Count, reread.Table.Rows.Count);
        Assert.Equal(OrderingsResearch.RepeatedCount, reread.Repeated.Count);
        foreach (var o in Orderings.All)
        {
            _ = reread.Table[reread.TestSet, o.Label];
            _ = reread.Table[reread.TestSet, OrderingsResearch.Best(o)];
            _ = reread.Validation[reread.ValidationSet, o.Label];
            // Every pipeline reached its one mark: its stages' halves, or the joint model's whole.
            _ = reread.Budget[reread.TestSet, BudgetCurve.RowName(o.Label, 0.04)];
        }
        // The repeated orderings are the validation's two leaders, trained again under the same names.
        var leaders = Ranking.Rank(reread.Validation, reread.ValidationSet, Orderings.All.Select(o => o.Label), Score.Psnr).Take(2).Select(r => r.Method);
        Assert.Equal(leaders, reread.Repeated);
        foreach (var label in reread.Repeated)
        {
            _ = reread.SecondSeedTable[reread.TestSet, label];
            foreach (var run in Orderings.All.First(o => o.Label == label).Runs)
                Assert.True(File.Exists(Path.Combine(_dir, "runs", $"{run}-seed{OrderingsResearch.SecondSeed}", "checkpoints", "last.safetensors")), run);
        }
        // A verdict across seeds reads both tables.
        Assert.NotEmpty(SeedAgreement.Describe(reread.Seeds, reread.TestSet, reread.Repeated[0], Orderings.BaselineLabel, Score.Psnr));
        foreach (var file in new[] { "budget_psnr.svg", "losses_colorization.svg", "losses_upscalers.svg", "orderings_per_image.csv" })
            Assert.True(File.Exists(Path.Combine(results, file)), file);

        // The shipped models enlarge ×4; this profile ×2 has no row for them to score again.
        Assert.Throws<ArgumentException>(() => OrderingsResearch.RescoreShipped(profile, [Photos], results, log: TextWriter.Null));

        // A second call resumes every run, trains nothing, and scores the same.
        var again = OrderingsResearch.Run(profile, [Photos], Path.Combine(_dir, "runs"), results, log: TextWriter.Null);
        Assert.Equal(research.Table[research.TestSet, Orderings.Joint.Label][Score.Psnr], again.Table[again.TestSet, Orderings.Joint.Label][Score.Psnr], 6);
    }

    [Fact]
    public void The_upscaler_research_scores_each_model_on_every_set_with_both_seeds_and_reads_back()
    {
        var config = UpscalerResearch.Config(0.02) with
        {
            HrSize = 32, Data = Few with { LoadSize = 40, TilesPerSide = 2 }, Blocks = 1, Channels = 8, DiscriminatorChannels = 8, BatchSize = 4,
            VggWeights = "", Device = TestSupport.Device.ToString(),
        };
        var benchmark = Path.Combine(_dir, "bench");
        Directory.CreateDirectory(benchmark);
        // Two small crops of demo photos as a benchmark folder (a full photo takes seconds per model).
        foreach (var f in Directory.GetFiles(Photos).Order(StringComparer.Ordinal).Take(2))
            using (var image = Lib.Imaging.Image.read(f))
                Lib.Imaging.Image.write_png(image.narrow(1, 0, 48).narrow(2, 0, 64).contiguous(), Path.Combine(benchmark, Path.GetFileNameWithoutExtension(f) + ".png"));
        var results = Path.Combine(_dir, "results");
        var research = UpscalerResearch.Run(config, [Photos], [benchmark, Path.Combine(_dir, "missing")], Path.Combine(_dir, "runs"), results, log: TextWriter.Null);
        var reread = UpscalerResearch.Load(results);
        Assert.Equal(2, reread.Sets.Count); // the missing benchmark folder is skipped
        Assert.Equal(research.Table.Rows.Count, reread.Table.Rows.Count);
        foreach (var set in reread.Sets)
        {
            _ = reread.Table[set, UpscalerResearch.BicubicLabel];
            foreach (var (key, name) in UpscalerResearch.Entries)
            {
                _ = reread.Table[set, name];
                _ = reread.Table[set, UpscalerResearch.Best(name)];
                if (UpscalerResearch.Repeated.Contains(key)) _ = reread.SecondSeedTable[set, name];
            }
        }
        // SRGAN's GAN phase starts from its own seed's SRResNet.
        var srgan = (UpscalerConfig)RunConfig.Load(Path.Combine(_dir, "runs", $"srgan-seed{UpscalerResearch.SecondSeed}", "config.json"));
        Assert.True(srgan.Adversarial);
        Assert.Contains($"srresnet-seed{UpscalerResearch.SecondSeed}", srgan.InitGenerator);
        Assert.Equal(UpscalerResearch.Entries.Count, reread.Budget.Rows.Select(r => r.Method.Split(" @ ")[0]).Distinct().Count());
        Assert.True(File.Exists(Path.Combine(results, "budget_psnr_y.svg")));
        Assert.True(File.Exists(Path.Combine(results, "losses.svg")));

        // After models/ changes, the shipped upscaler's rows alone are scored again; the other rows stay as saved.
        Assert.NotNull(ShippedModels.Find(TrainingTasks.Upscaler));
        var rescored = UpscalerResearch.RescoreShipped(config, [Photos], [benchmark], results, log: TextWriter.Null);
        var saved = UpscalerResearch.Load(results);
        Assert.Equal(reread.Table.Rows.Count, saved.Table.Rows.Count);
        foreach (var set in reread.Sets)
        {
            Assert.Single(saved.Table.Rows, r => r.Set == set && r.Method == UpscalerResearch.ShippedLabel);
            Assert.Equal(reread.Table[set, UpscalerResearch.ShippedLabel][Score.PsnrY], rescored.Table[set, UpscalerResearch.ShippedLabel][Score.PsnrY], 6);
            Assert.Equal(reread.Table[set, UpscalerResearch.BicubicLabel][Score.PsnrY], saved.Table[set, UpscalerResearch.BicubicLabel][Score.PsnrY], 6);
        }
        Assert.Throws<ArgumentException>(() => UpscalerResearch.RescoreShipped(config, [Photos], [], results, log: TextWriter.Null));
    }
}
