using System.Reflection;
using System.Runtime.InteropServices;

namespace Lib.Torch.Native;

/// <summary>
/// Finds libLibNative.so next to Lib.dll (notebooks load Lib.dll by path, so the default probing
/// of the application folder would miss it) and explains what to install when it cannot be loaded.
/// </summary>
internal static class NativeLibraryLoader
{
    internal const string Name = "LibNative";
    private static int _registered;

    internal static void Register()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 1) return;
        NativeLibrary.SetDllImportResolver(typeof(NativeLibraryLoader).Assembly, Resolve);
    }

    /// <summary>
    /// libtorch sizes its pool from OMP_NUM_THREADS when set, and some builds default to one
    /// thread; the workbook wants all cores unless the user said otherwise.
    /// </summary>
    private static unsafe void SetDefaultThreads(IntPtr lib)
    {
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("OMP_NUM_THREADS"))) return;
        var setThreads = (delegate* unmanaged<int, int>)NativeLibrary.GetExport(lib, "ts_set_num_threads");
        setThreads(Environment.ProcessorCount);
    }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? path)
    {
        if (name != Name) return IntPtr.Zero;
        var dir = Path.GetDirectoryName(assembly.Location) ?? AppContext.BaseDirectory;
        var candidates = new[] { Path.Combine(dir, "libLibNative.so"), Path.Combine(AppContext.BaseDirectory, "libLibNative.so") };
        string? lastError = null;
        foreach (var candidate in candidates)
        {
            if (!File.Exists(candidate)) continue;
            try
            {
                var lib = NativeLibrary.Load(candidate);
                SetDefaultThreads(lib);
                CpuCachingAllocator.Install(lib);
                return lib;
            }
            catch (DllNotFoundException e) { lastError = e.Message; }
        }
        throw new DllNotFoundException(lastError is null
            ? $"libLibNative.so was not found next to {assembly.Location}. Build the library with 'dotnet build Lib.csproj' (it builds native/ with CMake)."
            : $"libLibNative.so could not be loaded: {lastError}. Is libtorch installed? On Debian 12: apt-get install libtorch-dev libopenblas0-pthread (see README.md).");
    }
}
