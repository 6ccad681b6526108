using Lib.Data;
using Lib.Notebook;
using Lib.Training;

namespace Lib.Tests;

/// <summary>A run in a notebook shows one progress line and a summary; every epoch goes to the run's train.log.</summary>
[Collection(NotebookRunnerCollection.Name)] // it sets the host's display slot, which the runner's tests set too
public sealed class TrainingLogTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("lib-training-log-").FullName;

    public void Dispose()
    {
        AppContext.SetData(LiveText.AppContextKey, null);
        Directory.Delete(_dir, true);
    }

    private static ColorizerConfig Tiny => ColorizerConfig.Quick with
    {
        ImageSize = 32, Data = ColorizerConfig.Quick.Data with { LoadSize = 40 }, BatchSize = 4, GeneratorWidth = 8, DiscriminatorWidth = 8,
        Epochs = 4, SampleCount = 2, LogEvery = 1, Device = TestSupport.Device.ToString(),
    };

    private string Train(TextWriter log, string name)
    {
        using var data = PreparedImages.Prepare(ImageFolder.List(Path.Combine(TestSupport.RepoRoot, "data", "demo", "photos")).Take(2).ToList(),
            new PrepareOptions { LoadSize = 40, TilesPerSide = 2, Log = TextWriter.Null });
        using var t = new ColorizerTrainer(Tiny, Path.Combine(_dir, name));
        t.Fit(new BatchLoader(data, 4, 32, true, 1, TestSupport.LabPairs), new BatchLoader(data, 8, 32, false, 1, TestSupport.LabPairs), log);
        return t.OutputDir;
    }

    [Fact]
    public void Where_the_kernel_updates_a_display_the_cell_gets_one_progress_line_and_the_summary()
    {
        var shown = new List<string>();
        var updates = 0;
        AppContext.SetData(LiveText.AppContextKey, (Func<string, Action<string>>)(text =>
        {
            shown.Add(text);
            return _ => updates++;
        }));
        var cell = new StringWriter();
        var file = Path.Combine(_dir, "live.log");
        using (var log = new TrainingLog(file, cell)) Train(log, "live");
        var cellLines = cell.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(shown);
        Assert.True(updates >= 4, $"{updates} updates of the progress line");
        Assert.DoesNotContain(cellLines, l => l.StartsWith("epoch ") || l.StartsWith("step "));
        Assert.Contains(cellLines, l => l.StartsWith("stopped: 4 epochs done") && l.Contains("last validation: val_L1"));
        var full = File.ReadAllLines(file);
        for (var e = 1; e <= 4; e++) Assert.Contains(full, l => l.StartsWith($"epoch {e}/4"));
    }

    [Fact]
    public void Where_it_cannot_the_cell_gets_a_plain_line_at_most_every_few_seconds()
    {
        AppContext.SetData(LiveText.AppContextKey, null);
        var cell = new StringWriter();
        var file = Path.Combine(_dir, "plain.log");
        using (var log = new TrainingLog(file, cell) { PlainEvery = TimeSpan.FromHours(1) }) Train(log, "plain");
        var cellLines = cell.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.DoesNotContain(cellLines, l => l.StartsWith("epoch "));
        Assert.Contains(cellLines, l => l.StartsWith("stopped: "));
        Assert.True(File.ReadAllLines(file).Count(l => l.StartsWith("epoch ")) == 4);
    }
}
