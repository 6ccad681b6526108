// `GpuCheck --train-superres <photos> <output> [pretrain-epochs] [gan-epochs]`: the SR trainer's report
// profile (SRResNet 16×64, SRGAN discriminator, 64→256, batch 16) on LIB_TEST_DEVICE, on a folder of
// photos — a check that the GPU-scale profile runs, and at what speed, on a machine without notebooks.
using Lib.Data;
using Lib.Tests;
using Lib.Training;

static class TrainCheck
{
    public static int Run(string photos, string output, int pretrainEpochs, int ganEpochs)
    {
        var config = SuperResolutionConfig.Report with
        {
            Device = TestSupport.Device.ToString(), PretrainEpochs = pretrainEpochs, GanEpochs = ganEpochs, LogEvery = 5,
        };
        var split = DataSplit.Create(ImageFolder.List(photos), config.TrainImages, config.ValImages, config.TestImages, config.Seed);
        var prepare = new PrepareOptions { LoadSize = config.LoadSize, TilesPerSide = config.TilesPerSide, ExcludeGrayscale = false };
        using var train = PreparedImages.Prepare(split.Train, prepare);
        using var val = PreparedImages.Prepare(split.Val, prepare with { LoadSize = config.HrSize });
        using var trainer = new SuperResolutionTrainer(config, output);
        Console.WriteLine($"{split}; device {trainer.Device}; G {trainer.Generator.parameter_count():N0} parameters, D {trainer.Discriminator.parameter_count():N0}");
        trainer.Fit(new BatchLoader(train, config.BatchSize, config.HrSize, train: true, seed: config.Seed, transform: trainer.MakePairs),
                    new BatchLoader(val, config.BatchSize, config.HrSize, train: false, seed: config.Seed, transform: trainer.MakePairs));
        return 0;
    }
}
