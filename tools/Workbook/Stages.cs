using Lib.Pipelines;
using Lib.Training;

namespace Workbook;

/// <summary>How the verbs run a trained generator on a photo of any size.</summary>
public static class Stages
{
    /// <summary>
    /// The render size a colorizer saw its photos at in training: ImageSize crops cut TilesPerSide to a photo's shorter
    /// side, so a whole photo at ImageSize × TilesPerSide has the scale of the training crops (256 for the quick profile).
    /// </summary>
    public static int DefaultRenderSize(GeneratorStage colorizer) =>
        colorizer.Config is ColorizationConfig c ? c.ImageSize * c.TilesPerSide : throw new ArgumentException($"{colorizer.Name} is not a colorizer");

    /// <summary>A colorizer on photos of any size (full-resolution L kept).</summary>
    public static Stage Colorize(GeneratorStage colorizer, int? renderSize) =>
        colorizer.AtFullResolution(renderSize ?? DefaultRenderSize(colorizer));

    /// <summary>An upscaler (or the joint model) in tiles; the tile is rounded up to a side the network takes.</summary>
    /// <exception cref="UsageException">The overlap does not fit the tile.</exception>
    public static Stage Tiled(Stage stage, int tile, int overlap)
    {
        var m = stage.SizeMultiple;
        var side = (tile + m - 1) / m * m;
        if (overlap >= side) throw new UsageException($"--overlap {overlap} must be smaller than --tile {side}; e.g. --tile {side} --overlap {Math.Max(0, side / 16)}");
        return stage.Tiled(side, overlap);
    }
}
