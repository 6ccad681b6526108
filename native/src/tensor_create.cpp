// Creation, lifetime and element access.
#include "shim.h"
#include <cstring>

TS_EXPORT void ts_free(TensorHandle t) { delete t; }

TS_EXPORT TensorHandle ts_empty(const int64_t* shape, int ndim, int dtype, int dev, int idx, int rg) {
  TS_TENSOR(at::empty(ts_dims(shape, ndim), ts_options(dtype, dev, idx, rg)))
}
TS_EXPORT TensorHandle ts_zeros(const int64_t* shape, int ndim, int dtype, int dev, int idx, int rg) {
  TS_TENSOR(at::zeros(ts_dims(shape, ndim), ts_options(dtype, dev, idx, rg)))
}
TS_EXPORT TensorHandle ts_ones(const int64_t* shape, int ndim, int dtype, int dev, int idx, int rg) {
  TS_TENSOR(at::ones(ts_dims(shape, ndim), ts_options(dtype, dev, idx, rg)))
}
TS_EXPORT TensorHandle ts_full(const int64_t* shape, int ndim, double value, int is_int, int dtype, int dev, int idx, int rg) {
  TS_TENSOR(at::full(ts_dims(shape, ndim), ts_scalar(value, is_int), ts_options(dtype, dev, idx, rg)))
}
TS_EXPORT TensorHandle ts_rand(const int64_t* shape, int ndim, int dtype, int dev, int idx, int rg) {
  TS_TENSOR(at::rand(ts_dims(shape, ndim), ts_options(dtype, dev, idx, rg)))
}
TS_EXPORT TensorHandle ts_randn(const int64_t* shape, int ndim, int dtype, int dev, int idx, int rg) {
  TS_TENSOR(at::randn(ts_dims(shape, ndim), ts_options(dtype, dev, idx, rg)))
}
TS_EXPORT TensorHandle ts_randint(int64_t low, int64_t high, const int64_t* shape, int ndim, int dtype, int dev, int idx) {
  TS_TENSOR(at::randint(low, high, ts_dims(shape, ndim), ts_options(dtype, dev, idx)))
}
TS_EXPORT TensorHandle ts_randperm(int64_t n, int dtype, int dev, int idx) {
  TS_TENSOR(at::randperm(n, ts_options(dtype, dev, idx)))
}
TS_EXPORT TensorHandle ts_arange(double start, double end, double step, int dtype, int dev, int idx, int rg) {
  TS_TENSOR(at::arange(start, end, step, ts_options(dtype, dev, idx, rg)))
}
TS_EXPORT TensorHandle ts_linspace(double start, double end, int64_t steps, int dtype, int dev, int idx) {
  TS_TENSOR(at::linspace(start, end, steps, ts_options(dtype, dev, idx)))
}
TS_EXPORT TensorHandle ts_eye(int64_t n, int dtype, int dev, int idx) {
  TS_TENSOR(at::eye(n, ts_options(dtype, dev, idx)))
}
TS_EXPORT TensorHandle ts_zeros_like(TensorHandle t) { TS_TENSOR(at::zeros_like(*t)) }
TS_EXPORT TensorHandle ts_ones_like(TensorHandle t) { TS_TENSOR(at::ones_like(*t)) }
TS_EXPORT TensorHandle ts_empty_like(TensorHandle t) { TS_TENSOR(at::empty_like(*t)) }
TS_EXPORT TensorHandle ts_rand_like(TensorHandle t) { TS_TENSOR(at::rand_like(*t)) }
TS_EXPORT TensorHandle ts_randn_like(TensorHandle t) { TS_TENSOR(at::randn_like(*t)) }
TS_EXPORT TensorHandle ts_full_like(TensorHandle t, double value, int is_int) { TS_TENSOR(at::full_like(*t, ts_scalar(value, is_int))) }

// Copies `nbytes` from host memory into a new CPU tensor of the given shape and dtype.
TS_EXPORT TensorHandle ts_from_data(const void* data, int64_t nbytes, const int64_t* shape, int ndim, int dtype) {
  TS_GUARD(nullptr,
    auto t = at::empty(ts_dims(shape, ndim), at::TensorOptions().dtype((at::ScalarType)dtype));
    int64_t expected = t.numel() * (int64_t)t.element_size();
    TORCH_CHECK(expected == nbytes, "tensor of shape ", t.sizes(), " and dtype ", t.scalar_type(),
                " needs ", expected, " bytes but ", nbytes, " were given");
    if (nbytes > 0) std::memcpy(t.data_ptr(), data, (size_t)nbytes);
    return new at::Tensor(t);)
}

