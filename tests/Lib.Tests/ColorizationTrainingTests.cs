using Lib.Plots;
using Lib.Data;
using Lib.Imaging;
using Lib.Torch;
using Lib.Training;
using static Lib.Torch.torch;

namespace Lib.Tests;

/// <summary>The colorization GAN on real photos (the demo set, fetched by tools/test.sh).</summary>
public sealed class ColorizationTrainingTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("lib-train-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private static IReadOnlyList<string> DemoPhotos()
    {
        var folder = Path.Combine(TestSupport.RepoRoot, "data", "demo", "photos");
        Assert.True(Directory.Exists(folder), $"{folder} is missing: run tools/fetch_demo_data.sh (tools/test.sh does)");
        return ImageFolder.List(folder);
    }

    private static ColorizerConfig Tiny => ColorizerConfig.Quick with
    {
        ImageSize = 32, Data = ColorizerConfig.Quick.Data with { LoadSize = 40, TilesPerSide = 3 }, BatchSize = 8, GeneratorWidth = 8, DiscriminatorWidth = 8,
        Epochs = 2, SampleCount = 2, LogEvery = 1000, Device = TestSupport.Device.ToString(),
    };

    private static PreparedImages Prepare(IReadOnlyList<string> files, int loadSize, string? cache = null) =>
        PreparedImages.Prepare(files, new PrepareOptions { LoadSize = loadSize, TilesPerSide = 3, Log = TextWriter.Null, CacheDir = cache });

    [Fact]
    public void Fifty_steps_on_real_photos_lower_the_L1_loss()
    {
        var photos = DemoPhotos().Take(3).ToList();
        using var data = Prepare(photos, 40);
        // A tiny net learns visibly in 50 steps with a 10× larger rate than the report's 2e-4.
        using var trainer = new ColorizerTrainer(Tiny with { Lr = 2e-3 }, _dir);
        var loader = new BatchLoader(data, 8, 32, train: true, seed: 1, transform: TestSupport.LabPairs);
        var all = new BatchLoader(data, 64, 32, train: false, seed: 1, transform: TestSupport.LabPairs);
        var before = trainer.Validate(all)["val_L1"];
        var steps = 0;
        for (var epoch = 0; steps < 50; epoch++)
            foreach (var batch in loader.Epoch(epoch))
                using (batch)
                    if (steps++ < 50) trainer.TrainStep(batch[0], batch[1]);
        var after = trainer.Validate(all)["val_L1"];
        Assert.True(after < before * 0.95, $"L1 on the {data.Count} tiles went from {before:0.0000} to {after:0.0000} in 50 steps");
    }

    [Fact]
    public void Resuming_from_a_checkpoint_gives_the_same_next_losses_as_an_uninterrupted_run()
    {
        var photos = DemoPhotos().Take(2).ToList();
        using var train = Prepare(photos, 40);
        using var val = Prepare(photos.Take(1).ToList(), 32);
        BatchLoader Train() => new(train, 8, 32, train: true, seed: 5, transform: TestSupport.LabPairs);
        BatchLoader Val() => new(val, 8, 32, train: false, seed: 5, transform: TestSupport.LabPairs);

        var straightDir = Path.Combine(_dir, "straight");
        using (var straight = new ColorizerTrainer(Tiny, straightDir))
            straight.Fit(Train(), Val(), TextWriter.Null);
        var expected = LossHistory.Load(Path.Combine(straightDir, "history_steps.csv"));

        var resumedDir = Path.Combine(_dir, "resumed");
        using (var first = new ColorizerTrainer(Tiny with { Epochs = 1 }, resumedDir))
            first.Fit(Train(), Val(), TextWriter.Null);
        manual_seed(999); // disturb the generator: resuming must restore it
        using (var second = new ColorizerTrainer(Tiny, resumedDir))
        {
            Assert.True(second.TryResume(TextWriter.Null));
            Assert.Equal(1, second.EpochsDone);
            second.Fit(Train(), Val(), TextWriter.Null);
        }
        var actual = LossHistory.Load(Path.Combine(resumedDir, "history_steps.csv"));
        Assert.Equal(expected.Count, actual.Count);
        foreach (var column in new[] { "loss_D", "loss_G_gan", "loss_G_L1" })
            Assert.Equal(expected[column], actual[column]);
        Assert.True(File.Exists(Path.Combine(resumedDir, "checkpoints", "best.safetensors")));
        Assert.True(File.Exists(Path.Combine(resumedDir, "samples", "epoch_002.png")));
        Assert.True(File.Exists(Path.Combine(resumedDir, "config.json")));
    }

    [Fact]
    public void A_corrupt_photo_is_skipped_with_its_name_and_training_completes()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_dir, "photos")).FullName;
        foreach (var f in DemoPhotos().Take(2)) File.Copy(f, Path.Combine(folder, Path.GetFileName(f)));
        var good = File.ReadAllBytes(Path.Combine(folder, Path.GetFileName(DemoPhotos()[0])));
        File.WriteAllBytes(Path.Combine(folder, "truncated.jpg"), good[..(good.Length / 3)]);
        var log = new StringWriter();
        using var data = PreparedImages.Prepare(ImageFolder.List(folder), new PrepareOptions { LoadSize = 40, TilesPerSide = 2, Log = log });
        Assert.Contains("truncated.jpg", log.ToString());
        Assert.Single(data.Failed);
        using var trainer = new ColorizerTrainer(Tiny with { Epochs = 1 }, Path.Combine(_dir, "run"));
        trainer.Fit(new BatchLoader(data, 8, 32, true, 1, TestSupport.LabPairs), new BatchLoader(data, 8, 32, false, 1, TestSupport.LabPairs), TextWriter.Null);
        Assert.Equal(1, trainer.EpochsDone);
        Assert.True(double.IsFinite(trainer.Epochs.Last("val_L1")));
    }
}
