using Lib.Data;
using Lib.Evaluation;
using Lib.Training;
using static Lib.Torch.torch;

namespace Lib.Tests;

/// <summary>
/// Checkpoints written before the data settings became one record (flat LoadSize, TilesPerSide, … beside the models'
/// settings, and "colorization"/"superresolution" as task names) still load as stages and resume their runs. The
/// fixtures under tests/fixtures/checkpoints were written by the workbook at commit a6eca55 (tiny untrained networks).
/// </summary>
public sealed class CheckpointCompatibilityTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ckpt-compat-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Fixture(string name) => TestSupport.Fixture(Path.Combine("checkpoints", name));

    public static TheoryData<string, string, int, int, int, int, int> Written => new()
    {
        // file, task, LoadSize, TilesPerSide, TrainImages, ValImages, TestImages — as the old configs held them
        { "colorizer-flat-data.safetensors", "colorizer", 80, 3, 7, 3, 5 },
        { "upscaler-flat-data.safetensors", "upscaler", 70, 2, 9, 1, 2 },
        { "joint-flat-data.safetensors", "joint", 130, 1, 11, 2, 3 },
    };

    [Theory]
    [MemberData(nameof(Written))]
    public void An_old_checkpoint_loads_with_its_data_settings_in_the_record(string file, string task, int load, int tiles, int train, int val, int test)
    {
        var raw = Checkpoint.ReadInfo(Fixture(file)).ConfigJson!;
        Assert.Contains("\"LoadSize\"", raw);
        Assert.DoesNotContain("\"Data\"", raw); // the fixture really is in the old layout

        using var stage = TrainedStage.Load(Fixture(file), "cpu");
        Assert.Equal(task, stage.Task.Name);
        Assert.Equal(new DataSettings { LoadSize = load, TilesPerSide = tiles, TrainImages = train, ValImages = val, TestImages = test }, stage.Config.Data);
        var side = stage.SizeMultiple > 1 ? stage.SizeMultiple : 32;
        using var input = rand(1, stage.Input == Imaging.ImageKind.Gray ? 1 : 3, side, side);
        using var output = stage.call(input);
        Assert.Equal(side * stage.Scale, output.size(2));
    }

    [Fact]
    public void An_old_run_resumes_under_its_upgraded_config()
    {
        var old = Checkpoint.ReadInfo(Fixture("colorizer-flat-data.safetensors"));
        var config = (ColorizerConfig)old.Config("fixture");
        var run = Path.Combine(_dir, "run", "checkpoints");
        Directory.CreateDirectory(run);
        File.Copy(Fixture("colorizer-flat-data.safetensors"), Path.Combine(run, "last.safetensors"));
        using var trainer = new ColorizerTrainer(config with { Device = "cpu" }, Path.Combine(_dir, "run"));
        Assert.True(trainer.TryResume(TextWriter.Null));

        using var changed = new ColorizerTrainer(config with { Device = "cpu", Data = config.Data with { TilesPerSide = 9 } }, Path.Combine(_dir, "run"));
        var e = Assert.Throws<InvalidOperationException>(() => changed.TryResume(TextWriter.Null));
        Assert.Contains("Data", e.Message);
        Assert.Contains("\"TilesPerSide\":9", e.Message);
    }

    [Fact]
    public void Checkpoint_info_round_trips_through_the_metadata()
    {
        var info = new CheckpointInfo
        {
            ConfigJson = new ColorizerConfig().ToJson(), EpochsDone = 3, StepsDone = 1234567890123, StepsInEpoch = 7, TrainSeconds = 61.25,
            BestMetric = "val_L1", BestValue = 0.1234567, BestStep = 99, StoppedBy = StopReason.Budget,
        };
        var path = Path.Combine(_dir, "info.safetensors");
        Checkpoint.Save(path, new Dictionary<string, nn.Module> { ["G"] = nn.Linear(2, 2) }, metadata: info.ToMetadata(), includeRng: false);
        Assert.Equal(info, Checkpoint.ReadInfo(path));
        Assert.IsType<ColorizerConfig>(Checkpoint.ReadInfo(path).Config(path));
    }

    [Fact]
    public void A_checkpoint_without_a_config_is_refused_by_name()
    {
        var path = Path.Combine(_dir, "bare.safetensors");
        Checkpoint.Save(path, new Dictionary<string, nn.Module> { ["G"] = nn.Linear(2, 2) }, includeRng: false);
        var e = Assert.Throws<InvalidDataException>(() => TrainedStage.Load(path, "cpu"));
        Assert.Contains("bare.safetensors", e.Message);
        Assert.Contains("holds no run config", e.Message);
    }

    [Fact]
    public void A_saved_score_table_reads_back_through_the_CSV_reader_with_quoted_names()
    {
        var table = new ScoreTable().Add(
            new ScoreRow("test, 256 px", "a. colorize → upscale", 10, new Dictionary<string, double> { [Score.Psnr] = 12.5, [Score.Ssim] = 0.5 }, []),
            new ScoreRow("test, 256 px", "c. joint GAN", 10, new Dictionary<string, double> { [Score.Psnr] = 16.25 }, []),
            new ScoreRow("test, 256 px", "say \"hi\"", 10, new Dictionary<string, double> { [Score.Psnr] = 99 }, []));
        table.Save(_dir);
        var back = ScoreTable.Load(Path.Combine(_dir, "evaluation.csv"));
        Assert.Equal(3, back.Rows.Count);
        Assert.Equal(16.25, back["test, 256 px", "c. joint GAN"][Score.Psnr]);
        Assert.False(back["test, 256 px", "c. joint GAN"].Values.ContainsKey(Score.Ssim)); // "—" is no value
        Assert.Equal(99, back["test, 256 px", "say \"hi\""][Score.Psnr]);
        Assert.Equal((Orderings.Joint, 16.25), Orderings.BestByPsnr(back));
    }
}
