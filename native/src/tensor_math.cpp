// Elementwise arithmetic, comparison and math; "_" suffixes are in place, as in PyTorch.
#include "shim.h"

#define UNARY(name, expr) \
  TS_EXPORT TensorHandle ts_##name(TensorHandle a) { TS_TENSOR(expr) }
#define UNARY_(name, stmt) \
  TS_EXPORT int ts_##name(TensorHandle a) { TS_STATUS(stmt) }
#define BINARY(name, expr) \
  TS_EXPORT TensorHandle ts_##name(TensorHandle a, TensorHandle b) { TS_TENSOR(expr) }
#define BINARY_(name, stmt) \
  TS_EXPORT int ts_##name(TensorHandle a, TensorHandle b) { TS_STATUS(stmt) }
#define SCALAR(name, expr) \
  TS_EXPORT TensorHandle ts_##name(TensorHandle a, double v, int is_int) { auto s = ts_scalar(v, is_int); TS_TENSOR(expr) }
#define SCALAR_(name, stmt) \
  TS_EXPORT int ts_##name(TensorHandle a, double v, int is_int) { auto s = ts_scalar(v, is_int); TS_STATUS(stmt) }

// alpha as an integral Scalar when the caller's is (PyTorch's default 1 is): integer tensors refuse a floating alpha.
TS_EXPORT TensorHandle ts_add(TensorHandle a, TensorHandle b, double alpha, int is_int) { auto s = ts_scalar(alpha, is_int); TS_TENSOR(at::add(*a, *b, s)) }
TS_EXPORT int ts_add_(TensorHandle a, TensorHandle b, double alpha, int is_int) { auto s = ts_scalar(alpha, is_int); TS_STATUS(a->add_(*b, s)) }
TS_EXPORT TensorHandle ts_sub(TensorHandle a, TensorHandle b, double alpha, int is_int) { auto s = ts_scalar(alpha, is_int); TS_TENSOR(at::sub(*a, *b, s)) }
TS_EXPORT int ts_sub_(TensorHandle a, TensorHandle b, double alpha, int is_int) { auto s = ts_scalar(alpha, is_int); TS_STATUS(a->sub_(*b, s)) }
BINARY(mul, at::mul(*a, *b))
BINARY_(mul_, a->mul_(*b))
BINARY(div, at::div(*a, *b))
BINARY_(div_, a->div_(*b))
BINARY(pow, at::pow(*a, *b))
BINARY(maximum, at::maximum(*a, *b))
BINARY(minimum, at::minimum(*a, *b))
BINARY(matmul, at::matmul(*a, *b))
BINARY(eq, at::eq(*a, *b))
BINARY(ne, at::ne(*a, *b))
BINARY(lt, at::lt(*a, *b))
BINARY(le, at::le(*a, *b))
BINARY(gt, at::gt(*a, *b))
BINARY(ge, at::ge(*a, *b))
BINARY(logical_and, at::logical_and(*a, *b))
BINARY(logical_or, at::logical_or(*a, *b))

SCALAR(add_scalar, at::add(*a, s))
SCALAR_(add_scalar_, a->add_(s))
SCALAR(sub_scalar, at::sub(*a, s))
SCALAR_(sub_scalar_, a->sub_(s))
SCALAR(rsub_scalar, at::rsub(*a, s))
SCALAR(mul_scalar, at::mul(*a, s))
SCALAR_(mul_scalar_, a->mul_(s))
SCALAR(div_scalar, at::div(*a, s))
SCALAR_(div_scalar_, a->div_(s))
SCALAR(rdiv_scalar, at::reciprocal(*a).mul_(s))
SCALAR(pow_scalar, at::pow(*a, s))
SCALAR_(pow_scalar_, a->pow_(s))
SCALAR(rpow_scalar, at::pow(s, *a))
SCALAR(eq_scalar, at::eq(*a, s))
SCALAR(ne_scalar, at::ne(*a, s))
SCALAR(lt_scalar, at::lt(*a, s))
SCALAR(le_scalar, at::le(*a, s))
SCALAR(gt_scalar, at::gt(*a, s))
SCALAR(ge_scalar, at::ge(*a, s))
SCALAR_(fill_, a->fill_(s))

