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
