// Autograd: requires_grad, backward, grad access.
#include "shim.h"
#include <torch/csrc/autograd/autograd.h>

TS_EXPORT int ts_requires_grad(TensorHandle a) { return a->requires_grad() ? 1 : 0; }
TS_EXPORT int ts_set_requires_grad(TensorHandle a, int on) { TS_STATUS(a->requires_grad_(on != 0)) }
TS_EXPORT int ts_is_leaf(TensorHandle a) { return a->is_leaf() ? 1 : 0; }

// gradient may be nullptr for a scalar output.
TS_EXPORT int ts_backward(TensorHandle a, TensorHandle gradient, int retain_graph, int create_graph) {
  TS_STATUS(a->backward(gradient ? *gradient : at::Tensor(), retain_graph != 0 ? c10::optional<bool>(true) : c10::nullopt,
                        create_graph != 0))
}
// Returns nullptr without an error when no gradient has been accumulated.
TS_EXPORT TensorHandle ts_grad(TensorHandle a) {
  TS_GUARD(nullptr, const auto& g = a->grad(); if (!g.defined()) return nullptr; return new at::Tensor(g);)
}
// Drops the gradient (as optimizer.zero_grad(set_to_none=True)).
TS_EXPORT int ts_grad_set_none(TensorHandle a) { TS_STATUS(a->mutable_grad().reset()) }
TS_EXPORT int ts_set_grad(TensorHandle a, TensorHandle g) { TS_STATUS(a->mutable_grad() = g ? *g : at::Tensor()) }
TS_EXPORT TensorHandle ts_detach(TensorHandle a) { TS_TENSOR(a->detach()) }
TS_EXPORT int ts_detach_(TensorHandle a) { TS_STATUS(a->detach_()) }
