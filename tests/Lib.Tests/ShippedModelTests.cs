using Lib.Imaging;
using Lib.Training;
using Workbook;
using static Lib.Torch.torch;

namespace Lib.Tests;

/// <summary>
/// The models that ship in models/ load from the repository alone, run on a photo with the shape and range a photo
/// needs, have a card, and are what the photo verbs use when no --model is given.
/// </summary>
public sealed class ShippedModelTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("shipped-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Models => Path.Combine(TestSupport.RepoRoot, ShippedModels.Folder);

    /// <summary>A 48×40 crop of a demo photo (fetched by tools/test.sh), written as a PNG.</summary>
    private string Photo()
    {
        var demo = Directory.GetFiles(Path.Combine(TestSupport.RepoRoot, "data", "demo", "photos"), "*.jpg", SearchOption.AllDirectories).OrderBy(f => f, StringComparer.Ordinal).First();
        using var scope = NewDisposeScope();
        var image = Image.read(demo).to(Torch.ScalarType.Float32).div(255);
        var path = Path.Combine(_dir, "crop.png");
        Image.write_png(image.narrow(1, image.size(1) / 2, 40).narrow(2, image.size(2) / 2, 48), path);
        return path;
    }

    /// <summary>The model models/ ships for <paramref name="task"/>: present, under 20 MB, of that task, and the one <see cref="ShippedModels.Find"/> gives.</summary>
    private static TrainedStage LoadShipped(TrainingTask task)
    {
        var path = Path.Combine(Models, task.Name + ".safetensors");
        Assert.True(File.Exists(path), $"{path} ships with the workbook");
        Assert.InRange(new FileInfo(path).Length, 1, 20_000_000);
        var stage = TrainedStage.Load(path, "cpu");
        Assert.Same(task, stage.Task);
        Assert.Equal(ShippedModels.Find(task), Path.GetFullPath(path));
        return stage;
    }

    [Fact]
    public void The_shipped_upscaler_loads_and_upscales_a_photo_four_times()
    {
        using var stage = LoadShipped(TrainingTasks.Upscaler);
        using var scope = NewDisposeScope();
        var photo = Image.read(Photo()).to(Torch.ScalarType.Float32).div(255).unsqueeze(0);
        var output = stage.call(photo);
        Assert.Equal([1L, 3, 160, 192], output.shape);
        Assert.True(output.min().item<float>() >= 0 && output.max().item<float>() <= 1);
        Assert.True(output.std().item<float>() > 0.01, "the output should be a picture, not a flat field");
    }

    [Fact]
    public void The_shipped_colorizer_loads_and_colors_a_gray_photo_keeping_its_lightness()
    {
        using var stage = LoadShipped(TrainingTasks.Colorizer);
        var config = Assert.IsType<ColorizerConfig>(stage.Config);
        Assert.InRange(config.ChromaGain, 1, 2); // chosen on validation photos when it was exported (models/README.md)
        using var scope = NewDisposeScope();
        var color = Image.read(Photo()).to(Torch.ScalarType.Float32).div(255).unsqueeze(0);
        var gray = Lab.lightness(color);
        var output = stage.call(gray);
        Assert.Equal([1L, 3, 40, 48], output.shape);
        Assert.True(output.min().item<float>() >= 0 && output.max().item<float>() <= 1);
        var ab = Lab.rgb_to_lab(output).narrow(1, 1, 2);
        Assert.True(ab.abs().mean().item<float>() > 1, "the output should have color");
        // Lightness is the photo's own, up to the sRGB gamut's clipping.
        Assert.True((Lab.lightness(output) - gray).abs().mean().item<float>() < 0.02);
    }

    [Fact]
    public void The_colorize_verb_without_a_model_uses_the_shipped_one_and_says_so()
    {
        var (output, log) = (new StringWriter(), new StringWriter());
        var code = Cli.Run(["colorize", Photo(), "-o", Path.Combine(_dir, "colorized"), "--device", "cpu"], output, log);
        Assert.True(code == ExitCodes.Success, log.ToString());
        Assert.Contains("models/colorizer.safetensors (the shipped colorizer", log.ToString());
        Assert.True(File.Exists(Path.Combine(_dir, "colorized", "crop.png")));
    }

    [Fact]
    public void Every_shipped_model_has_a_card_and_loads()
    {
        var files = Directory.GetFiles(Models, "*.safetensors");
        Assert.NotEmpty(files);
        var cards = File.ReadAllText(Path.Combine(Models, "README.md"));
        foreach (var file in files)
        {
            Assert.Contains($"`{Path.GetFileName(file)}`", cards);
            using var stage = TrainedStage.Load(file, "cpu");
            Assert.Equal(Path.GetFileNameWithoutExtension(file), stage.Task.Name);
        }
    }

    [Fact]
    public void The_upscale_verb_without_a_model_uses_the_shipped_one_and_says_so()
    {
        var (output, log) = (new StringWriter(), new StringWriter());
        var code = Cli.Run(["upscale", Photo(), "-o", Path.Combine(_dir, "out"), "--device", "cpu"], output, log);
        Assert.True(code == ExitCodes.Success, log.ToString());
        Assert.Contains("models/upscaler.safetensors (the shipped upscaler", log.ToString());
        Assert.True(File.Exists(Path.Combine(_dir, "out", "crop.png")));
    }
}
