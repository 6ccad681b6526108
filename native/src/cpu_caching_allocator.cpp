// A CPU allocator that keeps freed large blocks and hands them out again, as the CUDA caching allocator does.
//
// Why: libtorch's CPU allocator gets every block of 1 MiB and more from glibc, which maps blocks above its mmap
// threshold (32 MiB at most) fresh and unmaps them on free. A training or inference step at 256 px allocates
// gigabytes of such activations, so every step faults every page in again; on the VMs here the kernel's page-fault
// path took a third of a pix2pix 256-px inference step (perf: pvm_irq_enable, clear_page). Reused blocks are
// already mapped; new ones are 2 MiB-aligned and marked MADV_HUGEPAGE, so a fault maps 2 MiB, not 4 KiB.
//
// Small requests go to the previous allocator (glibc reuses those itself). The cache holds at most `limit` bytes;
// past it, the largest cached blocks are unmapped first. C# (lib/Torch/CpuCachingAllocator.cs) decides whether it
// is on and how much it may hold.
#include "shim.h"
#include <c10/core/Allocator.h>
#include <c10/core/CPUAllocator.h>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <mutex>
#include <set>
#include <sys/mman.h>
#include <torch/version.h>
#include <unordered_map>

namespace {

constexpr size_t kMinBlock = size_t(1) << 20;  // smaller requests: the previous allocator
constexpr size_t kPage = size_t(2) << 20;      // a transparent huge page

struct CachingCpuAllocator final : c10::Allocator {
  c10::Allocator* fallback = nullptr;
  std::mutex mu;
  std::multimap<size_t, void*> cached;            // free blocks by size
  std::unordered_map<void*, size_t> sizes;        // every block this allocator made, in use or cached
  size_t cached_bytes = 0, in_use_bytes = 0, peak_bytes = 0, peak_in_use = 0, limit = 0;
  double idle_fraction = 0.25;  // idle blocks kept past the peak in use, as a share of it (see release_idle_for)
  size_t earned = 0;             // bytes of allowance earned by misses on sizes release_idle_for had released
  std::multiset<size_t> released;  // sizes it released, not yet asked for again
  static constexpr size_t kMaxReleased = 4096;
  int64_t hits = 0, misses = 0;
  bool enabled = false;

  static CachingCpuAllocator& instance() {
    static auto* a = new CachingCpuAllocator();  // never destroyed: blocks may be freed during static destruction
    return *a;
  }

  static void Free(void* p) { instance().release(p); }

  c10::DataPtr allocate(size_t n) const override { return const_cast<CachingCpuAllocator*>(this)->take(n); }
  c10::DeleterFnPtr raw_deleter() const override { return &Free; }
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 3)
  void copy_data(void* dest, const void* src, std::size_t count) const override { default_copy_data(dest, src, count); }
#endif

  c10::DataPtr take(size_t n) {
    if (!enabled || n < kMinBlock) return fallback->allocate(n);
    size_t size = (n + kPage - 1) / kPage * kPage;
    void* p = nullptr;
    {
      std::lock_guard<std::mutex> g(mu);
      // Best fit, but no block more than a quarter larger than asked: a 1 GB activation must not pin a 4 GB block.
      auto it = cached.lower_bound(size);
      if (it != cached.end() && it->first <= size + size / 4) {
        p = it->second;
        size = it->first;
        cached_bytes -= size;
        cached.erase(it);
        hits++;
      } else {
        misses++;
        release_idle_for(size);
      }
    }
    if (p == nullptr) {
      if (posix_memalign(&p, kPage, size) != 0) {
        // Out of memory: give the cache back and try once more before failing as libtorch would.
        empty();
        if (posix_memalign(&p, kPage, size) != 0)
          TORCH_CHECK(false, "CPU out of memory: tried to allocate ", n, " bytes (caching allocator)");
      }
      madvise(p, size, MADV_HUGEPAGE);
      std::lock_guard<std::mutex> g(mu);
      sizes[p] = size;
    }
    std::lock_guard<std::mutex> g(mu);
    in_use_bytes += size;
    if (in_use_bytes > peak_in_use) peak_in_use = in_use_bytes;
    if (in_use_bytes + cached_bytes > peak_bytes) peak_bytes = in_use_bytes + cached_bytes;
    return {p, p, &Free, c10::Device(c10::DeviceType::CPU)};
  }