UNARY(neg, at::neg(*a))
UNARY_(neg_, a->neg_())
UNARY(abs, at::abs(*a))
UNARY_(abs_, a->abs_())
UNARY(exp, at::exp(*a))
UNARY_(exp_, a->exp_())
UNARY(log, at::log(*a))
UNARY_(log_, a->log_())
UNARY(log10, at::log10(*a))
UNARY(sqrt, at::sqrt(*a))
UNARY_(sqrt_, a->sqrt_())
UNARY(rsqrt, at::rsqrt(*a))
UNARY(sin, at::sin(*a))
UNARY(cos, at::cos(*a))
UNARY(floor, at::floor(*a))
UNARY(ceil, at::ceil(*a))
UNARY(round, at::round(*a))
UNARY(sign, at::sign(*a))
UNARY(reciprocal, at::reciprocal(*a))
UNARY(tanh, at::tanh(*a))
UNARY_(tanh_, a->tanh_())
UNARY(sigmoid, at::sigmoid(*a))
UNARY_(sigmoid_, a->sigmoid_())
UNARY(relu, at::relu(*a))
UNARY_(relu_, a->relu_())
UNARY(logical_not, at::logical_not(*a))
UNARY(isnan, at::isnan(*a))
UNARY(isfinite, at::isfinite(*a))
UNARY_(zero_, a->zero_())

// Clamp with optional bounds: has_min/has_max select which of min/max apply.
TS_EXPORT TensorHandle ts_clamp(TensorHandle a, int has_min, double min, int has_max, double max) {
  TS_TENSOR(at::clamp(*a, has_min ? c10::optional<at::Scalar>(min) : c10::nullopt,
                      has_max ? c10::optional<at::Scalar>(max) : c10::nullopt))
}
TS_EXPORT int ts_clamp_(TensorHandle a, int has_min, double min, int has_max, double max) {
  TS_STATUS(a->clamp_(has_min ? c10::optional<at::Scalar>(min) : c10::nullopt,
                      has_max ? c10::optional<at::Scalar>(max) : c10::nullopt))
}
TS_EXPORT TensorHandle ts_where(TensorHandle cond, TensorHandle a, TensorHandle b) { TS_TENSOR(at::where(*cond, *a, *b)) }
TS_EXPORT TensorHandle ts_addcmul(TensorHandle a, TensorHandle b, TensorHandle c, double value) { TS_TENSOR(at::addcmul(*a, *b, *c, value)) }
TS_EXPORT int ts_addcmul_(TensorHandle a, TensorHandle b, TensorHandle c, double value) { TS_STATUS(a->addcmul_(*b, *c, value)) }
TS_EXPORT TensorHandle ts_addcdiv(TensorHandle a, TensorHandle b, TensorHandle c, double value) { TS_TENSOR(at::addcdiv(*a, *b, *c, value)) }
TS_EXPORT int ts_addcdiv_(TensorHandle a, TensorHandle b, TensorHandle c, double value) { TS_STATUS(a->addcdiv_(*b, *c, value)) }
TS_EXPORT int ts_lerp_(TensorHandle a, TensorHandle end, double weight) { TS_STATUS(a->lerp_(*end, weight)) }
// Random fills used by nn.init; they draw from the global generator, so manual_seed repeats them.
TS_EXPORT int ts_uniform_(TensorHandle a, double from, double to) { TS_STATUS(a->uniform_(from, to)) }
TS_EXPORT int ts_normal_(TensorHandle a, double mean, double std) { TS_STATUS(a->normal_(mean, std)) }
TS_EXPORT int ts_bernoulli_(TensorHandle a, double p) { TS_STATUS(a->bernoulli_(p)) }
