// `GpuCheck --train-superres <photos> <output> [pretrain-epochs] [gan-epochs]`: the SR trainer's report
// profile (SRResNet 16×64, then the SRGAN run from it, 64→256, batch 16) on LIB_TEST_DEVICE, on a folder of
// photos — a check that the GPU-scale profile runs, and at what speed, on a machine without notebooks.
using Lib.Tests;
using Lib.Training;

static class TrainCheck
{
    public static int Run(string photos, string output, int pretrainEpochs, int ganEpochs)
    {
        var config = UpscalerConfig.Report with { Device = TestSupport.Device.ToString(), Epochs = pretrainEpochs, LogEvery = 5 };
        var task = TrainingTasks.Upscaler;
        using var data = TrainingData.Prepare(photos, config.Data, config.Seed, evalSize: task.CropSize(config), excludeGrayscale: task.ExcludeGrayscale);
        var srresnet = Path.Combine(output, "srresnet");
        foreach (var (c, dir) in new[] { (config, srresnet), (config.ForGanPhase(Path.Combine(srresnet, "checkpoints", "last.safetensors"), ganEpochs), Path.Combine(output, "srgan")) })
        {
            if (c.Epochs == 0) continue;
            using var run = TrainingRun.Create(c, data, dir);
            Console.WriteLine(data);
            run.Fit();
        }
        return 0;
    }
}
