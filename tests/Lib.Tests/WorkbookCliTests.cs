using Lib.Data;
using Lib.Imaging;
using Lib.Torch;
using Lib.Training;
using Workbook;
using static Lib.Torch.torch;

namespace Lib.Tests;

/// <summary>
/// The CLI (tools/Workbook) in-process: folders with odd sizes and a corrupt file, outputs kept unless forced, EXIF
/// orientation, every verb's argument errors with a message naming the fix. The models are untrained and tiny,
/// saved as the trainers save them, so the CLI loads them from the checkpoint alone.
/// </summary>
public sealed class WorkbookCliTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "workbook-cli-" + Guid.NewGuid().ToString("N")[..8]);

    public WorkbookCliTests() => Directory.CreateDirectory(_root);

    public void Dispose()
    {
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }

    private string P(params string[] parts) => Path.Combine([_root, .. parts]);

    private static (int code, string output, string log) Run(params string[] args)
    {
        var (output, log) = (new StringWriter(), new StringWriter());
        var code = Cli.Run(args, output, log);
        return (code, output.ToString(), log.ToString());
    }

    private string Colorizer()
    {
        var dir = P("runs", "colorizer");
        if (!File.Exists(Path.Combine(dir, "checkpoints", "best.safetensors")))
        {
            using var t = new ColorizerTrainer(new ColorizerConfig { Generator = ColorizerGenerator.Pix2Pix, ImageSize = 32, Data = new DataSettings { LoadSize = 32 }, GeneratorWidth = 4, DiscriminatorWidth = 4, Device = "cpu" }, dir);
            t.SaveCheckpoint(t.BestCheckpoint);
        }
        return Path.Combine(dir, "checkpoints", "best.safetensors");
    }

    private string Upscaler()
    {
        var dir = P("runs", "superres");
        if (!File.Exists(Path.Combine(dir, "checkpoints", "best.safetensors")))
        {
            using var t = new UpscalerTrainer(new UpscalerConfig { Blocks = 1, Channels = 4, HrSize = 32, Data = new DataSettings { LoadSize = 32 }, SigmoidOutput = false, BicubicSkip = true, Device = "cpu" }, dir);
            t.SaveCheckpoint(t.BestCheckpoint);
        }
        return Path.Combine(dir, "checkpoints", "best.safetensors");
    }

    /// <summary>A folder with a color PNG, a gray JPEG in a subfolder (17×33), a 1×1 photo, a file that is not an image and a truncated PNG.</summary>
    private string Photos()
    {
        var dir = P("photos");
        manual_seed(2);
        Image.write_png(rand(3, 20, 32), Path.Combine(dir, "color.png"));
        Image.write_jpeg(rand(1, 33, 17), Path.Combine(dir, "sub", "gray.jpg"));
        Image.write_png(rand(3, 1, 1), Path.Combine(dir, "dot.png"));
        File.WriteAllText(Path.Combine(dir, "notes.jpg"), "not a photo");
        var png = Image.encode_png(rand(3, 16, 16));
        File.WriteAllBytes(Path.Combine(dir, "cut.png"), png[..(png.Length / 2)]);
        return dir;
    }

    [Fact]
    public void Colorize_a_folder_with_a_corrupt_file_writes_the_others_at_their_relative_paths_and_counts_the_failures()
    {
        var (code, _, log) = Run("colorize", Photos(), "-o", P("out"), "--model", Colorizer(), "--device", "cpu");
        Assert.True(code == ExitCodes.Success, log);
        using var scope = NewDisposeScope();
        Assert.Equal([3L, 20, 32], Image.read(P("out", "color.png")).shape);
        Assert.Equal([3L, 33, 17], Image.read(P("out", "sub", "gray.png")).shape);
        Assert.Equal([3L, 1, 1], Image.read(P("out", "dot.png")).shape);
        Assert.Contains("notes.jpg", log);
        Assert.Contains("cut.png", log);
        Assert.Contains("3 written", log);
        Assert.Contains("2 unreadable", log);
        Assert.Contains("converted to gray first", log);
        Assert.False(File.Exists(P("out", "notes.png")));
    }

    [Fact]
    public void Existing_outputs_are_kept_unless_forced_and_a_run_that_processes_nothing_fails()
    {
        var photos = Photos();
        var model = Colorizer();
        Assert.Equal(ExitCodes.Success, Run("colorize", photos, "-o", P("out"), "--model", model).code);
        var stamp = File.GetLastWriteTimeUtc(P("out", "color.png"));
        var again = Run("colorize", photos, "-o", P("out"), "--model", model);
        Assert.Equal(ExitCodes.NothingProcessed, again.code);
        Assert.Contains("--force", again.log);
        Assert.Equal(stamp, File.GetLastWriteTimeUtc(P("out", "color.png")));
        Assert.Equal(ExitCodes.Success, Run("colorize", photos, "-o", P("out"), "--model", model, "--force").code);

        Directory.CreateDirectory(P("junk"));
        File.WriteAllText(P("junk", "a.png"), "junk");
        var junk = Run("colorize", P("junk"), "-o", P("out2"), "--model", model);
        Assert.Equal(ExitCodes.NothingProcessed, junk.code);
        Assert.Contains("nothing processed", junk.log);
    }

    [Fact]
    public void An_output_folder_inside_the_input_folder_is_not_read_back_as_input()
    {
        var photos = Photos();
        var model = Colorizer();
        Assert.Equal(ExitCodes.Success, Run("colorize", photos, "-o", Path.Combine(photos, "colorized"), "--model", model).code);
        var again = Run("colorize", photos, "-o", Path.Combine(photos, "colorized"), "--model", model, "--force");
        Assert.Equal(ExitCodes.Success, again.code);
        Assert.Contains("3 written", again.log);
        Assert.False(Directory.Exists(Path.Combine(photos, "colorized", "colorized")));
    }

    [Fact]
    public void Upscale_works_in_tiles_on_odd_sizes_and_restore_chains_colorizer_and_upscaler()
    {
        var photos = Photos();
        var (code, _, log) = Run("upscale", photos, "-o", P("up"), "--model", Upscaler(), "--tile", "16", "--overlap", "4");
        Assert.True(code == ExitCodes.Success, log);
        using var scope = NewDisposeScope();
        Assert.Equal([3L, 80, 128], Image.read(P("up", "color.png")).shape);
        Assert.Equal([3L, 132, 68], Image.read(P("up", "sub", "gray.png")).shape);
        var restored = Run("restore", Path.Combine(photos, "sub", "gray.jpg"), "-o", P("restored"), "--order", "a", "--colorizer", Colorizer(), "--upscaler", Upscaler());
        Assert.True(restored.code == ExitCodes.Success, restored.log);
        Assert.Equal([3L, 132, 68], Image.read(P("restored", "gray.png")).shape);
    }

    [Fact]
    public void Precision_bf16_runs_the_model_under_autocast_and_says_so()
    {
        var photos = Photos();
        var bf16 = Run("upscale", Path.Combine(photos, "color.png"), "-o", P("bf16"), "--model", Upscaler(), "--precision", "bf16");
        Assert.True(bf16.code == ExitCodes.Success, bf16.log);
        Assert.Contains("bfloat16 autocast", bf16.log);
        var float32 = Run("upscale", Path.Combine(photos, "color.png"), "-o", P("float32"), "--model", Upscaler());
        Assert.True(float32.code == ExitCodes.Success, float32.log);
        Assert.DoesNotContain("bfloat16", float32.log);
        using var scope = NewDisposeScope();
        var (a, b) = (Image.read(P("bf16", "color.png")).to(ScalarType.Int32), Image.read(P("float32", "color.png")).to(ScalarType.Int32));
        Assert.Equal(b.shape, a.shape);
        // bfloat16 keeps 8 bits of mantissa: a few levels of 255 at most, far less on average.
        Assert.InRange((a - b).abs().max().item<int>(), 0, 4);
        Assert.InRange((a - b).abs().to(ScalarType.Float32).mean().item<float>(), 0, 0.5f);
        var wrong = Run("upscale", photos, "-o", P("o"), "--model", Upscaler(), "--precision", "half");
        Assert.Equal(ExitCodes.BadUsage, wrong.code);
        Assert.Contains("'half'", wrong.log);
        Assert.Contains("'bf16'", wrong.log);
    }

    [Fact]
    public void Photos_are_turned_upright_by_their_EXIF_orientation()
    {
        var (code, _, log) = Run("colorize", TestSupport.Fixture("images/exif/orientation_6.jpg"), "-o", P("exif"), "--model", Colorizer());
        Assert.True(code == ExitCodes.Success, log);
        using var scope = NewDisposeScope();
        Assert.Equal([3L, 24, 16], Image.read(P("exif", "orientation_6.png")).shape);
    }

    [Fact]
    public void Evaluate_prints_the_table_with_its_baseline_and_writes_the_CSV_beside_the_checkpoint()
    {
        var dir = P("truth");
        Image.write_png(rand(3, 40, 48), Path.Combine(dir, "a.png"));
        Image.write_png(rand(3, 36, 36), Path.Combine(dir, "b.png"));
        var model = Colorizer();
        var (code, output, log) = Run("evaluate", "--model", model, "--data", dir);
        Assert.True(code == ExitCodes.Success, log);
        Assert.Contains("| truth |", output);
        Assert.Contains("gray (ab = 0)", output);
        Assert.Contains("ground truth", output);
        var csv = Path.Combine(Path.GetDirectoryName(model)!, "evaluation-truth.csv");
        Assert.True(File.Exists(csv), log);
        Assert.StartsWith("set,method,images", File.ReadAllText(csv));
        var back = Lib.Evaluation.ScoreTable.Load(csv); // with the per-image file beside it: the intervals can be recomputed
        Assert.Equal(2, back.Rows.Single(r => r.Method.Contains("gray")).PerImage.Count);
    }

    [Fact]
    public void Wrong_arguments_exit_with_2_and_a_message_naming_the_fix()
    {
        var photos = Photos();
        var missing = Run("colorize", photos, "-o", P("o"), "--model", P("runs", "none", "best.safetensors"));
        Assert.Equal(ExitCodes.BadUsage, missing.code);
        Assert.Contains("train colorizer --data data/demo/photos --minutes 10", missing.log);

        var required = Run("colorize", photos);
        Assert.Equal(ExitCodes.BadUsage, required.code);
        Assert.Contains("--output", required.log);

        // An output path that is a file is the user's mistake, not the photo's.
        var file = P("a-file");
        File.WriteAllText(file, "");
        var outputIsFile = Run("colorize", photos, "-o", file, "--model", Colorizer());
        Assert.Equal(ExitCodes.BadUsage, outputIsFile.code);
        Assert.Contains("is a file, not a folder", outputIsFile.log);
        Assert.DoesNotContain("unreadable", outputIsFile.log);

        var device = Run("upscale", photos, "-o", P("o"), "--model", Upscaler(), "--device", "gpu");
        Assert.Equal(ExitCodes.BadUsage, device.code);
        Assert.Contains("cpu", device.log);

        if (!cuda.is_available())
        {
            var cudaMissing = Run("upscale", photos, "-o", P("o"), "--model", Upscaler(), "--device", "cuda");
            Assert.Equal(ExitCodes.BadUsage, cudaMissing.code);
            Assert.Contains("pass --device cpu", cudaMissing.log);
        }

        var tile = Run("upscale", photos, "-o", P("o"), "--model", Upscaler(), "--tile", "0");
        Assert.Equal(ExitCodes.BadUsage, tile.code);
        Assert.Contains("--tile must be at least 1", tile.log);

        var overlap = Run("upscale", photos, "-o", P("o"), "--model", Upscaler(), "--tile", "16", "--overlap", "16");
        Assert.Equal(ExitCodes.BadUsage, overlap.code);
        Assert.Contains("overlap (16) must be smaller than the tile (16", overlap.log);

        var kind = Run("upscale", photos, "-o", P("o"), "--model", Colorizer());
        Assert.Equal(ExitCodes.BadUsage, kind.code);
        Assert.Contains("is a colorizer checkpoint, but this needs one of task 'upscaler'", kind.log);

        var input = Run("colorize", P("nowhere"), "-o", P("o"), "--model", Colorizer());
        Assert.Equal(ExitCodes.BadUsage, input.code);
        Assert.Contains("no such file or folder", input.log);

        var task = Run("train", "painter", "--data", photos, "--minutes", "1", "-o", P("r"));
        Assert.Equal(ExitCodes.BadUsage, task.code);
        Assert.Contains("colorizer", task.log);

        var minutes = Run("train", "colorizer", "--data", photos, "--minutes", "0", "-o", P("r"));
        Assert.Equal(ExitCodes.BadUsage, minutes.code);
        Assert.Contains("--minutes must be a positive number", minutes.log);

        var data = Run("train", "colorizer", "--data", P("nowhere"), "--minutes", "1", "-o", P("r"));
        Assert.Equal(ExitCodes.BadUsage, data.code);
        Assert.Contains("fetch_demo_data.sh", data.log);

        var order = Run("restore", photos, "-o", P("o"), "--order", "d");
        Assert.Equal(ExitCodes.BadUsage, order.code);

        // Without notebook 04's runs, ordering a falls back to the shipped models; b and c have none to fall back to.
        var noRuns = Run("restore", photos, "-o", P("o"), "--orderings", P("no-orderings"), "--order", "b");
        Assert.Equal(ExitCodes.BadUsage, noRuns.code);
        Assert.Contains("b-upscaler-gray", noRuns.log);
        Assert.Contains("--minutes 10", noRuns.log);
        var shipped = Run("restore", photos, "-o", P("restored"), "--orderings", P("no-orderings"));
        Assert.True(shipped.code == ExitCodes.Success, shipped.log);
        Assert.Contains("(the shipped colorizer", shipped.log);
        Assert.Contains("(the shipped upscaler", shipped.log);
    }
}
