#include "shim.h"
#include <ATen/Parallel.h>
#include <ATen/CPUGeneratorImpl.h>
#include <ATen/detail/CUDAHooksInterface.h>
#include <torch/version.h>

TS_EXPORT int ts_manual_seed(uint64_t seed) { TS_STATUS(at::manual_seed(seed)) }

TS_EXPORT int ts_set_num_threads(int n) { TS_STATUS(at::set_num_threads(n)) }
TS_EXPORT int ts_get_num_threads() { return at::get_num_threads(); }

TS_EXPORT int ts_set_grad_enabled(int enabled) { TS_STATUS(at::GradMode::set_enabled(enabled != 0)) }
TS_EXPORT int ts_is_grad_enabled() { return at::GradMode::is_enabled() ? 1 : 0; }

TS_EXPORT int ts_cuda_is_available() {
  TS_GUARD(0, return at::detail::getCUDAHooks().hasCUDA() ? 1 : 0;)
}
TS_EXPORT int ts_cuda_device_count() {
  TS_GUARD(0, return at::detail::getCUDAHooks().getNumGPUs();)
}
TS_EXPORT int ts_cuda_manual_seed_all(uint64_t seed) {
  TS_STATUS(if (at::detail::getCUDAHooks().hasCUDA()) {
    auto n = at::detail::getCUDAHooks().getNumGPUs();
    for (int i = 0; i < n; i++) {
      at::Generator gen = at::detail::getCUDAHooks().getDefaultCUDAGenerator(i);
      std::lock_guard<std::mutex> lock(gen.mutex());
      gen.set_current_seed(seed);
    }
  })
}
TS_EXPORT int ts_cuda_synchronize() {
  TS_STATUS(if (at::detail::getCUDAHooks().hasCUDA()) at::detail::getCUDAHooks().deviceSynchronize(at::detail::getCUDAHooks().current_device()))
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
