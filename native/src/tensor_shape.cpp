// Views and reshaping.
#include "shim.h"

TS_EXPORT TensorHandle ts_view(TensorHandle a, const int64_t* shape, int n) { TS_TENSOR(a->view(ts_dims(shape, n))) }
TS_EXPORT TensorHandle ts_reshape(TensorHandle a, const int64_t* shape, int n) { TS_TENSOR(a->reshape(ts_dims(shape, n))) }
TS_EXPORT TensorHandle ts_permute(TensorHandle a, const int64_t* dims, int n) { TS_TENSOR(a->permute(ts_dims(dims, n))) }
TS_EXPORT TensorHandle ts_transpose(TensorHandle a, int64_t d0, int64_t d1) { TS_TENSOR(a->transpose(d0, d1)) }
TS_EXPORT TensorHandle ts_expand(TensorHandle a, const int64_t* shape, int n) { TS_TENSOR(a->expand(ts_dims(shape, n))) }
TS_EXPORT TensorHandle ts_repeat(TensorHandle a, const int64_t* reps, int n) { TS_TENSOR(a->repeat(ts_dims(reps, n))) }
TS_EXPORT TensorHandle ts_flip(TensorHandle a, const int64_t* dims, int n) { TS_TENSOR(a->flip(ts_dims(dims, n))) }
TS_EXPORT TensorHandle ts_narrow(TensorHandle a, int64_t dim, int64_t start, int64_t length) { TS_TENSOR(a->narrow(dim, start, length)) }
TS_EXPORT TensorHandle ts_slice(TensorHandle a, int64_t dim, int64_t start, int64_t end, int64_t step) {
  TS_TENSOR(a->slice(dim, start, end, step))
}
TS_EXPORT TensorHandle ts_select(TensorHandle a, int64_t dim, int64_t index) { TS_TENSOR(a->select(dim, index)) }
TS_EXPORT TensorHandle ts_index_select(TensorHandle a, int64_t dim, TensorHandle index) { TS_TENSOR(a->index_select(dim, *index)) }
TS_EXPORT TensorHandle ts_masked_select(TensorHandle a, TensorHandle mask) { TS_TENSOR(a->masked_select(*mask)) }
TS_EXPORT TensorHandle ts_gather(TensorHandle a, int64_t dim, TensorHandle index) { TS_TENSOR(a->gather(dim, *index)) }
TS_EXPORT TensorHandle ts_squeeze(TensorHandle a) { TS_TENSOR(a->squeeze()) }
TS_EXPORT TensorHandle ts_squeeze_dim(TensorHandle a, int64_t dim) { TS_TENSOR(a->squeeze(dim)) }
TS_EXPORT TensorHandle ts_unsqueeze(TensorHandle a, int64_t dim) { TS_TENSOR(a->unsqueeze(dim)) }
TS_EXPORT TensorHandle ts_flatten(TensorHandle a, int64_t start, int64_t end) { TS_TENSOR(a->flatten(start, end)) }
TS_EXPORT TensorHandle ts_cat(const TensorHandle* ts, int n, int64_t dim) { TS_TENSOR(at::cat(ts_list(ts, n), dim)) }
TS_EXPORT TensorHandle ts_stack(const TensorHandle* ts, int n, int64_t dim) { TS_TENSOR(at::stack(ts_list(ts, n), dim)) }
TS_EXPORT TensorHandle ts_pad(TensorHandle a, const int64_t* pad, int n, int mode, double value) {
  // mode: 0 constant, 1 reflect, 2 replicate (as torch.nn.functional.pad)
  TS_GUARD(nullptr,
    auto p = ts_dims(pad, n);
    if (mode == 0) return new at::Tensor(at::constant_pad_nd(*a, p, value));
    if (mode == 1) {
      TORCH_CHECK(n == 4 && a->dim() == 4, "reflect padding supports 4-d input with 4 pad values");
      return new at::Tensor(at::reflection_pad2d(*a, p));
    }
    TORCH_CHECK(n == 4 && a->dim() == 4, "replicate padding supports 4-d input with 4 pad values");
    return new at::Tensor(at::replication_pad2d(*a, p));)
}
