#include "shim.h"
#include <ATen/Parallel.h>
#include <ATen/CPUGeneratorImpl.h>
#include <ATen/detail/CUDAHooksInterface.h>
#include <torch/version.h>
#include <c10/core/GradMode.h>
#include <c10/core/impl/DeviceGuardImplInterface.h>

TS_EXPORT int ts_manual_seed(uint64_t seed) { TS_STATUS(at::manual_seed(seed)) }

TS_EXPORT int ts_set_num_threads(int n) { TS_STATUS(at::set_num_threads(n)) }
TS_EXPORT int ts_get_num_threads() { return at::get_num_threads(); }

TS_EXPORT int ts_set_grad_enabled(int enabled) { TS_STATUS(c10::GradMode::set_enabled(enabled != 0)) }
TS_EXPORT int ts_is_grad_enabled() { return c10::GradMode::is_enabled() ? 1 : 0; }

TS_EXPORT int ts_cuda_is_available() {
  TS_GUARD(0, return at::detail::getCUDAHooks().hasCUDA() ? 1 : 0;)
}
// The CUDA hooks' names changed across libtorch versions; the device-guard interface exists in all.
TS_EXPORT int ts_cuda_device_count() {
  TS_GUARD(0,
    if (!at::detail::getCUDAHooks().hasCUDA()) return 0;
    return (int)c10::impl::getDeviceGuardImpl(c10::DeviceType::CUDA)->deviceCount();)
}
TS_EXPORT int ts_cuda_manual_seed_all(uint64_t seed) {
  TS_STATUS(if (at::detail::getCUDAHooks().hasCUDA()) {
    auto n = c10::impl::getDeviceGuardImpl(c10::DeviceType::CUDA)->deviceCount();
    for (int i = 0; i < n; i++) {
#if TORCH_VERSION_MAJOR >= 2
      at::Generator gen = at::detail::getCUDAHooks().getDefaultGenerator(i);
#else
      at::Generator gen = at::detail::getCUDAHooks().getDefaultCUDAGenerator(i);
#endif
      std::lock_guard<std::mutex> lock(gen.mutex());
      gen.set_current_seed(seed);
    }
  })
}
TS_EXPORT int ts_cuda_synchronize() {
  TS_STATUS(if (at::detail::getCUDAHooks().hasCUDA()) {
    auto impl = c10::impl::getDeviceGuardImpl(c10::DeviceType::CUDA);
#if TORCH_VERSION_MAJOR >= 2
    impl->synchronizeDevice(impl->getDevice().index());
#else
    at::detail::getCUDAHooks().deviceSynchronize(impl->getDevice().index());
#endif
  })
}

// TF32 tensor cores trade precision (about 1e-3 relative) for speed in CUDA convolutions and
// matmuls; parity checks against float32 references turn them off.
TS_EXPORT int ts_set_allow_tf32(int on) {
  TS_STATUS(at::globalContext().setAllowTF32CuDNN(on != 0); at::globalContext().setAllowTF32CuBLAS(on != 0))
}

TS_EXPORT int ts_set_deterministic(int on) { TS_STATUS(at::globalContext().setDeterministicAlgorithms(on != 0, false)) }

TS_EXPORT char* ts_show_config() { TS_GUARD(nullptr, return ts_strdup(at::show_config());) }
TS_EXPORT char* ts_parallel_info() { TS_GUARD(nullptr, return ts_strdup(at::get_parallel_info());) }
TS_EXPORT char* ts_version() { return ts_strdup(TORCH_VERSION); }

// The CPU generator's state as a byte tensor, so a checkpoint can resume the exact random stream
// (dropout masks, random init) of an uninterrupted run.
TS_EXPORT TensorHandle ts_get_rng_state() {
  TS_GUARD(nullptr,
    auto gen = at::detail::getDefaultCPUGenerator();
    std::lock_guard<std::mutex> lock(gen.mutex());
    return new at::Tensor(gen.get_state());)
}
TS_EXPORT int ts_set_rng_state(TensorHandle state) {
  TS_STATUS(
    auto gen = at::detail::getDefaultCPUGenerator();
    std::lock_guard<std::mutex> lock(gen.mutex());
    gen.set_state(*state))
}
