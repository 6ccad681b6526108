namespace Lib.Tests;

/// <summary>
/// Same seed, same thread count → the same loss history to the last bit, in two separate processes (nothing
/// hangs on the process: addresses, hash seeds, the time). What changes with the thread count is in environment.md.
/// </summary>
public sealed class DeterminismTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("lib-determinism-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    [Fact]
    public void Two_processes_with_the_same_seed_write_identical_cpu_loss_histories()
    {
        var photos = Path.Combine(TestSupport.RepoRoot, "data", "demo", "photos");
        var a = Path.Combine(_dir, "a");
        var b = Path.Combine(_dir, "b");
        Child.RunToEnd(["train", a, "6", photos]);
        Child.RunToEnd(["train", b, "6", photos]);
        var first = CrashSafetyTests.Losses(a);
        Assert.True(first.Count >= 6, $"{first.Count} steps for 6 epochs");
        Assert.Equal(first, CrashSafetyTests.Losses(b));
        Assert.Equal(CrashSafetyTests.Losses(a, "history_epochs.csv"), CrashSafetyTests.Losses(b, "history_epochs.csv"));
    }
}
