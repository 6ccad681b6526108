using System.Diagnostics;

namespace Lib.Tests;

/// <summary>
/// The programs the kernel and export tests drive: Debian's Python with the Jupyter packages, the
/// kernel and runner builds, chromium. tools/setup.sh installs the Debian packages.
/// </summary>
internal static class ExternalTools
{
    /// <summary>Debian's interpreter, where python3-jupyter-client, -nbclient and -nbformat live (not a pyenv shim).</summary>
    public const string Python = "/usr/bin/python3";

    /// <summary>The build configuration of these tests (Debug or Release), from their output folder.</summary>
    public static string Configuration { get; } =
        AppContext.BaseDirectory.Replace('\\', '/').Contains("/bin/Release/", StringComparison.Ordinal) ? "Release" : "Debug";

    public static string KernelDll => Built("tools/Kernel", "WorkbookKernel.dll");

    public static string RunnerDll => Built("tools/NotebookRunner", "NotebookRunner.dll");

    /// <summary>The process the fault tests kill (tests/FaultChild).</summary>
    public static string FaultChildDll => Built("tests/FaultChild", "FaultChild.dll");

    public static string Script(string name) => Path.Combine(TestSupport.RepoRoot, "tests", "kernel", name);

    private static string Built(string project, string dll)
    {
        var path = Path.Combine(TestSupport.RepoRoot, project, "bin", Configuration, "net10.0", dll);
        Assert.True(File.Exists(path), $"{path} is missing: tests/Lib.Tests references {project}, so `dotnet test` builds it");
        return path;
    }

    /// <summary>Runs a program to completion; the result carries its exit code and both streams.</summary>
    public static (int ExitCode, string Output, string Error) Run(string program, IEnumerable<string> args,
        IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null, int timeoutSeconds = 300)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var arg in args)
            info.ArgumentList.Add(arg);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
            info.Environment[key] = value;
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {program}");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(timeoutSeconds)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{program} {string.Join(" ", args)} did not finish within {timeoutSeconds} s\n{output.Result}\n{error.Result}");
        }
        return (process.ExitCode, output.Result, error.Result);
    }
}
