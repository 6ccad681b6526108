using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace Lib.Tests;

/// <summary>
/// The notebooks under .NET Interactive's C# kernel (the dotnet-interactive tool 1.0.712001 from the NuGet source, as many VS
/// Code users still have it), driven by nbclient like the workbook's own kernel: notebooks 00 and 01 whole, 02 for one epoch.
/// Where the tool cannot be installed (no NuGet source), the test says why and checks nothing else.
/// </summary>
[Collection(NotebookRunnerCollection.Name)]
public sealed class DotNetInteractiveTests(ITestOutputHelper output) : IDisposable
{
    public const string Version = "1.0.712001";

    private readonly string _dir = Directory.CreateTempSubdirectory("dotnet-interactive-tests-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>The tool, installed once per machine into a folder of its own (not the user's global tools).</summary>
    private static string? Install(out string why)
    {
        var toolDir = Path.Combine(Path.GetTempPath(), $"workbook-dotnet-interactive-{Version}");
        var exe = Path.Combine(toolDir, "dotnet-interactive");
        why = "";
        if (File.Exists(exe)) return exe;
        var (code, stdout, stderr) = ExternalTools.Run("dotnet", ["tool", "install", "--tool-path", toolDir, "Microsoft.dotnet-interactive", "--version", Version]);
        if (code == 0 && File.Exists(exe)) return exe;
        why = $"dotnet tool install Microsoft.dotnet-interactive {Version} failed ({code}): {stdout}{stderr}".Trim();
        return null;
    }

    [Fact]
    public void NbclientRunsNotebooks00And01AndAShort02UnderTheDotNetCSharpKernel()
    {
        var exe = Install(out var why);
        if (exe is null)
        {
            output.WriteLine($"SKIPPED: the .NET Interactive kernel could not be installed here, so nothing was checked. {why}");
            return;
        }
        var kernels = Directory.CreateDirectory(Path.Combine(_dir, "jupyter", "kernels")).FullName;
        var (code, stdout, stderr) = ExternalTools.Run(exe, ["jupyter", "install", "--path", kernels]);
        Assert.True(code == 0, $"dotnet-interactive jupyter install failed ({code}): {stdout}{stderr}");
        // The spec runs `dotnet interactive`, which finds only a global or local tool; this one lives in its own folder.
        var specPath = Path.Combine(kernels, ".net-csharp", "kernel.json");
        var spec = JsonNode.Parse(File.ReadAllText(specPath))!.AsObject();
        var argv = spec["argv"]!.AsArray().Select(a => (string)a!).ToList();
        Assert.Equal(["dotnet", "interactive"], argv.Take(2));
        spec["argv"] = new JsonArray([.. argv.Skip(2).Prepend(exe).Select(a => (JsonNode)JsonValue.Create(a)!)]);
        File.WriteAllText(specPath, spec.ToJsonString());
        var environment = new Dictionary<string, string>
        {
            ["JUPYTER_PATH"] = Path.Combine(_dir, "jupyter"), ["JUPYTER_DATA_DIR"] = Path.Combine(_dir, "jupyter"),
            ["JUPYTER_RUNTIME_DIR"] = Path.Combine(_dir, "jupyter", "runtime"), ["EPOCHS"] = "1",
        };
        foreach (var name in new[] { "00-environment.ipynb", "01-lab-preprocessing.ipynb", "02-train-colorizer.ipynb" })
        {
            var copy = CopyNotebook(name);
            var executed = Path.ChangeExtension(copy, ".executed.ipynb");
            var run = ExternalTools.Run(ExternalTools.Python, [ExternalTools.Script("run_nbclient.py"), copy, executed, ".net-csharp"], environment, timeoutSeconds: 900);
            Assert.True(run.ExitCode == 0, $"{name} under .net-csharp failed:\n{Tail(run.Output)}\n{Tail(run.Error)}");
            var cells = JsonNode.Parse(File.ReadAllText(executed))!["cells"]!.AsArray().Select(c => c!.AsObject()).Where(c => (string)c["cell_type"]! == "code").ToList();
            var outputs = cells.SelectMany(c => c["outputs"]!.AsArray().Select(o => o!.AsObject())).ToList();
            Assert.DoesNotContain(outputs, o => (string)o["output_type"]! == "error");
            Assert.All(cells, c => Assert.NotNull((int?)c["execution_count"]));
            output.WriteLine($"{name}: {cells.Count} code cells, {outputs.Count} outputs under .net-csharp");
            // Pictures and charts show as images there too, not as their objects' properties.
            if (name != "00-environment.ipynb")
                Assert.Contains(outputs, o => o["data"]?["image/png"] is not null);
        }
    }

    /// <summary>A copy of a repository notebook with bin/ and data/ beside it, so its results land in the copy.</summary>
    private string CopyNotebook(string name)
    {
        var folder = Directory.CreateDirectory(Path.Combine(_dir, "repo", "notebooks")).FullName;
        foreach (var linked in new[] { "bin", "data" })
            if (!Directory.Exists(Path.Combine(_dir, "repo", linked)))
                Directory.CreateSymbolicLink(Path.Combine(_dir, "repo", linked), Path.Combine(TestSupport.RepoRoot, linked));
        var path = Path.Combine(folder, name);
        File.Copy(Path.Combine(TestSupport.RepoRoot, "notebooks", name), path, overwrite: true);
        return path;
    }

    private static string Tail(string text) => text.Length <= 4000 ? text : text[^4000..];
}
