using System.Text.Json;
using System.Text.Json.Serialization;
using Lib.Losses;

namespace Lib.Training;

public enum ColorizerGenerator { Report, Pix2Pix }

public enum ColorizerDiscriminator { Report, PatchGan }

/// <summary>
/// Every setting of a colorization run; saved as config.json beside its results and checkpoints.
/// <see cref="Quick"/> runs on a 2-core CPU in minutes on the demo photos; <see cref="Report"/> is the
/// course report's setup (10,000 COCO images at 64×64, 30 epochs, batch 16), meant for a GPU.
/// </summary>
public sealed record ColorizationConfig
{
    public string Profile { get; init; } = "quick";
    public int Seed { get; init; } = 42;

    /// <summary>"auto" (a GPU when libtorch sees one, else the CPU), "cpu", "cuda" or "cuda:N". Seeded runs repeat bit for bit on the CPU.</summary>
    public string Device { get; init; } = TrainingDevice.Auto;
    public int ImageSize { get; init; } = 64;

    /// <summary>Prepared squares are this big; training takes random ImageSize crops from them.</summary>
    public int LoadSize { get; init; } = 72;

    /// <summary>Tiles cut per shorter side of each photo (demo: a few large photos give many squares).</summary>
    public int TilesPerSide { get; init; } = 1;

    public int TrainImages { get; init; } = 8000;
    public int ValImages { get; init; } = 2000;
    public int TestImages { get; init; } = 20;
    public int BatchSize { get; init; } = 16;
    public int Epochs { get; init; } = 30;
    public double Lr { get; init; } = 2e-4;
    public double Beta1 { get; init; } = 0.5;
    public double Beta2 { get; init; } = 0.999;
    public double LambdaL1 { get; init; } = 100;

    [JsonConverter(typeof(JsonStringEnumConverter))]
    public GanMode GanMode { get; init; } = GanMode.LSGAN;

    [JsonConverter(typeof(JsonStringEnumConverter))]
    public ColorizerGenerator Generator { get; init; } = ColorizerGenerator.Report;

    public int GeneratorWidth { get; init; } = 64;

    [JsonConverter(typeof(JsonStringEnumConverter))]
    public ColorizerDiscriminator Discriminator { get; init; } = ColorizerDiscriminator.Report;

    public int DiscriminatorWidth { get; init; } = 64;
    public int DiscriminatorLayers { get; init; } = 3;

    /// <summary>Validation images shown in the per-epoch sample grid.</summary>
    public int SampleCount { get; init; } = 6;

    /// <summary>Print a progress line every this many steps.</summary>
    public int LogEvery { get; init; } = 10;

    /// <summary>The report's settings (COCO, 10,000 images, 30 epochs); point it at a COCO folder.</summary>
    public static ColorizationConfig Report => new() { Profile = "report" };

    /// <summary>
    /// Minutes on a 2-core CPU: the demo photos cut into 64-pixel tiles (split by photo), networks of
    /// half the report's width, and a 5× larger learning rate so that a few hundred steps show learning.
    /// </summary>
    public static ColorizationConfig Quick => new()
    {
        Profile = "quick", TilesPerSide = 4, TrainImages = 10_000, ValImages = 2, TestImages = 2,
        Epochs = 20, Lr = 1e-3, GeneratorWidth = 32, DiscriminatorWidth = 32,
    };

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static ColorizationConfig FromJson(string json) =>
        JsonSerializer.Deserialize<ColorizationConfig>(json, Json) ?? throw new InvalidDataException("empty colorization config");

    public void Save(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, ToJson());
    }
}