// Copies the tensor's elements (any device, any layout) into host memory, converting to `dtype`.
TS_EXPORT int ts_copy_to(TensorHandle t, void* dst, int64_t nbytes, int dtype) {
  TS_STATUS(
    auto src = t->detach().to(at::kCPU, (at::ScalarType)dtype).contiguous();
    int64_t have = src.numel() * (int64_t)src.element_size();
    TORCH_CHECK(have == nbytes, "destination holds ", nbytes, " bytes but the tensor of shape ", t->sizes(),
                " needs ", have);
    if (nbytes > 0) std::memcpy(dst, src.data_ptr(), (size_t)nbytes))
}

// Pointer to the storage of a contiguous CPU tensor (for zero-copy spans); nullptr otherwise.
TS_EXPORT void* ts_data_ptr(TensorHandle t) {
  TS_GUARD(nullptr,
    TORCH_CHECK(t->device().is_cpu(), "data_ptr spans need a CPU tensor; call .cpu() first");
    TORCH_CHECK(t->is_contiguous(), "data_ptr spans need a contiguous tensor; call .contiguous() first");
    return t->data_ptr();)
}

TS_EXPORT double ts_item_double(TensorHandle t) { TS_GUARD(0.0, return t->item<double>();) }
TS_EXPORT int64_t ts_item_long(TensorHandle t) { TS_GUARD(0, return t->item<int64_t>();) }

TS_EXPORT int ts_dim(TensorHandle t) { return (int)t->dim(); }
TS_EXPORT int ts_sizes(TensorHandle t, int64_t* out, int cap) {
  auto s = t->sizes();
  for (int i = 0; i < (int)s.size() && i < cap; i++) out[i] = s[i];
  return (int)s.size();
}
TS_EXPORT int ts_strides(TensorHandle t, int64_t* out, int cap) {
  auto s = t->strides();
  for (int i = 0; i < (int)s.size() && i < cap; i++) out[i] = s[i];
  return (int)s.size();
}
TS_EXPORT int64_t ts_numel(TensorHandle t) { return t->numel(); }
TS_EXPORT int ts_dtype(TensorHandle t) { return (int)t->scalar_type(); }
TS_EXPORT int ts_device_type(TensorHandle t) { return (int)t->device().type(); }
TS_EXPORT int ts_device_index(TensorHandle t) { return (int)t->device().index(); }
TS_EXPORT int ts_is_contiguous(TensorHandle t) { return t->is_contiguous() ? 1 : 0; }
// memory_format: c10::MemoryFormat's values (0 contiguous, 1 preserve, 2 channels_last, 3 channels_last_3d).
TS_EXPORT int ts_is_contiguous_format(TensorHandle t, int memory_format) {
  return t->is_contiguous((c10::MemoryFormat)memory_format) ? 1 : 0;
}
TS_EXPORT int ts_defined(TensorHandle t) { return t->defined() ? 1 : 0; }
TS_EXPORT char* ts_to_string(TensorHandle t) { TS_GUARD(nullptr, std::ostringstream os; os << *t; return ts_strdup(os.str());) }

TS_EXPORT TensorHandle ts_to(TensorHandle t, int dtype, int dev, int idx, int non_blocking, int copy) {
  TS_TENSOR(t->to(at::Device((at::DeviceType)dev, (c10::DeviceIndex)idx), (at::ScalarType)dtype, non_blocking != 0, copy != 0))
}
TS_EXPORT TensorHandle ts_clone(TensorHandle t) { TS_TENSOR(t->clone()) }
TS_EXPORT TensorHandle ts_contiguous(TensorHandle t) { TS_TENSOR(t->contiguous()) }
TS_EXPORT TensorHandle ts_contiguous_format(TensorHandle t, int memory_format) { TS_TENSOR(t->contiguous((c10::MemoryFormat)memory_format)) }
TS_EXPORT TensorHandle ts_alias(TensorHandle t) { TS_TENSOR(*t) }
TS_EXPORT int ts_copy_(TensorHandle t, TensorHandle src) { TS_STATUS(t->copy_(*src)) }
