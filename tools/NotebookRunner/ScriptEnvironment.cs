using System.Collections.Immutable;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;

namespace NotebookRunner;

/// <summary>
/// The Roslyn script options that make a cell compile the way it does in Polyglot's C# kernel.
/// </summary>
internal static class ScriptEnvironment
{
    /// <summary>
    /// The usings .NET Interactive's C# kernel starts with, no more: a notebook that runs here needs no using the other kernel
    /// lacks (System.IO is not among them, so the notebooks say `using System.IO;`).
    /// </summary>
    public static readonly ImmutableArray<string> DefaultImports =
    [
        "System",
        "System.Linq",
        "System.Collections.Generic",
        "System.Text",
        "System.Threading.Tasks",
        "System.Net.Http",
    ];

    /// <summary>How cells parse: script syntax, latest language version.</summary>
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest, kind: SourceCodeKind.Script);

    // Loading ~170 framework references is the slow part of building options; they never change.
    private static readonly Lazy<ImmutableArray<MetadataReference>> FrameworkReferences = new(LoadFrameworkReferences);

    public static ScriptOptions For(string notebookPath)
    {
        var folder = Path.GetDirectoryName(notebookPath)!;
        return ScriptOptions.Default
            // The file path makes `#r "../bin/Lib.dll"` and `#load` resolve against the notebook's
            // folder, as in Polyglot, and names the notebook in stack traces.
            .WithFilePath(notebookPath)
            .WithMetadataResolver(ScriptMetadataResolver.Default.WithBaseDirectory(folder))
            .WithSourceResolver(new SourceFileResolver(ImmutableArray<string>.Empty, folder))
            .WithReferences(FrameworkReferences.Value.Add(MetadataReference.CreateFromFile(typeof(NotebookGlobals).Assembly.Location)))
            .WithImports(DefaultImports)
            .WithLanguageVersion(LanguageVersion.Latest)
            // Debug information gives exceptions "line N" frames that point into the cell.
            .WithEmitDebugInformation(true)
            .WithFileEncoding(Encoding.UTF8);
    }

    /// <summary>
    /// The whole shared framework, like Polyglot (Roslyn's default is a short list that lacks e.g.
    /// System.Linq and System.Net.Http). Taken from the host's trusted platform assemblies, limited
    /// to the runtime folder so that the runner's own dependencies (Roslyn) do not leak into cells.
    /// </summary>
    private static ImmutableArray<MetadataReference> LoadFrameworkReferences()
    {
        var runtimeFolder = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var trusted = (AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        return
        [
            .. trusted
                .Where(path => string.Equals(Path.GetDirectoryName(path), runtimeFolder, StringComparison.Ordinal))
                .Order(StringComparer.Ordinal)
                .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path)),
        ];
    }
}
