using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using NotebookRunner;

namespace WorkbookKernel;

/// <summary>
/// Writes the kernelspec (jupyter kernelspec layout: kernels/NAME/kernel.json) that makes JupyterLab,
/// VS Code's Jupyter extension, jupyter_client and nbclient start this kernel: `dotnet` on this very
/// assembly, so that rebuilding the repository updates the installed kernel.
/// </summary>
internal static class KernelSpecInstaller
{
    public static int Install(IReadOnlyList<string> args, TextWriter log)
    {
        string dataDir;
        if (args is ["--prefix", var prefix])
            dataDir = Path.Combine(Path.GetFullPath(prefix), "share", "jupyter");
        else if (args.Count == 0)
            dataDir = UserDataDir();
        else
        {
            log.WriteLine("usage: WorkbookKernel install [--prefix DIR]");
            return 2;
        }

        var folder = Path.Combine(dataDir, "kernels", KernelIdentity.Name);
        Directory.CreateDirectory(folder);
        var dotnet = Environment.ProcessPath is { } host && Path.GetFileNameWithoutExtension(host) == "dotnet" ? host : "dotnet";
        var spec = new JsonObject
        {
            ["argv"] = new JsonArray(dotnet, typeof(Program).Assembly.Location, "-f", "{connection_file}"),
            ["display_name"] = KernelIdentity.DisplayName,
            ["language"] = "C#",
            // interrupt_request on the control channel: the kernel trips Lib.Notebook.Interrupt.Token.
            ["interrupt_mode"] = "message",
            ["metadata"] = new JsonObject { ["debugger"] = false },
        };
        var path = Path.Combine(folder, "kernel.json");
        File.WriteAllText(path, spec.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n");
        log.WriteLine($"installed kernelspec '{KernelIdentity.Name}' ({KernelIdentity.DisplayName}) in {folder}");
        return 0;
    }

    /// <summary>Jupyter's user data dir on Linux, as jupyter_core computes it.</summary>
    private static string UserDataDir()
    {
        if (Environment.GetEnvironmentVariable("JUPYTER_DATA_DIR") is { Length: > 0 } explicitDir)
            return Path.GetFullPath(explicitDir);
        var xdg = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return Path.Combine(string.IsNullOrEmpty(xdg) ? Path.Combine(home, ".local", "share") : xdg, "jupyter");
    }
}
