using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace Lib.Torch.Native;

/// <summary>
/// Picks OpenBLAS's AVX-512 kernels on AMD CPUs that have AVX-512 (Zen 4 and 5), where Debian's OpenBLAS 0.3.21
/// does not know the model and runs its Haswell (AVX2) kernels. Measured on a Zen 5: SkylakeX kernels run the
/// GEMM of ConvTranspose2d 1.2–1.5× faster. OpenBLAS reads OPENBLAS_CORETYPE once, when libtorch loads it, so this
/// runs before the native library is loaded; a value the user set is never changed, and LIB_FAST_PATHS=0 leaves it alone.
/// </summary>
internal static class BlasKernels
{
    internal const string Variable = "OPENBLAS_CORETYPE";

    /// <summary>The core type this process chose, or null when it left OpenBLAS's own detection (or the user's choice) alone.</summary>
    internal static string? Chosen { get; private set; }

    internal static void Choose()
    {
        if (!FastPaths.Default || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Variable))) return;
        if (!OperatingSystem.IsLinux() || !Avx512F.IsSupported || Vendor() != "AuthenticAMD") return;
        // .NET keeps its own copy of the environment; OpenBLAS calls getenv, so the C library's must change.
        if (setenv(Variable, "SkylakeX", 0) != 0) return;
        Environment.SetEnvironmentVariable(Variable, "SkylakeX");
        Chosen = "SkylakeX";
    }

    /// <summary>The kernels OpenBLAS runs (openblas_get_corename), or null when libtorch's BLAS is not OpenBLAS.</summary>
    internal static unsafe string? CoreName()
    {
        LibNative.ts_get_num_threads(); // loads libtorch, and with it the BLAS it links
        foreach (var name in new[] { "libopenblas.so.0", "libblas.so.3" })
        {
            if (!NativeLibrary.TryLoad(name, out var lib)) continue;
            if (!NativeLibrary.TryGetExport(lib, "openblas_get_corename", out var f)) continue;
            return Marshal.PtrToStringUTF8(((delegate* unmanaged<IntPtr>)f)());
        }
        return null;
    }

    internal static string Vendor()
    {
        var (_, ebx, ecx, edx) = X86Base.CpuId(0, 0);
        Span<byte> b = stackalloc byte[12];
        BitConverter.TryWriteBytes(b, ebx);
        BitConverter.TryWriteBytes(b[4..], edx);
        BitConverter.TryWriteBytes(b[8..], ecx);
        return System.Text.Encoding.ASCII.GetString(b);
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int setenv(string name, string value, int overwrite);
}