  // A miss is about to map `size` new bytes. Idle blocks of other sizes go first when they would take the footprint (in use +
  // cached) past the most ever in use, plus idle_fraction of it, plus what the loop has earned (below). A one-shot job of
  // many sizes each used once (a 12-megapixel photo) then holds about what it uses at once, not everything it ever used.
  // A loop needs every size it cycles through cached; when a request misses because this released a block that would have
  // served it, and the footprint is at the bound again, the allowance grows by that block: a loop whose sizes do not fit
  // the bound earns the room in a pass or two and then stops missing, as with no bound.
  void release_idle_for(size_t size) {
    if (std::isinf(idle_fraction)) return;
    size_t allowed = std::max(peak_in_use, in_use_bytes + size);
    allowed += (size_t)(idle_fraction * (double)allowed) + earned;
    // Earned only when this miss would release in turn: a released size asked for again while there is room is no cycle.
    auto ghost = released.lower_bound(size);
    if (ghost != released.end() && *ghost <= size + size / 4) {
      if (in_use_bytes + cached_bytes + size > allowed) {
        earned += *ghost;
        allowed += *ghost;
      }
      released.erase(ghost);
    }
    while (!cached.empty() && in_use_bytes + cached_bytes + size > allowed) {
      if (released.size() >= kMaxReleased) released.clear();
      released.insert(std::prev(cached.end())->first);
      std::free(pop_largest());
    }
  }

  // Takes the largest cached block out of the books (the caller holds the lock and frees it).
  void* pop_largest() {
    auto last = std::prev(cached.end());
    void* q = last->second;
    cached_bytes -= last->first;
    sizes.erase(q);
    cached.erase(last);
    return q;
  }

  void release(void* p) {
    std::unique_lock<std::mutex> g(mu);
    auto it = sizes.find(p);
    if (it == sizes.end()) {
      // A small block, or one raw_allocate() took from the previous allocator: raw frees come here by raw_deleter().
      g.unlock();
      fallback->raw_deleter()(p);
      return;
    }
    size_t size = it->second;
    in_use_bytes -= size;
    if (!enabled || size > limit) {
      sizes.erase(it);
      g.unlock();
      std::free(p);
      return;
    }
    cached.emplace(size, p);
    cached_bytes += size;
    trim(g);
  }

  // Unmaps the largest cached blocks until the cache fits its limit.
  void trim(std::unique_lock<std::mutex>& g) {
    while (cached_bytes > limit && !cached.empty()) {
      void* q = pop_largest();
      g.unlock();
      std::free(q);
      g.lock();
    }
  }

  void fit() {
    std::unique_lock<std::mutex> g(mu);
    trim(g);
  }

  // Frees every cached block and forgets the allowance loops earned.
  void empty() {
    std::unique_lock<std::mutex> g(mu);
    earned = 0;
    released.clear();
    auto keep = limit;
    limit = 0;
    trim(g);
    limit = keep;
  }
};

}  // namespace

// Installs the allocator (once) and sets whether it caches, how many bytes it may hold, and how many idle bytes past the
// peak in use a miss may leave cached (a share of that peak; infinite: never release on a miss).
TS_EXPORT int ts_cpu_caching_allocator_configure(int enabled, int64_t limit_bytes, double idle_fraction) {
  TS_STATUS(
    auto& a = CachingCpuAllocator::instance();
    {
      std::lock_guard<std::mutex> g(a.mu);
      if (a.fallback == nullptr) {
        a.fallback = c10::GetCPUAllocator();
        c10::SetCPUAllocator(&a);
      }
      a.enabled = enabled != 0;
      a.limit = enabled != 0 && limit_bytes > 0 ? (size_t)limit_bytes : 0;
      a.idle_fraction = idle_fraction;
    }
    a.fit();)
}

// Frees every cached block (blocks in use stay).
TS_EXPORT void ts_cpu_caching_allocator_empty_cache() { CachingCpuAllocator::instance().empty(); }

// cached, in use, peak of in use + cached, hits, misses, peak in use (bytes but the counts).
TS_EXPORT void ts_cpu_caching_allocator_stats(int64_t* out) {
  auto& a = CachingCpuAllocator::instance();
  std::lock_guard<std::mutex> g(a.mu);
  out[0] = (int64_t)a.cached_bytes;
  out[1] = (int64_t)a.in_use_bytes;
  out[2] = (int64_t)a.peak_bytes;
  out[3] = a.hits;
  out[4] = a.misses;
  out[5] = (int64_t)a.peak_in_use;
}

TS_EXPORT void ts_cpu_caching_allocator_reset_peak() {
  auto& a = CachingCpuAllocator::instance();
  std::lock_guard<std::mutex> g(a.mu);
  a.peak_bytes = a.in_use_bytes + a.cached_bytes;
  a.peak_in_use = a.in_use_bytes;
}
