using System.Diagnostics;
using System.Globalization;
using Lib.Plots;
using Lib.Torch;
using Lib.Training;

namespace Lib.Tests;

/// <summary>
/// A process killed at any moment (SIGKILL: no finally block, no flush) leaves the last checkpoint loadable,
/// and a run resumed from it continues exactly; the child is tests/FaultChild. LIB_KILL_LOOP sets the number of
/// kills of the save loop (12 in CI; `LIB_KILL_LOOP=200 dotnet test tests/Lib.Tests --filter CrashSafety` for the long loop).
/// </summary>
public sealed class CrashSafetyTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("lib-crash-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private static string Photos => Path.Combine(TestSupport.RepoRoot, "data", "demo", "photos");

    [Fact]
    public void A_save_killed_at_random_moments_always_leaves_a_complete_checkpoint_no_older_than_the_last_finished_save()
    {
        var kills = int.TryParse(Environment.GetEnvironmentVariable("LIB_KILL_LOOP"), out var k) ? k : 12;
        var random = new Random(13);
        var midSave = 0;
        for (var i = 0; i < kills; i++)
        {
            var dir = Path.Combine(_dir, $"kill{i}");
            Directory.CreateDirectory(dir);
            var path = Path.Combine(dir, "last.safetensors");
            var finished = 0;
            using (var child = Child.Start(["save-loop", dir], line =>
                   {
                       if (line.StartsWith("saved ", StringComparison.Ordinal)) Volatile.Write(ref finished, int.Parse(line[6..], CultureInfo.InvariantCulture));
                   }))
            {
                child.WaitFor(() => Volatile.Read(ref finished) >= 1, "its first save");
                Thread.Sleep(random.Next(0, 400));
                child.Kill();
            }
            // A temporary beside the checkpoint means the kill landed inside a save.
            if (Directory.EnumerateFiles(dir, ".last.safetensors.*.tmp").Any()) midSave++;
            var tensors = Safetensors.load(path, out var meta);
            try
            {
                var n = int.Parse(meta["n"], CultureInfo.InvariantCulture);
                Assert.True(n >= Volatile.Read(ref finished), $"kill {i}: the checkpoint holds save {n} but save {finished} had finished");
                foreach (var (name, t) in tensors)
                    if (name != "rng_state")
                        Assert.True(t.numel() == 0 || (t.min().item<double>() == n && t.max().item<double>() == n), $"kill {i}: {name} is not all {n}: a torn file");
            }
            finally
            {
                foreach (var t in tensors.Values) t.Dispose();
            }
        }
        // Most kills land mid-save (a save takes most of the loop's time); at least one must, or the test proves nothing.
        Assert.True(midSave > 0, $"none of the {kills} kills landed inside a save");
        Console.WriteLine($"{kills} kills, {midSave} inside a save");
    }

    [Fact]
    public void A_training_run_killed_twice_and_resumed_gives_the_same_losses_as_one_uninterrupted_run()
    {
        const int epochs = 24;
        var straight = Path.Combine(_dir, "straight");
        Child.RunToEnd(["train", straight, $"{epochs}", Photos]);

        var killed = Path.Combine(_dir, "killed");
        var random = new Random(5);
        for (var kill = 0; kill < 2; kill++)
        {
            var epochLines = 0;
            using var child = Child.Start(["train", killed, $"{epochs}", Photos], line =>
            {
                if (line.StartsWith("epoch ", StringComparison.Ordinal)) Interlocked.Increment(ref epochLines);
            });
            child.WaitFor(() => Volatile.Read(ref epochLines) >= 2 + kill * 3, "its epochs");
            Thread.Sleep(random.Next(0, 150));
            Assert.True(child.Kill(), $"kill {kill + 1} came after the run had finished; the test needs more epochs\n{child.Output}");
        }
        var resumed = Child.RunToEnd(["train", killed, $"{epochs}", Photos]);
        Assert.Contains("resumed from", resumed);

        var expected = Losses(straight);
        var actual = Losses(killed);
        Assert.True(expected.Count >= epochs, $"{expected.Count} steps for {epochs} epochs");
        Assert.Equal(expected, actual);
        Assert.True(File.Exists(Path.Combine(killed, "checkpoints", "best.safetensors")));
    }

    /// <summary>Every number of a history (the steps', or the epochs' with the validation scores) but the wall-clock times, one string per row.</summary>
    internal static List<string> Losses(string runDir, string file = "history_steps.csv")
    {
        var history = LossHistory.Load(Path.Combine(runDir, file));
        var columns = history.Columns.Where(c => c is not ("seconds" or "minutes")).ToList();
        return Enumerable.Range(0, history.Count)
            .Select(i => string.Join(",", columns.Select(c => $"{c}={history[c][i].ToString("R", CultureInfo.InvariantCulture)}"))).ToList();
    }
}

/// <summary>A running tests/FaultChild process whose output lines go to a callback.</summary>
internal sealed class Child : IDisposable
{
    private readonly Process _process;
    private readonly System.Text.StringBuilder _output = new();

    private Child(Process process) => _process = process;

    public static Child Start(IEnumerable<string> args, Action<string>? onLine = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(ExternalTools.FaultChildDll);
        foreach (var a in args) info.ArgumentList.Add(a);
        // One intra-op thread unless told otherwise: the runs are tiny, and on a busy 2-core machine two threads
        // per child were measured 15× slower (48 s against 3 s for ten epochs) from oversubscription.
        info.Environment["OMP_NUM_THREADS"] = "1";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) info.Environment[key] = value;
        var process = new Process { StartInfo = info };
        var child = new Child(process);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (child._output) child._output.AppendLine(e.Data);
            onLine?.Invoke(e.Data);
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null) lock (child._output) child._output.AppendLine(e.Data);
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Runs the child to completion and returns its output; fails the test on a non-zero exit.</summary>
    public static string RunToEnd(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        using var child = Start(args, environment: environment);
        if (!child._process.WaitForExit(TimeSpan.FromMinutes(3))) Assert.Fail($"FaultChild {string.Join(" ", args)} did not finish in 3 minutes\n{child.Output}");
        child._process.WaitForExit();
        Assert.True(child._process.ExitCode == 0, $"FaultChild {string.Join(" ", args)} exited with {child._process.ExitCode}\n{child.Output}");
        return child.Output;
    }

    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    /// <summary>Waits (up to 2 minutes) until <paramref name="ready"/>; the child exiting first fails the test unless allowed.</summary>
    public void WaitFor(Func<bool> ready, string what, bool allowExit = false)
    {
        var clock = Stopwatch.StartNew();
        while (!ready())
        {
            if (_process.HasExited)
            {
                if (allowExit && _process.ExitCode == 0) return;
                Assert.Fail($"FaultChild exited ({_process.ExitCode}) before {what}\n{Output}");
            }
            if (clock.Elapsed > TimeSpan.FromMinutes(2)) Assert.Fail($"FaultChild did not reach {what} in 2 minutes\n{Output}");
            Thread.Sleep(5);
        }
    }

    /// <summary>SIGKILL (Process.Kill on Unix): the child gets no chance to finish a write. False when it had already exited.</summary>
    public bool Kill()
    {
        var running = !_process.HasExited;
        if (running) _process.Kill();
        _process.WaitForExit();
        return running;
    }

    public void Dispose()
    {
        _ = Kill();
        _process.Dispose();
    }
}
