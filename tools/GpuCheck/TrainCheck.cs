// `GpuCheck --train-superres <photos> <output> [pretrain-epochs] [gan-epochs]`: the SR trainer's report
// profile (SRResNet 16×64, then the SRGAN run from it, 64→256, batch 16) on LIB_TEST_DEVICE, on a folder of
// photos — a check that the GPU-scale profile runs, and at what speed, on a machine without notebooks.
using Lib.Data;
using Lib.Tests;
using Lib.Training;

static class TrainCheck
{
    public static int Run(string photos, string output, int pretrainEpochs, int ganEpochs)
    {
        var config = SuperResolutionConfig.Report with { Device = TestSupport.Device.ToString(), Epochs = pretrainEpochs, LogEvery = 5 };
        var split = DataSplit.Create(ImageFolder.List(photos), config.TrainImages, config.ValImages, config.TestImages, config.Seed);
        var prepare = new PrepareOptions { LoadSize = config.LoadSize, TilesPerSide = config.TilesPerSide, ExcludeGrayscale = false };
        using var train = PreparedImages.Prepare(split.Train, prepare);
        using var val = PreparedImages.Prepare(split.Val, prepare with { LoadSize = config.HrSize });
        var srresnet = Path.Combine(output, "srresnet");
        foreach (var (c, dir) in new[] { (config, srresnet), (config.ForGanPhase(Path.Combine(srresnet, "checkpoints", "last.safetensors"), ganEpochs), Path.Combine(output, "srgan")) })
        {
            if (c.Epochs == 0) continue;
            using var trainer = new SuperResolutionTrainer(c, dir);
            Console.WriteLine($"{split}; device {trainer.Device}; G {trainer.Generator.parameter_count():N0} parameters, D {trainer.Discriminator?.parameter_count() ?? 0:N0}");
            trainer.TryResume();
            trainer.Fit(new BatchLoader(train, c.BatchSize, c.HrSize, train: true, seed: c.Seed, transform: trainer.MakePairs),
                        new BatchLoader(val, c.BatchSize, c.HrSize, train: false, seed: c.Seed, transform: trainer.MakePairs));
        }
        return 0;
    }
}
