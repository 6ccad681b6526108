using Lib.Training;

/// <summary>
/// Untrained checkpoints of the quick profile's colorizer and upscaler, saved as the trainers save them, for
/// bench/run_cli.sh: the CLI's cost does not depend on what the weights learned.
/// </summary>
public static class CliCheckpoints
{
    public static int Write(string dir)
    {
        using (var c = new ColorizerTrainer(ColorizerConfig.Quick with { Device = "cpu" }, Path.Combine(dir, "colorizer")))
            c.SaveCheckpoint(c.BestCheckpoint);
        using (var s = new UpscalerTrainer(UpscalerConfig.Quick with { Device = "cpu" }, Path.Combine(dir, "superres")))
            s.SaveCheckpoint(s.BestCheckpoint);
        Console.Error.WriteLine($"untrained quick checkpoints in {dir}/colorizer and {dir}/superres");
        return 0;
    }
}
