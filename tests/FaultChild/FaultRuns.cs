using Lib.Data;
using Lib.Training;

/// <summary>The tiny run the fault tests train and kill: the colorization trainer at 32 px on four tiles of one photo, one step an epoch.</summary>
internal static class FaultRuns
{
    public static ColorizerConfig Config(int epochs) => ColorizerConfig.Quick with
    {
        ImageSize = 32, Data = ColorizerConfig.Quick.Data with { LoadSize = 40 }, BatchSize = 4, GeneratorWidth = 8, DiscriminatorWidth = 8, Generator = ColorizerGenerator.Pix2Pix,
        Discriminator = ColorizerDiscriminator.PatchGan, Epochs = epochs, SampleCount = 2, SampleEvery = 1000, LogEvery = 1000, Device = "cpu",
    };

    public static PreparedImages Photos(string folder) =>
        PreparedImages.Prepare(ImageFolder.List(folder).Take(1).ToList(),
            new PrepareOptions { LoadSize = 40, TilesPerSide = 2, ExcludeGrayscale = false, Parallelism = 1, Log = TextWriter.Null });
}
