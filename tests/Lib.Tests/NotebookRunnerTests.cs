using System.Text.Json.Nodes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NotebookRunner;

namespace Lib.Tests;

/// <summary>
/// A notebook run redirects Console and changes the current directory, which belong to the whole
/// process: these tests must not overlap with tests that print or use relative paths.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class NotebookRunnerCollection
{
    public const string Name = "NotebookRunner (process-wide console and current directory)";
}

[Collection(NotebookRunnerCollection.Name)]
public sealed class NotebookRunnerTests : IDisposable
{
    // The tests assert on the saved file, not the console; echoing would only clutter test logs.
    private static readonly RunOptions Quiet = new() { EchoOutput = false };

    private readonly string _dir = Directory.CreateTempSubdirectory("notebook-runner-tests-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task RunsCodeCellsInOneStateAndSavesTheirOutputs()
    {
        const string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"4\" height=\"4\">\n<rect width=\"4\" height=\"4\"/>\n</svg>";
        var path = WriteNotebook("01-outputs.ipynb",
            Markdown("# A notebook\nwith prose"),
            Code("var answer = 6 * 7;\nConsole.WriteLine($\"answer = {answer}\");"),
            Code($"display(\"\"\"\n{svg}\n\"\"\", \"image/svg+xml\");"),
            Code("answer + 1"));

        var result = await NotebookExecutor.RunAsync(path, Quiet);

        Assert.True(result.Succeeded, result.Message);
        Assert.Null(result.FailedCellNumber);
        Assert.Equal(
            [CellStatus.Skipped, CellStatus.Succeeded, CellStatus.Succeeded, CellStatus.Succeeded],
            result.Cells.Select(cell => cell.Status));

        var cells = Cells(path);
        Assert.Equal("# A notebook\nwith prose", Text(cells[0]["source"]));
        Assert.Null(cells[0]["outputs"]);

        Assert.Equal(1, (int)cells[1]["execution_count"]!);
        var stream = Assert.Single(Outputs(cells[1]));
        Assert.Equal("stream", (string)stream["output_type"]!);
        Assert.Equal("stdout", (string)stream["name"]!);
        Assert.Equal(["answer = 42\n"], Lines(stream["text"]));

        Assert.Equal(2, (int)cells[2]["execution_count"]!);
        var display = Assert.Single(Outputs(cells[2]));
        Assert.Equal("display_data", (string)display["output_type"]!);
        Assert.Equal(svg, Text(display["data"]!["image/svg+xml"]));
        Assert.Equal(3, Lines(display["data"]!["image/svg+xml"]).Count);

        // The last cell reads a variable the second cell declared.
        Assert.Equal(3, (int)cells[3]["execution_count"]!);
        var executeResult = Assert.Single(Outputs(cells[3]));
        Assert.Equal("execute_result", (string)executeResult["output_type"]!);
        Assert.Equal(3, (int)executeResult["execution_count"]!);
        Assert.Equal("43", Text(executeResult["data"]!["text/plain"]));

        // The workbook kernel and Polyglot's metadata are added where missing, so the file opens with a C# kernel.
        var notebook = JsonNode.Parse(File.ReadAllText(path))!;
        Assert.Equal("csharp-workbook", (string)notebook["metadata"]!["kernelspec"]!["name"]!);
        Assert.Equal("csharp", (string)cells[1]["metadata"]!["polyglot_notebook"]!["kernelName"]!);
    }

    [Fact]
    public async Task AThrowingCellStopsTheRunAndIsReportedWithItsNumber()
    {
        var path = WriteNotebook("02-throws.ipynb",
            Markdown("Setup"),
            Code("Console.WriteLine(\"before\");"),
            Code("throw new InvalidOperationException(\"boom\");"),
            Code("Console.WriteLine(\"never\");"));

        var result = await NotebookExecutor.RunAsync(path, Quiet);

        Assert.False(result.Succeeded);
        Assert.Equal(3, result.FailedCellNumber);
        Assert.Equal(2, result.FailedCodeCellNumber);
        Assert.IsType<InvalidOperationException>(result.Exception);
        Assert.Contains("02-throws.ipynb", result.Message);
        Assert.Contains("cell 3", result.Message);
        Assert.Contains("boom", result.Message);
        Assert.Equal(CellStatus.NotRun, result.Cells[3].Status);

        // The file is still written, so it shows where the run stopped.
        var cells = Cells(path);
        Assert.Equal(["before\n"], Lines(Assert.Single(Outputs(cells[1]))["text"]));
        var error = Assert.Single(Outputs(cells[2]));
        Assert.Equal("error", (string)error["output_type"]!);
        Assert.Equal("System.InvalidOperationException", (string)error["ename"]!);
        Assert.Equal("boom", (string)error["evalue"]!);
        Assert.NotEmpty(error["traceback"]!.AsArray());
        Assert.Empty(Outputs(cells[3]));
        Assert.Null(cells[3]["execution_count"]);
    }

    [Fact]
    public async Task ACompileErrorNamesTheCellAndTheDiagnosticLine()
    {
        var path = WriteNotebook("03-typo.ipynb",
            Code("var ok = 1;"),
            Code("// the second line has the typo\nvar doubled = undefinedName * 2;"));

        var result = await NotebookExecutor.RunAsync(path, Quiet);

        Assert.False(result.Succeeded);
        Assert.Equal(2, result.FailedCellNumber);
        var compilation = Assert.IsType<CellCompilationException>(result.Exception);
        Assert.Contains("CS0103", compilation.Message);
        Assert.Contains("cell 2", result.Message);
        Assert.Contains("(2,15): error CS0103", result.Message);
        Assert.Contains("undefinedName", result.Message);

        var error = Assert.Single(Outputs(Cells(path)[1]));
        Assert.Equal("error", (string)error["output_type"]!);
        Assert.Contains(error["traceback"]!.AsArray(), line => ((string)line!).StartsWith("(2,15): error CS0103", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RelativeReferencesAndFilesResolveAgainstTheNotebookFolder()
    {
        // The layout of the workbook: notebooks/ next to the built library, referenced as in Polyglot.
        var libraryName = "Greeter" + Guid.NewGuid().ToString("N");
        Directory.CreateDirectory(Path.Combine(_dir, "bin"));
        EmitLibrary(Path.Combine(_dir, "bin", libraryName + ".dll"), libraryName,
            "public static class Greeter { public static string Greet(string name) => \"hello \" + name; }");
        Directory.CreateDirectory(Path.Combine(_dir, "notebooks"));
        File.WriteAllText(Path.Combine(_dir, "notebooks", "name.txt"), "notebook");
        var path = WriteNotebook(Path.Combine("notebooks", "04-reference.ipynb"),
            Code($"#!csharp\n#r \"../bin/{libraryName}.dll\""),
            Code("Greeter.Greet(System.IO.File.ReadAllText(\"name.txt\"))")); // no using System.IO: .NET Interactive's kernel has none either
        var directoryBefore = Environment.CurrentDirectory;

        var result = await NotebookExecutor.RunAsync(path, Quiet);

        Assert.True(result.Succeeded, result.Message);
        Assert.Equal("hello notebook", Text(Assert.Single(Outputs(Cells(path)[1]))["data"]!["text/plain"]));
        Assert.Equal(directoryBefore, Environment.CurrentDirectory);
    }

    [Fact]
    public async Task PolyglotOnlyFeaturesAreSkippedOrRejectedClearly()
    {
        var path = WriteNotebook("05-polyglot.ipynb",
            Code("#!fsharp\nlet x = 1"),
            Code("#!time\nfor (int i = 0; i <= 100; i += 50) Console.Write($\"\\r{i}%\");\nConsole.WriteLine();\ndisplay(HTML(\"<b>done</b>\"));\nHTML(\"<i>last</i>\")"),
            Code("#r \"nuget: Newtonsoft.Json, 13.0.3\""));

        var result = await NotebookExecutor.RunAsync(path, Quiet);

        Assert.Equal(CellStatus.Skipped, result.Cells[0].Status);
        Assert.Contains(result.Warnings, warning => warning.StartsWith("cell 1:", StringComparison.Ordinal) && warning.Contains("fsharp"));
        Assert.Equal(CellStatus.Succeeded, result.Cells[1].Status);
        Assert.Equal(3, result.FailedCellNumber);
        Assert.IsType<NotSupportedException>(result.Exception);
        Assert.Contains("nuget", result.Message);

        var cells = Cells(path);
        Assert.Empty(Outputs(cells[0]));
        var outputs = Outputs(cells[1]);
        // Only the final state of a line redrawn with '\r' is stored.
        Assert.Equal(["100%\n"], Lines(outputs[0]["text"]));
        Assert.Equal("<b>done</b>", Text(outputs[1]["data"]!["text/html"]));
        Assert.Equal("execute_result", (string)outputs[2]["output_type"]!);
        Assert.Equal("<i>last</i>", Text(outputs[2]["data"]!["text/html"]));
        Assert.StartsWith("Wall time: ", Text(outputs[3]["data"]!["text/plain"]));
    }

    [Fact]
    public async Task SavingKeepsUnknownFieldsAndJupyterFormatting()
    {
        var path = WriteNotebook("06-roundtrip.ipynb",
            Code("var progress = display(\"step 1\");"),
            Code("progress.Update(\"step 2\");"));
        var notebook = JsonNode.Parse(File.ReadAllText(path))!;
        notebook["metadata"]!["custom"] = new JsonObject { ["kept"] = true };
        notebook["cells"]![0]!["id"] = "cell-id-1";
        File.WriteAllText(path, notebook.ToJsonString());

        var result = await NotebookExecutor.RunAsync(path, Quiet);

        Assert.True(result.Succeeded, result.Message);
        var text = File.ReadAllText(path);
        Assert.StartsWith("{\n \"cells\": [\n  {\n", text);
        Assert.EndsWith("}\n", text);
        var saved = JsonNode.Parse(text)!;
        Assert.True((bool)saved["metadata"]!["custom"]!["kept"]!);
        Assert.Equal("cell-id-1", (string)saved["cells"]![0]!["id"]!);
        // DisplayedValue.Update replaces the output in place, even from a later cell, as in Polyglot.
        var cells = Items(saved["cells"]);
        Assert.Equal("step 2", Text(Assert.Single(Outputs(cells[0]))["data"]!["text/plain"]));
        Assert.Empty(Outputs(cells[1]));
    }

    [Fact]
    public async Task TheCommandLineRejectsAMissingNotebookWithUsageExitCode()
    {
        var log = new StringWriter();
        var missing = Path.Combine(_dir, "missing.ipynb");

        int exitCode = await CommandLine.RunAsync([missing], log);

        Assert.Equal(CommandLine.BadUsage, exitCode);
        Assert.Contains(missing, log.ToString());
    }

    private static JsonObject Markdown(string source) => new()
    {
        ["cell_type"] = "markdown",
        ["metadata"] = new JsonObject(),
        ["source"] = source,
    };

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
        var notebook = new JsonObject
        {
            ["cells"] = new JsonArray(cells.Select(cell => (JsonNode?)cell).ToArray()),
            ["metadata"] = new JsonObject(),
            ["nbformat"] = 4,
            ["nbformat_minor"] = 5,
        };
        var path = Path.Combine(_dir, relativePath);
        File.WriteAllText(path, notebook.ToJsonString());
        return path;
    }

    private static void EmitLibrary(string path, string assemblyName, string source)
    {
        var runtime = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var compilation = CSharpCompilation.Create(assemblyName,
            [CSharpSyntaxTree.ParseText(source)],
            [MetadataReference.CreateFromFile(typeof(object).Assembly.Location),
             MetadataReference.CreateFromFile(Path.Combine(runtime, "System.Runtime.dll"))],
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var emitted = compilation.Emit(path);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));
    }

    private static List<JsonNode> Cells(string path) => Items(JsonNode.Parse(File.ReadAllText(path))!["cells"]);

    private static List<JsonNode> Outputs(JsonNode cell) => Items(cell["outputs"]);

    private static List<JsonNode> Items(JsonNode? array) => array!.AsArray().Select(item => item!).ToList();

    private static List<string> Lines(JsonNode? text) => text!.AsArray().Select(line => (string)line!).ToList();

    /// <summary>nbformat text is a string or a list of lines.</summary>
    private static string Text(JsonNode? text) => text is JsonArray lines ? string.Concat(Lines(lines)) : (string)text!;
}
