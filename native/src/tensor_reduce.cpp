// Reductions; dims == nullptr with ndims == 0 reduces over everything.
#include "shim.h"

#define REDUCE(name, all_expr, dims_expr)                                                              \
  TS_EXPORT TensorHandle ts_##name(TensorHandle a, const int64_t* dims, int ndims, int keepdim) {      \
    TS_TENSOR(ndims == 0 ? (all_expr) : (dims_expr))                                                   \
  }

REDUCE(sum, at::sum(*a), at::sum(*a, ts_dims(dims, ndims), keepdim != 0))
REDUCE(mean, at::mean(*a), at::mean(*a, ts_dims(dims, ndims), keepdim != 0))
REDUCE(amax, at::amax(*a, {}, keepdim != 0), at::amax(*a, ts_dims(dims, ndims), keepdim != 0))
REDUCE(amin, at::amin(*a, {}, keepdim != 0), at::amin(*a, ts_dims(dims, ndims), keepdim != 0))
REDUCE(prod, at::prod(*a), at::prod(*a, ts_dims(dims, ndims)[0], keepdim != 0))

TS_EXPORT TensorHandle ts_var(TensorHandle a, const int64_t* dims, int ndims, int unbiased, int keepdim) {
  TS_TENSOR(ndims == 0 ? at::var(*a, unbiased != 0) : at::var(*a, ts_dims(dims, ndims), unbiased != 0, keepdim != 0))
}
TS_EXPORT TensorHandle ts_std(TensorHandle a, const int64_t* dims, int ndims, int unbiased, int keepdim) {
  TS_TENSOR(ndims == 0 ? at::std(*a, unbiased != 0) : at::std(*a, ts_dims(dims, ndims), unbiased != 0, keepdim != 0))
}
TS_EXPORT TensorHandle ts_norm(TensorHandle a, double p) { TS_TENSOR(at::norm(*a, p)) }
TS_EXPORT TensorHandle ts_max_all(TensorHandle a) { TS_TENSOR(at::max(*a)) }
TS_EXPORT TensorHandle ts_min_all(TensorHandle a) { TS_TENSOR(at::min(*a)) }

// max/min along a dim return (values, indices) through out-parameters.
TS_EXPORT int ts_max_dim(TensorHandle a, int64_t dim, int keepdim, TensorHandle* values, TensorHandle* indices) {
  TS_STATUS(auto r = at::max(*a, dim, keepdim != 0); *values = new at::Tensor(std::get<0>(r));
            *indices = new at::Tensor(std::get<1>(r)))
}
TS_EXPORT int ts_min_dim(TensorHandle a, int64_t dim, int keepdim, TensorHandle* values, TensorHandle* indices) {
  TS_STATUS(auto r = at::min(*a, dim, keepdim != 0); *values = new at::Tensor(std::get<0>(r));
            *indices = new at::Tensor(std::get<1>(r)))
}
TS_EXPORT TensorHandle ts_argmax(TensorHandle a, int64_t dim, int has_dim, int keepdim) {
  TS_TENSOR(at::argmax(*a, has_dim ? c10::optional<int64_t>(dim) : c10::nullopt, keepdim != 0))
}
TS_EXPORT TensorHandle ts_argmin(TensorHandle a, int64_t dim, int has_dim, int keepdim) {
  TS_TENSOR(at::argmin(*a, has_dim ? c10::optional<int64_t>(dim) : c10::nullopt, keepdim != 0))
}
TS_EXPORT TensorHandle ts_cumsum(TensorHandle a, int64_t dim) { TS_TENSOR(at::cumsum(*a, dim)) }
TS_EXPORT TensorHandle ts_sort(TensorHandle a, int64_t dim, int descending, TensorHandle* indices) {
  TS_GUARD(nullptr, auto r = at::sort(*a, dim, descending != 0); *indices = new at::Tensor(std::get<1>(r));
           return new at::Tensor(std::get<0>(r));)
}
