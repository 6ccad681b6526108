using Lib.Data;
using Lib.Torch;
using Lib.Training;
using Workbook;
using Xunit.Abstractions;

namespace Lib.Tests;

/// <summary>
/// A disk that fills while the workbook writes: the file being replaced stays whole, the temporary goes, and the error names
/// the folder and the space needed. Injected under <see cref="DurableFile"/> everywhere; on a real 4 MB file system where the
/// test may mount one (root), through a training run and the CLI.
/// </summary>
public sealed class DiskFullTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("lib-disk-full-").FullName;
    private string? _mounted;

    public void Dispose()
    {
        if (_mounted is not null) ExternalTools.Run("umount", [_mounted]);
        Directory.Delete(_dir, true);
    }

    [Fact]
    public void A_write_that_fills_the_disk_leaves_the_old_file_and_no_temporary_and_says_what_is_needed()
    {
        var path = Path.Combine(_dir, "last.safetensors");
        DurableFile.WriteAllText(path, new string('x', 5000));
        var e = Assert.Throws<DiskFullException>(() => DurableFile.Replace(path, fs =>
        {
            fs.Write(new byte[1000]);
            fs.Flush();
            throw new IOException("No space left on device", 28); // what .NET throws on Linux for ENOSPC
        }));
        Assert.Equal(new string('x', 5000), File.ReadAllText(path));
        Assert.Equal(["last.safetensors"], Directory.GetFiles(_dir).Select(Path.GetFileName));
        Assert.Equal(_dir, e.Folder);
        Assert.Equal(5000, e.BytesNeeded);
        Assert.Contains($"no space left in {_dir} to write last.safetensors: it needs about", e.Message);
        Assert.Contains("the previous last.safetensors is unchanged", e.Message);
        // Any other write error is not a full disk.
        Assert.IsNotType<DiskFullException>(Assert.ThrowsAny<IOException>(() => DurableFile.Replace(path, _ => throw new IOException("the device went away"))));
    }

    /// <summary>A 4 MB tmpfs under the test's folder, or null (and why) where mounting is not allowed.</summary>
    private string? SmallFileSystem(out string why)
    {
        var mount = Directory.CreateDirectory(Path.Combine(_dir, "small")).FullName;
        var (code, stdout, stderr) = ExternalTools.Run("mount", ["-t", "tmpfs", "-o", "size=4m", "tmpfs", mount]);
        why = $"mount -t tmpfs failed ({code}): {stdout}{stderr}".Trim();
        if (code != 0) return null;
        _mounted = mount;
        return mount;
    }

    private static void Fill(string folder, long leave)
    {
        var free = new DriveInfo(folder).AvailableFreeSpace;
        using var filler = File.Create(Path.Combine(folder, "filler"));
        filler.Write(new byte[Math.Max(0, free - leave)]);
    }

    [Fact]
    public void On_a_full_file_system_a_training_run_stops_with_its_last_checkpoint_whole_and_the_CLI_exits_3()
    {
        var small = SmallFileSystem(out var why);
        if (small is null)
        {
            output.WriteLine($"SKIPPED the real file system (the injected case above still runs): {why}");
            return;
        }
        var config = ColorizerConfig.Quick with
        {
            ImageSize = 32, Data = ColorizerConfig.Quick.Data with { LoadSize = 40 }, BatchSize = 4, GeneratorWidth = 8, DiscriminatorWidth = 8,
            Epochs = 1, SampleCount = 2, SampleEvery = 100, LogEvery = 1000, Device = "cpu",
        };
        using var data = PreparedImages.Prepare(ImageFolder.List(Path.Combine(TestSupport.RepoRoot, "data", "demo", "photos")).Take(2).ToList(),
            new PrepareOptions { LoadSize = 40, TilesPerSide = 2, Log = TextWriter.Null });
        var run = Path.Combine(small, "run");
        BatchLoader Train() => new(data, 4, 32, true, 1, TestSupport.LabPairs);
        BatchLoader Val() => new(data, 8, 32, false, 1, TestSupport.LabPairs);
        using (var first = new ColorizerTrainer(config, run)) first.Fit(Train(), Val(), TextWriter.Null);
        var checkpoints = Path.Combine(run, "checkpoints");
        var before = Directory.GetFiles(checkpoints).ToDictionary(f => f, File.ReadAllBytes);
        output.WriteLine(string.Join(", ", before.Select(kv => $"{Path.GetFileName(kv.Key)} {kv.Value.Length} B")) + $"; {new DriveInfo(small).AvailableFreeSpace} B free");
        Fill(small, 100_000); // room for the config and histories, not for a checkpoint

        using (var second = new ColorizerTrainer(config with { Epochs = 2 }, run))
        {
            Assert.True(second.TryResume(TextWriter.Null));
            var e = Assert.Throws<DiskFullException>(() => second.Fit(Train(), Val(), TextWriter.Null));
            output.WriteLine(e.Message);
            Assert.Contains($"no space left in {checkpoints} to write last.safetensors", e.Message);
        }
        // Every checkpoint there is whole: those written before, unchanged, or a complete new one.
        foreach (var file in Directory.GetFiles(checkpoints))
            using (var stage = TrainedStage.Load(file, "cpu")) Assert.NotNull(stage.Generator);
        Assert.Equal(before.Keys.Order(), Directory.GetFiles(checkpoints).Order());
        Assert.Empty(Directory.GetFiles(small, "*.tmp", SearchOption.AllDirectories));

        // The CLI writing a photo there: exit 3, the folder and the space in the message, nothing half-written.
        var photo = Path.Combine(_dir, "photo.png");
        using (torch.NewDisposeScope()) Lib.Imaging.Image.write_png(torch.rand(3, 48, 48), photo); // ×4: 192 px, a few KB of PNG the full disk refuses
        var (log, stdout) = (new StringWriter(), new StringWriter());
        var code = Cli.Run(["upscale", photo, "-o", Path.Combine(small, "out"), "--device", "cpu"], stdout, log);
        Assert.True(code == ExitCodes.OutputFailed, $"exit {code}: {log}");
        Assert.Contains("no space left in", log.ToString());
        Assert.DoesNotContain("unreadable: ", log.ToString().Split('\n').Where(l => l.StartsWith("upscale:")));
        Assert.Empty(Directory.GetFiles(small, "*.tmp", SearchOption.AllDirectories));
    }
}
