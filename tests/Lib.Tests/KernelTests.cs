using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Lib.Tests;

/// <summary>
/// The workbook's Jupyter kernel driven by real Jupyter clients (Debian's python3-jupyter-client and
/// python3-nbclient), as JupyterLab, VS Code and nbconvert drive it. Each test installs the kernelspec
/// with the kernel's own installer into a fresh JUPYTER_DATA_DIR.
/// </summary>
[Collection(NotebookRunnerCollection.Name)]
public sealed class KernelTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("kernel-tests-").FullName;
    private readonly Dictionary<string, string> _jupyterEnvironment;

    public KernelTests()
    {
        var dataDir = Path.Combine(_dir, "jupyter");
        _jupyterEnvironment = new() { ["JUPYTER_DATA_DIR"] = dataDir, ["JUPYTER_RUNTIME_DIR"] = Path.Combine(dataDir, "runtime") };
        var (code, output, error) = ExternalTools.Run("dotnet", [ExternalTools.KernelDll, "install"], _jupyterEnvironment);
        Assert.True(code == 0, $"kernelspec install failed ({code}): {output}{error}");
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void TheInstallerWritesAKernelspecThatJupyterFinds()
    {
        var spec = JsonNode.Parse(File.ReadAllText(Path.Combine(_dir, "jupyter", "kernels", "csharp-workbook", "kernel.json")))!;
        Assert.Equal(ExternalTools.KernelDll, (string)spec["argv"]![1]!);
        Assert.Equal("{connection_file}", (string)spec["argv"]![3]!);
        Assert.Equal("message", (string)spec["interrupt_mode"]!);

        var (code, output, error) = ExternalTools.Run(ExternalTools.Python,
            ["-c", "from jupyter_client.kernelspec import KernelSpecManager as M; s = M().get_kernel_spec('csharp-workbook'); print(s.display_name, s.language, s.interrupt_mode)"],
            _jupyterEnvironment);
        Assert.True(code == 0, error);
        Assert.Equal("C# (workbook) C# message", output.Trim());
    }

    [Fact]
    public void JupyterClientsBlockingClientDrivesEveryChannel()
    {
        var log = Path.Combine(_dir, "kernel.log");
        var (code, output, error) = ExternalTools.Run(ExternalTools.Python,
            [ExternalTools.Script("protocol_check.py"), Path.Combine(TestSupport.RepoRoot, "bin", "Lib.dll"), log],
            _jupyterEnvironment, workingDirectory: _dir);
        var kernelLog = File.Exists(log) ? File.ReadAllText(log) : "(no kernel log)";
        Assert.True(code == 0, $"protocol check failed (exit {code}):\n{output}\n{error}\nkernel log:\n{kernelLog}");
        foreach (var check in new[] { "kernel_info", "heartbeat", "stop_on_error: queued cell aborted", "execute: update_display_data", "error: runtime, with the cell's line",
                     "complete: an earlier cell's variable", "stdin: input_request and input_reply", "interrupt: polling loop stopped",
                     "interrupt: cell ignoring the token abandoned", "fault: a background thread's exception reported, the cell finishes",
                     "fault: kernel usable after a background exception", "fault: kernel usable after 50 MB of output", "signature: forged messages dropped and logged",
                     "restart: new process, fresh state", "shutdown: the kernel process exited" })
            Assert.Contains("ok: " + check, output);
    }

    [Fact]
    public void NbclientRunsNotebook00ThroughTheKernelWithTheRunnersOutputs()
    {
        var viaRunner = CopyNotebook("runner", "00-environment.ipynb");
        var viaKernel = CopyNotebook("kernel", "00-environment.ipynb");

        var runner = ExternalTools.Run("dotnet", [ExternalTools.RunnerDll, viaRunner], timeoutSeconds: 900);
        Assert.True(runner.ExitCode == 0, $"runner failed:\n{runner.Error}");
        var executed = Path.ChangeExtension(viaKernel, ".nbclient.ipynb");
        var nbclient = ExternalTools.Run(ExternalTools.Python, [ExternalTools.Script("run_nbclient.py"), viaKernel, executed],
            _jupyterEnvironment, timeoutSeconds: 900);
        Assert.True(nbclient.ExitCode == 0, $"nbclient failed:\n{nbclient.Output}\n{nbclient.Error}");

        var expected = CodeCells(viaRunner);
        var actual = CodeCells(executed);
        Assert.Equal(expected.Count, actual.Count);
        for (var c = 0; c < expected.Count; c++)
        {
            var where = $"code cell {c + 1}";
            Assert.Equal((int?)expected[c]["execution_count"], (int?)actual[c]["execution_count"]);
            var want = Coalesced(expected[c]);
            var got = Coalesced(actual[c]);
            Assert.True(want.Count == got.Count, $"{where}: runner wrote {want.Count} outputs, the kernel {got.Count}:\n{string.Join("\n", got.Select(o => o.ToJsonString()[..Math.Min(300, o.ToJsonString().Length)]))}");
            for (var o = 0; o < want.Count; o++)
            {
                Assert.Equal((string)want[o]["output_type"]!, (string)got[o]["output_type"]!);
                if ((string)want[o]["output_type"]! == "stream")
                {
                    Assert.Equal((string)want[o]["name"]!, (string)got[o]["name"]!);
                    Assert.Equal(Normalize(Text(want[o]["text"])), Normalize(Text(got[o]["text"])));
                    continue;
                }
                var wantData = want[o]["data"]!.AsObject();
                var gotData = got[o]["data"]!.AsObject();
                foreach (var (mime, value) in wantData)
                    Assert.True(gotData[mime] is not null && Normalize(Text(value)) == Normalize(Text(gotData[mime])), $"{where}, output {o + 1}: {mime} differs");
                // A live session may add an interactive chart beside the SVG the record keeps; nothing else.
                foreach (var (mime, value) in gotData.Where(entry => wantData[entry.Key] is null))
                    Assert.True(mime == "text/html" && Text(value).Contains("plotly", StringComparison.OrdinalIgnoreCase), $"{where}, output {o + 1}: the kernel added {mime}");
            }
        }
    }

    [Fact]
    public void NbclientRunsNotebook01ThroughTheKernelWithoutErrors()
    {
        // 00 is compared output for output above; 01 (photos, Lab, a picture) completes the pair .NET Interactive's test runs too.
        var copy = CopyNotebook("kernel01", "01-lab-preprocessing.ipynb");
        Directory.CreateSymbolicLink(Path.Combine(_dir, "kernel01", "data"), Path.Combine(TestSupport.RepoRoot, "data"));
        var executed = Path.ChangeExtension(copy, ".nbclient.ipynb");
        var nbclient = ExternalTools.Run(ExternalTools.Python, [ExternalTools.Script("run_nbclient.py"), copy, executed], _jupyterEnvironment, timeoutSeconds: 900);
        Assert.True(nbclient.ExitCode == 0, $"nbclient failed:\n{nbclient.Output}\n{nbclient.Error}");
        var outputs = CodeCells(executed).SelectMany(c => c["outputs"]!.AsArray().Select(o => o!.AsObject())).ToList();
        Assert.DoesNotContain(outputs, o => (string)o["output_type"]! == "error");
        Assert.Contains(outputs, o => o["data"]?["image/png"] is not null);
    }

    /// <summary>A copy of a repository notebook in a folder of its own, with bin/ (Lib.dll) beside it, so its results land there.</summary>
    private string CopyNotebook(string root, string name)
    {
        var folder = Directory.CreateDirectory(Path.Combine(_dir, root, "notebooks")).FullName;
        Directory.CreateSymbolicLink(Path.Combine(_dir, root, "bin"), Path.Combine(TestSupport.RepoRoot, "bin"));
        var path = Path.Combine(folder, name);
        File.Copy(Path.Combine(TestSupport.RepoRoot, "notebooks", name), path);
        return path;
    }

    /// <summary>
    /// A cell's outputs with consecutive text of one stream joined: front ends show a kernel's stream
    /// messages as one block, but nbclient 0.7 stores each message (the kernel sends console text every
    /// 50 ms) as an output of its own, where the runner writes one.
    /// </summary>
    private static List<JsonObject> Coalesced(JsonObject cell)
    {
        var outputs = new List<JsonObject>();
        foreach (var output in cell["outputs"]!.AsArray().Select(o => o!.AsObject()))
        {
            if ((string?)output["output_type"] == "stream" && outputs.Count > 0 && (string?)outputs[^1]["output_type"] == "stream"
                && (string?)outputs[^1]["name"] == (string?)output["name"])
                outputs[^1]["text"] = Text(outputs[^1]["text"]) + Text(output["text"]);
            else
                outputs.Add(output.DeepClone().AsObject());
        }
        return outputs;
    }

    private static List<JsonObject> CodeCells(string path) =>
        JsonNode.Parse(File.ReadAllText(path))!["cells"]!.AsArray().Select(c => c!.AsObject()).Where(c => (string)c["cell_type"]! == "code").ToList();

    private static string Text(JsonNode? node) => node switch
    {
        JsonArray lines => string.Concat(lines.Select(l => (string)l!)),
        JsonValue value => (string)value!,
        _ => node?.ToJsonString() ?? "",
    };

    /// <summary>Progress lines carry timings (img/s, ETA), which differ between any two runs.</summary>
    private static string Normalize(string text) =>
        string.Join("\n", text.Split('\n').Select(line => line.Contains("img/s", StringComparison.Ordinal) ? Regex.Replace(line, @"[0-9.:]+ img/s.*$", "<timing>") : line));
}
