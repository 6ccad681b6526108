// The child process of the fault tests. Modes:
//   save-loop DIR            saves DIR/last.safetensors over and over (G, D, both Adam states, the generator), every tensor
//                            filled with the save's number, and prints "saved N" after each; the test SIGKILLs it mid-save
//   train DIR EPOCHS PHOTOS  a tiny colorization run into DIR (resuming when DIR holds a checkpoint); prints the trainer's log
//   soak STEPS PHOTOS CSV    STEPS training steps, sampling the live-tensor count and the resident set size into CSV
//   fast-paths               prints the fast-path switches as this process starts with them (LIB_FAST_PATHS)
using System.Globalization;
using Lib.Data;
using Lib.Torch;
using Lib.Training;
using static Lib.Torch.torch;

if (args is ["fast-paths"])
{
    Console.WriteLine($"sub-pixel {nn.SubPixelConvTranspose.Enabled} fused {Lib.Torch.Optimizers.Optimizer.UseFusedKernels}");
    return 0;
}
if (args.Length < 2) return Usage();
switch (args[0])
{
    case "save-loop": return SaveLoop(args[1]);
    case "train" when args.Length == 4: return Train(args[1], int.Parse(args[2], CultureInfo.InvariantCulture), args[3]);
    case "soak" when args.Length == 4: return Soak(int.Parse(args[1], CultureInfo.InvariantCulture), args[2], args[3]);
    default: return Usage();
}

static int Usage()
{
    Console.Error.WriteLine("usage: FaultChild save-loop DIR | train DIR EPOCHS PHOTOS | soak STEPS PHOTOS CSV | fast-paths");
    return 2;
}

static int SaveLoop(string dir)
{
    // Wider than the training run's models, so that a save (about 10 MB) takes long enough for the kills to land inside it.
    using var trainer = new ColorizerTrainer(FaultRuns.Config(1) with { GeneratorWidth = 32, DiscriminatorWidth = 32 }, Path.Combine(dir, "run"));
    var path = Path.Combine(dir, "last.safetensors");
    var modules = new Dictionary<string, nn.Module> { ["G"] = trainer.Generator, ["D"] = trainer.Discriminator! };
    for (var n = 1; ; n++)
    {
        using (no_grad())
            foreach (var m in modules.Values)
                foreach (var (_, t) in m.state_dict())
                    t.fill_(n);
        Checkpoint.Save(path, modules, metadata: new Dictionary<string, string> { ["n"] = n.ToString(CultureInfo.InvariantCulture) });
        Console.Out.WriteLine($"saved {n}");
        Console.Out.Flush();
    }
}

static int Train(string dir, int epochs, string photos)
{
    using var data = FaultRuns.Photos(photos);
    using var trainer = new ColorizerTrainer(FaultRuns.Config(epochs), dir);
    trainer.TryResume(Console.Out);
    var train = new BatchLoader(data, trainer.Config.BatchSize, trainer.Config.ImageSize, train: true, seed: 3, transform: TrainingTasks.Colorizer.Pairs(trainer.Config));
    var val = new BatchLoader(data, 8, trainer.Config.ImageSize, train: false, seed: 3, transform: TrainingTasks.Colorizer.Pairs(trainer.Config));
    trainer.Fit(train, val, Console.Out);
    return 0;
}

static int Soak(int steps, string photos, string csv)
{
    using var data = FaultRuns.Photos(photos);
    using var trainer = new ColorizerTrainer(FaultRuns.Config(1), Path.Combine(Path.GetTempPath(), $"lib-soak-{Environment.ProcessId}"));
    var train = new BatchLoader(data, trainer.Config.BatchSize, trainer.Config.ImageSize, train: true, seed: 3, transform: TrainingTasks.Colorizer.Pairs(trainer.Config));
    var rows = new List<(double step, double live, double rss, double managed)>();
    var step = 0;
    for (var epoch = 0; step < steps; epoch++)
        foreach (var batch in train.Epoch(epoch))
            using (batch)
            {
                trainer.TrainStep(batch[0], batch[1]);
                if (++step % 25 == 0 || step == 1)
                {
                    var rss = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmRSS:"));
                    var kib = long.Parse(rss.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
                    rows.Add((step, LiveTensorCount, Math.Round(kib / 1024.0, 1), Math.Round(GC.GetTotalMemory(false) / 1048576.0, 1)));
                }
                if (step >= steps) break;
            }
    Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(csv))!);
    File.WriteAllLines(csv, rows.Select(r => FormattableString.Invariant($"{r.step},{r.live},{r.rss},{r.managed}")).Prepend("step,live_tensors,rss_mib,managed_mib"));
    var x = rows.Select(r => r.step).ToList();
    new Lib.Plots.LineChart { Title = $"Memory over {steps} training steps (colorization, 32 px, batch 4, 1 thread)", XLabel = "step", YLabel = "MiB" }
        .Add("resident set size", rows.Select(r => r.rss).ToList(), x)
        .Add("managed heap", rows.Select(r => r.managed).ToList(), x)
        .Save(Path.ChangeExtension(csv, ".svg"));
    return 0;
}
