using System.Text.Json.Nodes;
using Microsoft.CodeAnalysis.CSharp;

namespace NotebookRunner;

/// <summary>
/// How the workbook's kernel names itself, in the kernelspec it installs, in its kernel_info_reply and
/// in the notebooks' metadata, so that JupyterLab and VS Code's Jupyter extension pick it for them.
/// </summary>
public static class KernelIdentity
{
    /// <summary>The kernelspec folder name; notebooks name it in metadata.kernelspec.name.</summary>
    public const string Name = "csharp-workbook";

    public const string DisplayName = "C# (workbook)";

    /// <summary>Polyglot's kernelspec name, which the runner replaces (the Polyglot metadata stays beside it).</summary>
    public const string PolyglotKernelName = ".net-csharp";

    /// <summary>The C# version cells compile with, e.g. "14.0".</summary>
    public static string LanguageVersion => LanguageVersionFacts.ToDisplayString(ScriptEnvironment.ParseOptions.LanguageVersion.MapSpecifiedToEffectiveVersion());

    public static JsonObject KernelSpec() => new()
    {
        ["display_name"] = DisplayName,
        ["language"] = "C#",
        ["name"] = Name,
    };

    /// <summary>As a C# Jupyter kernel reports it: pygments' csharp lexer lets nbconvert and GitHub highlight the code.</summary>
    public static JsonObject LanguageInfo() => new()
    {
        ["codemirror_mode"] = "text/x-csharp",
        ["file_extension"] = ".cs",
        ["mimetype"] = "text/x-csharp",
        ["name"] = "C#",
        ["pygments_lexer"] = "csharp",
        ["version"] = LanguageVersion,
    };
}
