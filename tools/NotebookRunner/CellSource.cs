using System.Text;
using System.Text.RegularExpressions;

namespace NotebookRunner;

/// <summary>
/// A code cell's text made ready for Roslyn: Polyglot's magic commands (`#!csharp`, `#!time`,
/// `#i`, ...) are not C#, so they are taken out. Each removed line is replaced by an empty line so
/// that compiler diagnostics keep the line numbers the user sees in the cell.
/// </summary>
internal sealed partial class CellSource
{
    /// <summary>Kernel names that select C# in a `#!name` first line.</summary>
    private static readonly HashSet<string> CSharpKernelNames = new(StringComparer.OrdinalIgnoreCase) { "csharp", "c#" };

    /// <summary>Polyglot's other kernels: a cell that starts with one of these is not C#.</summary>
    private static readonly HashSet<string> OtherKernelNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "fsharp", "f#", "pwsh", "powershell", "javascript", "js", "html", "markdown", "md", "mermaid",
        "sql", "kql", "value", "http", "python", "r", "vscode", "webview", "typescript", "ts",
    };

    private CellSource(string code, string? otherKernel, bool selectsCSharp, bool timed, IReadOnlyList<string> warnings, string? error)
    {
        Code = code;
        OtherKernel = otherKernel;
        SelectsCSharp = selectsCSharp;
        Timed = timed;
        Warnings = warnings;
        Error = error;
    }

    /// <summary>The C# to compile, with magic lines blanked.</summary>
    public string Code { get; }

    /// <summary>Set when a `#!kernel` first line sends the cell to a kernel other than C#.</summary>
    public string? OtherKernel { get; }

    /// <summary>Set when a `#!csharp` first line selects C# whatever the cell's metadata says.</summary>
    public bool SelectsCSharp { get; }

    /// <summary>`#!time` asked for the cell's wall time.</summary>
    public bool Timed { get; }

    /// <summary>Magic commands that were ignored.</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>Set when the cell cannot run here at all (e.g. `#r "nuget: ..."`).</summary>
    public string? Error { get; }

    public static CellSource Parse(string source)
    {
        var code = new StringBuilder(source.Length);
        var warnings = new List<string>();
        string? error = null;
        bool timed = false;
        bool selectsCSharp = false;
        bool seenCode = false;
        int lineNumber = 0;

        foreach (var rawLine in SplitKeepingNewlines(source))
        {
            lineNumber++;
            var line = rawLine.TrimEnd('\r', '\n');
            var trimmed = line.TrimStart();
            string newline = rawLine[line.Length..];

            if (trimmed.StartsWith("#!", StringComparison.Ordinal))
            {
                var name = trimmed[2..].Split((char[]?)null, 2, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "";
                if (!seenCode && OtherKernelNames.Contains(name))
                    return new CellSource("", name, false, false, [], null);
                if (!seenCode && CSharpKernelNames.Contains(name))
                    selectsCSharp = true;
                if (name.Equals("time", StringComparison.OrdinalIgnoreCase))
                    timed = true;
                else if (!CSharpKernelNames.Contains(name))
                    warnings.Add($"line {lineNumber}: magic command '{trimmed}' is not supported by NotebookRunner and was ignored");
                code.Append(newline);
                continue;
            }

            if (NuGetReference().IsMatch(trimmed))
            {
                error ??= $"line {lineNumber}: {trimmed}: NuGet package references are not supported by NotebookRunner "
                    + "(it runs offline and has no package resolver); build the dependency into an assembly and "
                    + "reference it with #r \"relative/path/to.dll\"";
                code.Append(newline);
                continue;
            }

            if (PackageSource().IsMatch(trimmed))
            {
                warnings.Add($"line {lineNumber}: '{trimmed}' (a NuGet package source) was ignored");
                code.Append(newline);
                continue;
            }

            if (trimmed.Length > 0)
                seenCode = true;
            code.Append(rawLine);
        }

        return new CellSource(code.ToString(), null, selectsCSharp, timed, warnings, error);
    }

    private static IEnumerable<string> SplitKeepingNewlines(string text)
    {
        int start = 0;
        while (start < text.Length)
        {
            int newline = text.IndexOf('\n', start);
            int end = newline < 0 ? text.Length : newline + 1;
            yield return text[start..end];
            start = end;
        }
    }

    [GeneratedRegex("""^#r\s+"\s*nuget\s*:""", RegexOptions.IgnoreCase)]
    private static partial Regex NuGetReference();

    [GeneratedRegex("""^#i\s+"[^"]*"\s*$""")]
    private static partial Regex PackageSource();
}
