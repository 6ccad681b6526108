using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Scripting.Hosting;

namespace NotebookRunner;

/// <summary>
/// Loads the assemblies a notebook references with <c>#r</c> (and what they depend on, from the same
/// folder) into the process's default load context, and tells Roslyn's script loader to use them.
/// Left to itself, Roslyn's InteractiveAssemblyLoader gives each referenced file a load context of its
/// own and loads a strong-named dependency again whenever one assembly asks for another version of it
/// than the one loaded: Plotly.NET (built against a newer FSharp.Core) and Giraffe.ViewEngine (an
/// older one) then each got an FSharp.Core of their own, and Plotly.NET failed with MissingMethodException.
/// In the default context a dependency is loaded once, at the version found beside the library.
/// </summary>
internal sealed class ReferenceLoading
{
    private static readonly ConcurrentDictionary<string, byte> ProbeFolders = new(StringComparer.Ordinal);
    private static readonly string RuntimeFolder = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
    private readonly HashSet<string> _loaded = new(StringComparer.Ordinal);

    static ReferenceLoading() => AssemblyLoadContext.Default.Resolving += FromReferencedFolders;

    public InteractiveAssemblyLoader Loader { get; } = new();

    /// <summary>Loads the compilation's file references not yet loaded (call before running it).</summary>
    public void Load(Compilation compilation)
    {
        foreach (var path in compilation.References.OfType<PortableExecutableReference>().Select(r => r.FilePath).OfType<string>())
        {
            if (string.Equals(Path.GetDirectoryName(path), RuntimeFolder, StringComparison.Ordinal) || !_loaded.Add(path))
                continue;
            ProbeFolders.TryAdd(Path.GetDirectoryName(path)!, 0);
            var name = AssemblyName.GetAssemblyName(path);
            // The host may have loaded it already (the runner itself; the library in a test process).
            var assembly = AssemblyLoadContext.Default.Assemblies.FirstOrDefault(a => string.Equals(a.GetName().Name, name.Name, StringComparison.OrdinalIgnoreCase))
                ?? AssemblyLoadContext.Default.LoadFromAssemblyPath(path);
            Loader.RegisterDependency(assembly);
        }
    }

    private static Assembly? FromReferencedFolders(AssemblyLoadContext context, AssemblyName name)
    {
        foreach (var folder in ProbeFolders.Keys)
        {
            var candidate = Path.Combine(folder, name.Name + ".dll");
            if (File.Exists(candidate))
                return context.LoadFromAssemblyPath(candidate);
        }
        return null;
    }
}
