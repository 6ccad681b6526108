using System.CommandLine;
using System.Globalization;
using Lib.Data;
using Lib.Torch;
using Lib.Training;

namespace Workbook;

/// <summary>
/// `train colorizer|superres|joint --data DIR --minutes N [--profile quick|report] -o RUN`: the workbook's trainers on a
/// folder of photos, for N more minutes of wall-clock time (what runs before a resume counts too); RUN is resumed when
/// it holds a checkpoint. Progress lines give images/s and the ETA; Ctrl+C stops after the step, validated and saved.
/// </summary>
public static class TrainCommand
{
    public static Command Create(TextWriter output)
    {
        var task = new Argument<string>("task") { Description = "colorizer (L → ab GAN), superres (SRResNet ×4) or joint (gray 64 → color 256 GAN)" };
        task.AcceptOnlyFromAmong("colorizer", "superres", "joint");
        var data = new Option<string>("--data") { Required = true, Description = "A folder of photos (JPEG, PNG, recursive); split into train/validation/test by the profile's counts" };
        var minutes = new Option<double>("--minutes") { Required = true, Description = "Minutes of training to add (wall clock)" };
        minutes.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<double>() is not (> 0 and < 1e6)) r.AddError("--minutes must be a positive number (e.g. --minutes 10)");
        });
        var profile = new Option<string>("--profile") { Description = "quick (a 2-core CPU, minutes) or report (the course report's scale, for a GPU)", DefaultValueFactory = _ => "quick" };
        profile.AcceptOnlyFromAmong("quick", "report");
        var run = new Option<string>("--output", "-o") { Required = true, Description = "The run folder: config.json, histories, samples/, checkpoints/ (resumed when it holds one)" };
        var device = CommonOptions.DeviceOption();
        var command = new Command("train", "Train a colorizer, an upscaler or the joint model on a folder of photos, on a wall-clock budget") { task, data, minutes, profile, run, device };
        command.SetAction(parsed =>
        {
            var dev = CommonOptions.CheckDevice(parsed.GetValue(device)!);
            var (dir, outDir) = (parsed.GetValue(data)!, parsed.GetValue(run)!);
            if (!Directory.Exists(dir)) throw new UsageException($"--data {dir}: no such folder (give a folder of photos, e.g. data/demo/photos after `bash tools/fetch_demo_data.sh`)");
            var quick = parsed.GetValue(profile) == "quick";
            // The budget is the minutes asked for plus what the run has already trained.
            var before = TrainedSeconds(outDir);
            var budget = Math.Ceiling((before / 60 + parsed.GetValue(minutes)) * 100) / 100; // to the minute's hundredth, for readable logs
            using var cancel = new CancellationTokenSource();
            ConsoleCancelEventHandler stop = (_, e) => { e.Cancel = true; cancel.Cancel(); };
            Console.CancelKeyPress += stop;
            try
            {
                var name = parsed.GetValue(task)!;
                var reason = name switch
                {
                    "colorizer" => Colorizer((quick ? ColorizationConfig.Quick : ColorizationConfig.Report) with { MaxMinutes = budget, Device = dev }, dir, outDir, output, cancel.Token),
                    "superres" => Upscaler((quick ? SuperResolutionConfig.Quick : SuperResolutionConfig.Report) with { MaxMinutes = budget, Device = dev }, dir, outDir, output, cancel.Token),
                    _ => Joint((quick ? JointConfig.Quick : JointConfig.Report) with { MaxMinutes = budget, Device = dev }, dir, outDir, output, cancel.Token),
                };
                var best = Path.Combine(outDir, "checkpoints", "best.safetensors");
                output.WriteLine($"stopped: {reason}; checkpoints in {Path.Combine(outDir, "checkpoints")}");
                var verb = name switch { "colorizer" => "colorize", "superres" => "upscale", _ => "restore --order c --joint" };
                output.WriteLine(name == "joint"
                    ? $"try: dotnet run --project tools/Workbook -- restore PHOTOS -o OUT --order c --joint {best}"
                    : $"try: dotnet run --project tools/Workbook -- {verb} PHOTOS -o OUT --model {best}");
                return ExitCodes.Success;
            }
            catch (Exception e) when (e is InvalidDataException or ArgumentException)
            {
                throw new UsageException(e.Message);
            }
            finally
            {
                Console.CancelKeyPress -= stop;
            }
        });
        return command;
    }

    private static double TrainedSeconds(string runDir)
    {
        var last = Path.Combine(runDir, "checkpoints", "last.safetensors");
        if (!File.Exists(last)) return 0;
        var meta = Checkpoint.ReadMetadata(last);
        return meta.TryGetValue("train_seconds", out var s) ? double.Parse(s, CultureInfo.InvariantCulture) : 0;
    }

    private static (PreparedImages train, PreparedImages val) Prepare(string dir, string runDir, RunConfig c, int loadSize, int tiles, int valSize,
        int trainCount, int valCount, int testCount, bool excludeGray, TextWriter log)
    {
        var files = ImageFolder.List(dir);
        var split = DataSplit.Create(files, trainCount, valCount, testCount, c.Seed);
        var options = new PrepareOptions { LoadSize = loadSize, TilesPerSide = tiles, ExcludeGrayscale = excludeGray, CacheDir = Path.Combine(runDir, "prepared"), Log = log };
        var train = PreparedImages.Prepare(split.Train, options);
        var val = PreparedImages.Prepare(split.Val, options with { LoadSize = valSize });
        log.WriteLine($"{split}: {train.Count} training squares of {train.Size}, {val.Count} validation images of {val.Size}");
        return (train, val);
    }

    private static StopReason Fit<T>(GanTrainer<T> trainer, PreparedImages train, PreparedImages val, int crop, Func<Tensor, Tensor[]> pairs, TextWriter log, CancellationToken ct)
        where T : RunConfig
    {
        using (train)
        using (val)
        using (trainer)
        {
            log.WriteLine($"G {trainer.Generator.parameter_count():N0} parameters" + (trainer.Discriminator is null ? "" : $", D {trainer.Discriminator.parameter_count():N0}") +
                          $" on {trainer.Device}; budget {trainer.Config.MaxMinutes:0.##} min in all");
            trainer.TryResume(log);
            var c = trainer.Config;
            return trainer.Fit(new BatchLoader(train, c.BatchSize, crop, train: true, seed: c.Seed, transform: pairs),
                               new BatchLoader(val, 16, crop, train: false, seed: c.Seed, transform: pairs), log, ct);
        }
    }

    private static StopReason Colorizer(ColorizationConfig c, string dir, string outDir, TextWriter log, CancellationToken ct)
    {
        var (train, val) = Prepare(dir, outDir, c, c.LoadSize, c.TilesPerSide, c.ImageSize, c.TrainImages, c.ValImages, c.TestImages, true, log);
        return Fit(new ColorizationTrainer(c, outDir), train, val, c.ImageSize, ColorizationTrainer.ToLab, log, ct);
    }

    private static StopReason Upscaler(SuperResolutionConfig c, string dir, string outDir, TextWriter log, CancellationToken ct)
    {
        var (train, val) = Prepare(dir, outDir, c, c.LoadSize, c.TilesPerSide, c.HrSize, c.TrainImages, c.ValImages, c.TestImages, false, log);
        var trainer = new SuperResolutionTrainer(c, outDir);
        return Fit(trainer, train, val, c.HrSize, trainer.MakePairs, log, ct);
    }

    private static StopReason Joint(JointConfig c, string dir, string outDir, TextWriter log, CancellationToken ct)
    {
        var (train, val) = Prepare(dir, outDir, c, c.LoadSize, c.TilesPerSide, c.HrSize, c.TrainImages, c.ValImages, c.TestImages, true, log);
        var trainer = new JointTrainer(c, outDir);
        return Fit(trainer, train, val, c.HrSize, trainer.MakePairs, log, ct);
    }
}
