using Lib.Torch.Native;

namespace Lib.Torch;

/// <summary>
/// Keeps freed CPU blocks of 1 MiB and more for the next tensor of about the same size, as PyTorch's CUDA caching
/// allocator does on the GPU (native/src/cpu_caching_allocator.cpp). libtorch's own CPU allocator returns such blocks
/// to the system and maps them again on the next step, so each step pays a page fault per 4 KiB of activations: a
/// third of a 256-px pix2pix inference step on the VMs this workbook was measured on (bench/README.md, issue 24).
/// </summary>
/// <remarks>
/// On by default with the other fast paths (<see cref="FastPaths.Default"/>; <c>LIB_FAST_PATHS=0</c> turns it off).
/// The cache holds at most <see cref="Limit"/> bytes; a process's resident memory can therefore exceed what its live
/// tensors need by up to that much. <see cref="EmptyCache"/> hands everything cached back.
/// </remarks>
public static class CpuCachingAllocator
{
    private static bool _enabled = FastPaths.Default;
    private static long _limit = DefaultLimit();
    private static double _idleFraction = 0.25;

    /// <summary>Whether freed blocks are kept for reuse. Off: every block goes back to the system when freed.</summary>
    public static bool Enabled
    {
        get => _enabled;
        set { _enabled = value; Apply(); }
    }

    /// <summary>The most bytes the cache holds (default: a quarter of physical memory, at most 8 GiB).</summary>
    public static long Limit
    {
        get => _limit;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            _limit = value;
            Apply();
        }
    }

    /// <summary>
    /// How much idle memory the cache may hold past the most bytes ever in use at once, as a share of that peak (default 0.25).
    /// When a request finds no cached block of its size, cached blocks of other sizes are returned to the system first until
    /// in use + cached + the new block fit in (1 + IdleFraction) × the peak. A one-shot job of many sizes (a 12-megapixel photo
    /// through the CLI) then holds about what it uses at once, not all it ever used. A loop (a training or inference loop) needs
    /// every size it cycles through: a miss on a size this bound released earns its room back, so a loop stops missing after
    /// a pass or two and keeps its whole cache, as without the bound.
    /// <see cref="double.PositiveInfinity"/>: never release on a miss (only <see cref="Limit"/> bounds the cache).
    /// </summary>
    public static double IdleFraction
    {
        get => _idleFraction;
        set
        {
            if (double.IsNaN(value) || value < 0) throw new ArgumentOutOfRangeException(nameof(value), value, "IdleFraction must be 0 or more (PositiveInfinity: never release on a miss)");
            _idleFraction = value;
            Apply();
        }
    }

    /// <summary>Bytes held in the cache now, free for reuse.</summary>
    public static long CachedBytes => Stats()[0];

    /// <summary>Bytes of cached-size blocks in use by tensors now.</summary>
    public static long InUseBytes => Stats()[1];

    /// <summary>The most bytes of large blocks held at once (in use plus cached) since start or <see cref="ResetPeak"/>.</summary>
    public static long PeakBytes => Stats()[2];

    /// <summary>The most bytes of large blocks in use by tensors at once since start or <see cref="ResetPeak"/> (what no allocator can go below).</summary>
    public static long PeakInUseBytes => Stats()[5];

    /// <summary>Requests served from the cache, and requests that mapped new memory.</summary>
    public static (long Hits, long Misses) Counts
    {
        get { var s = Stats(); return (s[3], s[4]); }
    }

    /// <summary>Returns every cached block to the system (blocks in use stay) and forgets the room loops earned past <see cref="IdleFraction"/>.</summary>
    public static void EmptyCache() => LibNative.ts_cpu_caching_allocator_empty_cache();

    public static void ResetPeak() => LibNative.ts_cpu_caching_allocator_reset_peak();

    private static unsafe long[] Stats()
    {
        var s = new long[6];
        fixed (long* p = s) LibNative.ts_cpu_caching_allocator_stats(p);
        return s;
    }

    private static void Apply() => LibNative.Check(LibNative.ts_cpu_caching_allocator_configure(_enabled ? 1 : 0, _limit, _idleFraction));

    /// <summary>Installs the allocator as libtorch's CPU allocator: called once, right after the native library loads.</summary>
    /// <remarks>Through the export, not <see cref="Apply"/>: a P/Invoke here, inside the library resolver, would resolve the library again.</remarks>
    internal static unsafe void Install(IntPtr lib)
    {
        var configure = (delegate* unmanaged<int, long, double, int>)System.Runtime.InteropServices.NativeLibrary.GetExport(lib, "ts_cpu_caching_allocator_configure");
        configure(_enabled ? 1 : 0, _limit, _idleFraction);
    }

    private static long DefaultLimit()
    {
        var total = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        return Math.Min(total > 0 ? total / 4 : 2L << 30, 8L << 30);
    }
}
