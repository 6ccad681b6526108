// The flat C ABI the C# layer binds to. Tensors cross the boundary as opaque
// heap-allocated at::Tensor handles; every entry point converts C++ exceptions
// into a thread-local message that C# turns into a TorchException.
#pragma once
#include <ATen/ATen.h>
#include <cstdint>
#include <string>

#define TS_EXPORT extern "C" __attribute__((visibility("default")))

typedef at::Tensor* TensorHandle;

void ts_set_error(const char* message);

// Run `body` and return its value, or `fallback` after recording the error.
#define TS_GUARD(fallback, ...)                                                \
  try {                                                                        \
    __VA_ARGS__                                                                \
  } catch (const c10::Error& e) {                                              \
    ts_set_error(e.what_without_backtrace());                                  \
  } catch (const std::exception& e) {                                          \
    ts_set_error(e.what());                                                    \
  } catch (...) {                                                              \
    ts_set_error("unknown native exception");                                  \
  }                                                                            \
  return fallback;

// Wrap a tensor-valued expression as a new handle (nullptr on error).
#define TS_TENSOR(expr) TS_GUARD(nullptr, return new at::Tensor(expr);)
// Run a statement; 0 on success, -1 on error.
#define TS_STATUS(stmt) TS_GUARD(-1, stmt; return 0;)

inline at::IntArrayRef ts_dims(const int64_t* dims, int n) { return at::IntArrayRef(dims, (size_t)n); }

inline at::Scalar ts_scalar(double value, int is_integral) {
  return is_integral ? at::Scalar((int64_t)value) : at::Scalar(value);
}

inline at::TensorOptions ts_options(int dtype, int device_type, int device_index, bool requires_grad = false) {
  return at::TensorOptions()
      .dtype((at::ScalarType)dtype)
      .device(at::Device((at::DeviceType)device_type, (c10::DeviceIndex)device_index))
      .requires_grad(requires_grad);
}

inline std::vector<at::Tensor> ts_list(const TensorHandle* tensors, int n) {
  std::vector<at::Tensor> out;
  out.reserve(n);
  for (int i = 0; i < n; i++) out.push_back(*tensors[i]);
  return out;
}

char* ts_strdup(const std::string& s);
