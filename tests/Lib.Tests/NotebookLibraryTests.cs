using System.Text.Json.Nodes;
using Lib.Notebook;
using Lib.Plots;
using Lib.Training;
using Microsoft.Data.Analysis;
using NotebookRunner;

namespace Lib.Tests;

/// <summary>
/// The library's side of the notebook hosts (Lib.Notebook, DataFrame and chart formatting) and the
/// runner's handling of it: formatters, the interrupt token, the saved record's format.
/// </summary>
[Collection(NotebookRunnerCollection.Name)]
public sealed class NotebookLibraryTests : IDisposable
{
    private static readonly RunOptions Quiet = new() { EchoOutput = false };
    private readonly string _dir = Directory.CreateTempSubdirectory("notebook-library-tests-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void TheHostAndTheLibraryNameTheSameAppContextSlots()
    {
        Assert.Equal(HostContract.InterruptTokenKey, Interrupt.AppContextKey);
        Assert.Equal(HostContract.RegisterFormatterKey, Formatters.RegisterKey);
        Assert.Equal(HostContract.InteractiveKey, Formatters.InteractiveKey);
        Assert.Equal(HostContract.PendingFormattersKey, Formatters.PendingKey);
        Assert.Equal(HostContract.DisplayKey, LiveText.AppContextKey);
        Assert.Equal(CancellationToken.None, Interrupt.Token);
    }

    [Fact]
    public void ALossHistoryRoundTripsThroughADataFrameAndCsv()
    {
        var history = new LossHistory();
        history.Add(("epoch", 1), ("loss_G", 0.1), ("val_PSNR", 20.125));
        history.Add(("epoch", 2), ("loss_G", 1.0 / 3));
        var frame = history.ToDataFrame();
        Assert.Equal(["index", "epoch", "loss_G", "val_PSNR"], frame.Columns.Select(c => c.Name));

        var path = frame.SaveCsv(Path.Combine(_dir, "sub", "history.csv"));
        Assert.Equal("index,epoch,loss_G,val_PSNR\n1,1,0.1,20.125\n2,2,0.3333333333333333,NaN\n", File.ReadAllText(path));
        var back = DataFrames.LoadCsv(path);
        Assert.IsType<Int32DataFrameColumn>(back["index"]);
        Assert.Equal(history["loss_G"], back["loss_G"].Cast<double>());
        Assert.True(double.IsNaN((double)back["val_PSNR"][1]!));
        Assert.Throws<FileNotFoundException>(() => DataFrames.LoadCsv(Path.Combine(_dir, "missing.csv")));
    }

    [Fact]
    public void ADataFrameShowsAsATableOfItsFirstRows()
    {
        var frame = new DataFrame(new Int32DataFrameColumn("step", Enumerable.Range(1, 30)), new StringDataFrameColumn("note", Enumerable.Range(1, 30).Select(i => i == 1 ? "<b>" : "x")));
        var bundle = DataFrameHtml.Format(frame).ToDictionary();
        Assert.Contains("<th>step</th><th>note</th>", bundle["text/html"]);
        Assert.Contains("<td>&lt;b&gt;</td>", bundle["text/html"]);
        Assert.Contains("… 5 more rows", bundle["text/html"]);
        Assert.Equal(DataFrameHtml.MaxRows + 2, bundle["text/plain"].Split('\n').Length);
    }

    [Fact]
    public void AChartIsStaticSvgInTheRecordAndPlotlyInALiveSession()
    {
        var chart = new LineChart { Title = "losses", XLabel = "step", YLabel = "loss", LogY = true }.Add("train", [1.0, 0.5, double.NaN, 0.25]);
        var record = ChartOutput.Format(chart, interactive: false);
        Assert.Equal(["image/svg+xml"], record.Select(entry => entry.Key));

        var live = ChartOutput.Format(chart, interactive: true).ToDictionary();
        Assert.Equal(chart.ToSvg(), live["image/svg+xml"]);
        var html = live["text/html"];
        Assert.Contains("Plotly.newPlot", html);
        // Loads plotly.js (the release Plotly.NET ships) before drawing: no front end defines Plotly.
        Assert.Contains($"https://cdn.plot.ly/plotly-{ChartOutput.PlotlyJsVersion}.min", html);
        Assert.Matches(@"^2\.\d+\.\d+$", ChartOutput.PlotlyJsVersion);
        Assert.Contains("\"name\":\"train\"", html);
        Assert.Contains("\"type\":\"log\"", html);
        // The static chart inside Plotly's div: what shows where plotly.js cannot load.
        Assert.Contains("<img class=\"lib-chart-fallback\" alt=\"losses\" src=\"data:image/svg+xml;base64,", html);
    }

    [Fact]
    public async Task TheRunnerFormatsLibraryTypesAndWritesAValidRecord()
    {
        Directory.CreateDirectory(Path.Combine(_dir, ".git"));
        var lib = Path.Combine(TestSupport.RepoRoot, "bin", "Lib.dll");
        var path = WriteNotebook(Path.Combine("notebooks", "formatters.ipynb"),
            Code($"#r \"{lib}\"\nusing Lib.Plots;\nusing Microsoft.Data.Analysis;"),
            Code("display(new DataFrame(new DoubleDataFrameColumn(\"loss\", new[] { 0.5, 0.25 })));\ndisplay(new LineChart().Add(\"a\", [1.0, 2.0]));"),
            Code("Console.WriteLine(System.IO.Path.GetFullPath(\"../results/x.png\"));"));

        var result = await NotebookExecutor.RunAsync(path, Quiet);

        Assert.True(result.Succeeded, result.Message);
        var notebook = JsonNode.Parse(File.ReadAllText(path))!;
        var cells = notebook["cells"]!.AsArray();
        var outputs = cells[1]!["outputs"]!.AsArray();
        Assert.Contains("<th>loss</th>", string.Concat(outputs[0]!["data"]!["text/html"]!.AsArray().Select(l => (string)l!)));
        Assert.Equal(["image/svg+xml"], outputs[1]!["data"]!.AsObject().Select(entry => entry.Key));
        // Paths under the repository (here: the folder holding .git) are saved relative to it.
        Assert.Equal("results/x.png\n", (string)cells[2]!["outputs"]![0]!["text"]![0]!);
        // nbformat 4.5: every cell has an id; the language and kernel as Jupyter reports them.
        Assert.All(cells, cell => Assert.Matches("^[0-9a-f]{8}$", (string)cell!["id"]!));
        Assert.Equal(5, (int)notebook["nbformat_minor"]!);
        Assert.Equal("csharp-workbook", (string)notebook["metadata"]!["kernelspec"]!["name"]!);
        Assert.Equal("csharp", (string)notebook["metadata"]!["language_info"]!["pygments_lexer"]!);
        Assert.NotNull(notebook["metadata"]!["polyglot_notebook"]);
    }

    [Fact]
    public async Task ACellTimeoutTripsTheInterruptTokenAndGivesUpOnACellThatIgnoresIt()
    {
        var lib = Path.Combine(TestSupport.RepoRoot, "bin", "Lib.dll");
        var polling = WriteNotebook("polling.ipynb",
            Code($"#r \"{lib}\""),
            Code("var ct = Lib.Notebook.Interrupt.Token;\nwhile (true) { ct.ThrowIfCancellationRequested(); System.Threading.Thread.Sleep(5); }"));
        var ignoring = WriteNotebook("ignoring.ipynb", Code("System.Threading.Thread.Sleep(30_000);"));
        var options = Quiet with { TimeoutPerCell = TimeSpan.FromSeconds(0.5), StopGracePeriod = TimeSpan.FromSeconds(1) };

        var stopped = await NotebookExecutor.RunAsync(polling, options);
        var started = DateTime.UtcNow;
        var abandoned = await NotebookExecutor.RunAsync(ignoring, options);

        Assert.Equal(2, stopped.FailedCellNumber);
        Assert.Contains("stopped at Lib.Notebook.Interrupt.Token", Assert.IsType<TimeoutException>(stopped.Exception).Message);
        Assert.Contains("keeps running in the background", Assert.IsType<TimeoutException>(abandoned.Exception).Message);
        Assert.InRange((DateTime.UtcNow - started).TotalSeconds, 1.4, 10);
        Assert.Equal(CancellationToken.None, Interrupt.Token);
    }

    private static JsonObject Code(string source) => new()
    {
        ["cell_type"] = "code",
        ["execution_count"] = null,
        ["metadata"] = new JsonObject(),
        ["outputs"] = new JsonArray(),
        ["source"] = source,
    };

    private string WriteNotebook(string relativePath, params JsonObject[] cells)
    {
        var path = Path.Combine(_dir, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, new JsonObject
        {
            ["cells"] = new JsonArray(cells.Select(cell => (JsonNode?)cell).ToArray()),
            ["metadata"] = new JsonObject(),
            ["nbformat"] = 4,
            ["nbformat_minor"] = 4,
        }.ToJsonString());
        return path;
    }
}
