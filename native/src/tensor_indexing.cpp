// Ops that give or take index tensors: topk (k nearest bins in ECCV16's soft encoding), scatter (sparse to
// dense) and bincount (a histogram, for its class rebalancing). One line each, marshalling only.
#include "shim.h"

TS_EXPORT TensorHandle ts_topk(TensorHandle a, int64_t k, int64_t dim, int largest, int sorted, TensorHandle* indices) {
  TS_GUARD(nullptr, auto r = at::topk(*a, k, dim, largest != 0, sorted != 0); *indices = new at::Tensor(std::get<1>(r));
           return new at::Tensor(std::get<0>(r));)
}
TS_EXPORT TensorHandle ts_scatter(TensorHandle a, int64_t dim, TensorHandle index, TensorHandle src) { TS_TENSOR(at::scatter(*a, dim, *index, *src)) }
TS_EXPORT TensorHandle ts_bincount(TensorHandle a, TensorHandle weights, int64_t minlength) {
  TS_TENSOR(at::bincount(*a, weights ? c10::optional<at::Tensor>(*weights) : c10::nullopt, minlength))
}
