using System.CommandLine;
using Lib.Training;

namespace Workbook;

/// <summary>
/// `train TASK --data DIR --minutes N [--profile NAME] -o RUN`: any task the workbook knows (<see cref="TrainingTasks"/>)
/// on a folder of photos, for N more minutes of wall-clock time (what runs before a resume counts too), through the
/// one run recipe (<see cref="TrainingRun"/>); RUN is resumed when it holds a checkpoint. Progress lines give images/s
/// and the ETA; Ctrl+C stops after the step, validated and saved.
/// </summary>
public static class TrainCommand
{
    public static Command Create(TextWriter output)
    {
        var tasks = TrainingTasks.All;
        var task = new Argument<string>("task") { Description = string.Join("; ", tasks.Select(t => t.Description)) };
        task.AcceptOnlyFromAmong([.. tasks.SelectMany(t => t.Aliases.Prepend(t.Name))]);
        var data = new Option<string[]>("--data")
        {
            Required = true, AllowMultipleArgumentsPerToken = true,
            Description = "Folders of photos (JPEG, PNG, recursive), split together into train/validation/test by the profile's data settings",
        };
        var minutes = new Option<double>("--minutes") { Required = true, Description = "Minutes of training to add (wall clock)" };
        minutes.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<double>() is not (> 0 and < 1e6)) r.AddError("--minutes must be a positive number (e.g. --minutes 10)");
        });
        var profiles = tasks.SelectMany(t => t.Profiles).Distinct().ToArray();
        var profile = new Option<string>("--profile")
        {
            Description = $"{string.Join(", ", profiles)} (quick: a 2-core CPU, minutes; report: the course report's scale, for a GPU; shipped: the model in models/)",
            DefaultValueFactory = _ => "quick",
        };
        profile.AcceptOnlyFromAmong(profiles);
        var configFile = new Option<string?>("--config")
        {
            Description = "A run's config.json (written beside every run, or edited from one) instead of a profile: every setting of the run, e.g. an ablation's",
        };
        var run = new Option<string>("--output", "-o") { Required = true, Description = "The run folder: config.json, histories, samples/, checkpoints/ (resumed when it holds one)" };
        var device = CommonOptions.DeviceOption();
        var command = new Command("train", "Train a colorizer, an upscaler or the joint model on a folder of photos, on a wall-clock budget") { task, data, minutes, profile, configFile, run, device };
        command.SetAction(parsed =>
        {
            var dev = CommonOptions.CheckDevice(parsed.GetValue(device)!);
            var (dirs, outDir) = (parsed.GetValue(data)!, parsed.GetValue(run)!);
            foreach (var dir in dirs.Where(d => !Directory.Exists(d)))
                throw new UsageException($"--data {dir}: no such folder (give a folder of photos, e.g. data/demo/photos after `bash tools/fetch_demo_data.sh`)");
            var t = TrainingTasks.Get(parsed.GetValue(task)!);
            // The budget is the minutes asked for plus what the run has already trained.
            var last = Path.Combine(outDir, "checkpoints", "last.safetensors");
            var before = File.Exists(last) ? Checkpoint.ReadInfo(last).TrainSeconds : 0;
            var budget = Math.Ceiling((before / 60 + parsed.GetValue(minutes)) * 100) / 100; // to the minute's hundredth, for readable logs
            using var cancel = new CancellationTokenSource();
            ConsoleCancelEventHandler stop = (_, e) => { e.Cancel = true; cancel.Cancel(); };
            Console.CancelKeyPress += stop;
            try
            {
                var config = (parsed.GetValue(configFile) is { } file ? ReadConfig(file, t) : t.Profile(parsed.GetValue(profile)!)) with { MaxMinutes = budget, Device = dev };
                using var training = TrainingRun.Create(config, dirs, outDir, output);
                var reason = training.Fit(output, cancel.Token);
                output.WriteLine($"stopped: {reason}; checkpoints in {Path.Combine(outDir, "checkpoints")}");
                output.WriteLine($"try: {t.UseHint(Path.Combine(outDir, "checkpoints", "best.safetensors"))}");
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

    /// <summary>A config file for <paramref name="task"/>: a usage error, naming the file, when it is missing, unreadable or another task's.</summary>
    private static RunConfig ReadConfig(string file, TrainingTask task)
    {
        if (!File.Exists(file)) throw new UsageException($"--config {file}: no such file (give a run's config.json, e.g. RUN/config.json)");
        var config = RunConfig.Load(file);
        if (TrainingTasks.Of(config) != task)
            throw new UsageException($"--config {file} is a {TrainingTasks.Of(config).Name} config, not a {task.Name} one: train {TrainingTasks.Of(config).Name}, or give a {task.Name} config");
        config.Validate();
        return config;
    }
}
