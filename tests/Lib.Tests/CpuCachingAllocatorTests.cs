using Lib.Torch;
using static Lib.Torch.torch;

namespace Lib.Tests;

/// <summary>
/// The CPU caching allocator (lib/Torch/CpuCachingAllocator.cs, native/src/cpu_caching_allocator.cpp): a freed large
/// block serves the next request of its size, reused memory holds what the new tensor's op wrote (not the old
/// values), the cache respects its limit and empties on request, and turned off it keeps nothing.
/// Alone in the process-wide collection: its counters are global.
/// </summary>
[Collection(FastPathSwitchCollection.Name)]
public sealed class CpuCachingAllocatorTests : IDisposable
{
    private readonly bool _wasEnabled = CpuCachingAllocator.Enabled;
    private readonly long _wasLimit = CpuCachingAllocator.Limit;
    private readonly double _wasIdleFraction = CpuCachingAllocator.IdleFraction;

    // 37 × 2 MiB: an odd size no other test's tensor rounds to.
    private const long Elements = 37L * (2 << 20) / 4;

    public CpuCachingAllocatorTests()
    {
        CpuCachingAllocator.Enabled = true;
        CpuCachingAllocator.Limit = 1L << 30;
    }

    public void Dispose()
    {
        CpuCachingAllocator.Enabled = _wasEnabled;
        CpuCachingAllocator.Limit = _wasLimit;
        CpuCachingAllocator.IdleFraction = _wasIdleFraction;
    }

    private static long Blocks(int twoMiBBlocks) => twoMiBBlocks * (2L << 20) / 4;

    // Each more than a quarter larger than the one before: no cached block may serve the next.
    private static readonly int[] OneShotSizes = [4, 6, 8, 11, 15, 20, 26];

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.25)]
    public void A_one_shot_job_of_many_sizes_holds_about_its_peak_not_all_it_used(double idleFraction)
    {
        CpuCachingAllocator.IdleFraction = idleFraction;
        CpuCachingAllocator.EmptyCache();
        CpuCachingAllocator.ResetPeak();
        foreach (var n in OneShotSizes)
            using (var t = empty(Blocks(n))) { }
        var largest = OneShotSizes.Max() * (2L << 20);
        Assert.Equal(largest, CpuCachingAllocator.PeakInUseBytes);
        Assert.InRange(CpuCachingAllocator.PeakBytes, largest, (long)(largest * (1 + idleFraction)));
        Assert.InRange(CpuCachingAllocator.CachedBytes, 1, (long)(largest * (1 + idleFraction)));
    }

    [Fact]
    public void Without_an_idle_bound_it_keeps_every_size()
    {
        CpuCachingAllocator.IdleFraction = double.PositiveInfinity;
        CpuCachingAllocator.EmptyCache();
        foreach (var n in OneShotSizes)
            using (var t = empty(Blocks(n))) { }
        Assert.Equal(OneShotSizes.Sum() * (2L << 20), CpuCachingAllocator.CachedBytes);
    }

    [Fact]
    public void A_loop_that_repeats_its_sizes_stops_missing_after_two_passes()
    {
        // All five sizes cached take 38 blocks, more than 1.25 × the 22 in use at once: the bound releases two of them in the first
        // pass, the second pass misses on them and earns their room back, and from the third pass on every request is served.
        CpuCachingAllocator.EmptyCache();
        CpuCachingAllocator.ResetPeak();
        long missesAfterSecondPass = 0;
        for (var pass = 0; pass < 5; pass++)
        {
            // A step's shape: activations held while others come and go, then freed in another order.
            using (var a = empty(Blocks(5)))
            {
                using (var b = empty(Blocks(9))) { }
                using var c = empty(Blocks(3));
                using (var d = empty(Blocks(14))) { }
            }
            using (var e = empty(Blocks(7))) { }
            if (pass == 1) missesAfterSecondPass = CpuCachingAllocator.Counts.Misses;
        }
        Assert.Equal(missesAfterSecondPass, CpuCachingAllocator.Counts.Misses);
        Assert.Equal(38 * (2L << 20), CpuCachingAllocator.CachedBytes);
    }

    [Fact]
    public void A_negative_idle_fraction_is_refused()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => CpuCachingAllocator.IdleFraction = -0.5);
        Assert.Contains("IdleFraction", e.Message);
    }

    [Fact]
    public void A_freed_block_serves_the_next_tensor_of_its_size()
    {
        CpuCachingAllocator.EmptyCache();
        using (NewDisposeScope()) Assert.Equal(1f, ones(Elements)[Elements - 1].item<float>());
        Assert.True(CpuCachingAllocator.CachedBytes >= Elements * 4, $"cached {CpuCachingAllocator.CachedBytes} bytes after freeing {Elements * 4}");
        var (hits, misses) = CpuCachingAllocator.Counts;
        using var scope = NewDisposeScope();
        var second = zeros(Elements);
        var (hits2, misses2) = CpuCachingAllocator.Counts;
        Assert.Equal(hits + 1, hits2);
        Assert.Equal(misses, misses2);
        // The reused block held ones; zeros() must have overwritten every element.
        Assert.Equal(0.0, second.abs().sum().item<float>());
    }

    [Fact]
    public void The_cache_keeps_to_its_limit_and_empties_on_request()
    {
        CpuCachingAllocator.EmptyCache();
        Assert.Equal(0, CpuCachingAllocator.CachedBytes);
        CpuCachingAllocator.Limit = 100L << 20;
        using (var a = empty(Elements)) using (var b = empty(Elements)) { }
        // Two 74 MiB blocks freed: only one fits under 100 MiB.
        Assert.InRange(CpuCachingAllocator.CachedBytes, Elements * 4, 100L << 20);
        CpuCachingAllocator.EmptyCache();
        Assert.Equal(0, CpuCachingAllocator.CachedBytes);
    }

    [Fact]
    public void Turned_off_it_keeps_nothing()
    {
        CpuCachingAllocator.Enabled = false;
        Assert.Equal(0, CpuCachingAllocator.CachedBytes);
        using (NewDisposeScope()) Assert.Equal(Elements, ones(Elements).sum().item<float>());
        Assert.Equal(0, CpuCachingAllocator.CachedBytes);
    }

    [Fact]
    public void Small_tensors_bypass_it()
    {
        CpuCachingAllocator.EmptyCache();
        using (var a = ones(1000)) { }
        Assert.Equal(0, CpuCachingAllocator.CachedBytes);
    }
}
