#include "shim.h"
#include <ATen/autocast_mode.h>
#include <torch/version.h>

// Automatic mixed precision: the thread's autocast state for one device type (0: CPU, 1: CUDA), as
// torch.autocast's __enter__/__exit__ set it. libtorch 2.4 moved to per-device-type functions; the
// older ones exist from 1.10 on (CPU autocast with bf16 since 1.10).
#define TS_AUTOCAST_NEW_API (TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4))

TS_EXPORT int ts_autocast_is_enabled(int device) {
  TS_GUARD(-1,
#if TS_AUTOCAST_NEW_API
    return at::autocast::is_autocast_enabled(device == 0 ? at::kCPU : at::kCUDA) ? 1 : 0;
#else
    return (device == 0 ? at::autocast::is_cpu_enabled() : at::autocast::is_enabled()) ? 1 : 0;
#endif
  )
}

TS_EXPORT int ts_autocast_set_enabled(int device, int enabled) {
  TS_STATUS(
#if TS_AUTOCAST_NEW_API
    at::autocast::set_autocast_enabled(device == 0 ? at::kCPU : at::kCUDA, enabled != 0)
#else
    if (device == 0) at::autocast::set_cpu_enabled(enabled != 0); else at::autocast::set_enabled(enabled != 0)
#endif
  )
}

TS_EXPORT int ts_autocast_get_dtype(int device) {
  TS_GUARD(-1,
#if TS_AUTOCAST_NEW_API
    return (int)at::autocast::get_autocast_dtype(device == 0 ? at::kCPU : at::kCUDA);
#else
    return (int)(device == 0 ? at::autocast::get_autocast_cpu_dtype() : at::autocast::get_autocast_gpu_dtype());
#endif
  )
}

TS_EXPORT int ts_autocast_set_dtype(int device, int dtype) {
  TS_STATUS(
#if TS_AUTOCAST_NEW_API
    at::autocast::set_autocast_dtype(device == 0 ? at::kCPU : at::kCUDA, (at::ScalarType)dtype)
#else
    if (device == 0) at::autocast::set_autocast_cpu_dtype((at::ScalarType)dtype); else at::autocast::set_autocast_gpu_dtype((at::ScalarType)dtype)
#endif
  )
}

TS_EXPORT int ts_autocast_increment_nesting() { TS_GUARD(-1, return at::autocast::increment_nesting();) }
TS_EXPORT int ts_autocast_decrement_nesting() { TS_GUARD(-1, return at::autocast::decrement_nesting();) }
TS_EXPORT int ts_autocast_clear_cache() { TS_STATUS(at::autocast::clear_cache()) }
