// Fused Adam and SGD: one call per optimizer step for all parameters, one pass over memory per parameter.
// PyTorch 1.13's single-tensor Adam makes six passes (mul_, add_, mul_, addcmul_, sqrt/div/add_, addcdiv_), and
// on a CPU with little memory bandwidth the step is bound by those passes, not by arithmetic. The per-element
// arithmetic below repeats ATen's CPU kernels operation for operation, scalars cast to float as they do, and
// fuses a multiply-add exactly where Debian's ATen build does: add with alpha is fmadd(b, alpha, a), and addcmul's
// self + value·t1·t2 is contracted by GCC into fma(value·t1, t2, self). The file is compiled with
// -ffp-contract=off so nothing else is fused; the result is bit-identical to the per-op path (FusedOptimizerTests).
// Parameters that are not contiguous float32 CPU tensors (CUDA, float64, strided) take PyTorch 1.13's foreach
// sequence (_multi_tensor_adam / _multi_tensor_sgd): the same ATen ops as the single-tensor path, but each over all
// those parameters at once, so that on CUDA a step is a few multi-tensor kernel launches instead of six per
// parameter. On the CPU ATen runs the foreach ops tensor by tensor, with the same values.
#include "shim.h"
#include <ATen/Parallel.h>
#include <cmath>
#include <vector>

namespace {

constexpr int64_t kGrain = 1 << 15;

struct AdamScalars {
  float beta1, one_minus_beta1, beta2, one_minus_beta2, weight_decay, bias_correction2_sqrt, eps, neg_step_size;
};

// The loop bodies are inlined into one copy per instruction set, chosen at run time by CPU features (not by CPU
// model, which is what target_clones("arch=…") tests, and which a Zen 5 matches none of).
#define TS_BODY __attribute__((always_inline)) inline
#define TS_AVX512 __attribute__((target("avx512f,avx512dq,avx512vl,avx2,fma")))
#define TS_AVX2 __attribute__((target("avx2,fma")))

int isa() {
  static const int level = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") &&
                                   __builtin_cpu_supports("avx512vl") ? 2
                           : __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") ? 1 : 0;
  return level;
}

// The settings are template arguments so that each loop body is branch-free and GCC vectorizes it.
template <bool kWeightDecay, bool kAmsgrad>
TS_BODY void adam_span(float* __restrict p, const float* __restrict g, float* __restrict m, float* __restrict v,
                         float* __restrict vmax, int64_t n, AdamScalars s) {
  for (int64_t i = 0; i < n; i++) {
    float gi = kWeightDecay ? std::fma(p[i], s.weight_decay, g[i]) : g[i];          // grad.add(param, alpha=wd)
    float mi = std::fma(gi, s.one_minus_beta1, m[i] * s.beta1);                     // mul_(b1).add_(g, 1-b1)
    float vi = std::fma(s.one_minus_beta2 * gi, gi, v[i] * s.beta2);                // mul_(b2).addcmul_(g, g, 1-b2)
    m[i] = mi;
    v[i] = vi;
    if (kAmsgrad) {
      const float old = vmax[i];
      vi = vmax[i] = (old != old || old > vi) ? old : vi;                            // maximum: NaN propagates
    }
    const float denom = std::sqrt(vi) / s.bias_correction2_sqrt + s.eps;            // (sqrt / bc2).add_(eps)
    p[i] = p[i] + s.neg_step_size * mi / denom;                                      // addcdiv_(m, denom, -step)
  }
}

TS_BODY void sgd_span(float* __restrict p, const float* __restrict g, float* __restrict buf, int64_t n, float lr_neg,
                        float momentum, float one_minus_dampening, float weight_decay, bool first, bool nesterov) {
  for (int64_t i = 0; i < n; i++) {
    float d = weight_decay != 0.f ? std::fma(p[i], weight_decay, g[i]) : g[i];
    if (buf) {
      float b = first ? d : std::fma(d, one_minus_dampening, buf[i] * momentum);
      buf[i] = b;
      d = nesterov ? std::fma(b, momentum, d) : b;
    }
    p[i] = std::fma(d, lr_neg, p[i]);                                                  // param.add_(d, alpha=-lr)
  }
}

#define TS_ADAM_ARGS float *p, const float *g, float *m, float *v, float *x, int64_t n, AdamScalars s
template <bool W, bool A> TS_AVX512 void adam_avx512(TS_ADAM_ARGS) { adam_span<W, A>(p, g, m, v, x, n, s); }
template <bool W, bool A> TS_AVX2 void adam_avx2(TS_ADAM_ARGS) { adam_span<W, A>(p, g, m, v, x, n, s); }
template <bool W, bool A> void adam_base(TS_ADAM_ARGS) { adam_span<W, A>(p, g, m, v, x, n, s); }
template <bool W, bool A> void adam_best(TS_ADAM_ARGS) {
  const int level = isa();
  if (level == 2) adam_avx512<W, A>(p, g, m, v, x, n, s);
  else if (level == 1) adam_avx2<W, A>(p, g, m, v, x, n, s);
  else adam_base<W, A>(p, g, m, v, x, n, s);
}

#define TS_SGD_ARGS float *p, const float *g, float *b, int64_t n, float lr, float mo, float omd, float wd, bool first, bool nes
TS_AVX512 void sgd_avx512(TS_SGD_ARGS) { sgd_span(p, g, b, n, lr, mo, omd, wd, first, nes); }
TS_AVX2 void sgd_avx2(TS_SGD_ARGS) { sgd_span(p, g, b, n, lr, mo, omd, wd, first, nes); }
void sgd_base(TS_SGD_ARGS) { sgd_span(p, g, b, n, lr, mo, omd, wd, first, nes); }
void sgd_best(TS_SGD_ARGS) {
  const int level = isa();
  if (level == 2) sgd_avx512(p, g, b, n, lr, mo, omd, wd, first, nes);
  else if (level == 1) sgd_avx2(p, g, b, n, lr, mo, omd, wd, first, nes);
  else sgd_base(p, g, b, n, lr, mo, omd, wd, first, nes);
}

bool fusable(const at::Tensor& t) { return t.device().is_cpu() && t.scalar_type() == at::kFloat && t.is_contiguous(); }

template <typename F>
void over_span(int64_t n, F f) {
  at::parallel_for(0, n, kGrain, [&](int64_t begin, int64_t end) { f(begin, end - begin); });
}

// PyTorch 1.13's _multi_tensor_adam (not capturable) over the parameters the fused loop cannot take.
struct ForeachAdam {
  std::vector<at::Tensor> params, grads, exp_avgs, exp_avg_sqs, max_exp_avg_sqs;
  std::vector<at::Scalar> bias_correction2_sqrt, neg_step_size;

  void step(double beta1, double beta2, double eps, double weight_decay) {
    const std::vector<at::Tensor> g = weight_decay != 0 ? at::_foreach_add(grads, params, weight_decay) : grads;
    at::_foreach_mul_(exp_avgs, beta1);
    at::_foreach_add_(exp_avgs, g, 1 - beta1);
    at::_foreach_mul_(exp_avg_sqs, beta2);
    at::_foreach_addcmul_(exp_avg_sqs, g, g, 1 - beta2);
    std::vector<at::Tensor> denom;
    if (!max_exp_avg_sqs.empty()) {
      at::_foreach_maximum_(max_exp_avg_sqs, exp_avg_sqs);
      denom = at::_foreach_sqrt(max_exp_avg_sqs);
    } else {
      denom = at::_foreach_sqrt(exp_avg_sqs);
    }
    at::_foreach_div_(denom, bias_correction2_sqrt);
    at::_foreach_add_(denom, eps);
    at::_foreach_addcdiv_(params, exp_avgs, denom, neg_step_size);
  }
};

}  // namespace

// max_exp_avg_sqs is null without amsgrad; steps[i] is parameter i's step count after this step.
TS_EXPORT int ts_adam_step_(const TensorHandle* params, const TensorHandle* grads, const TensorHandle* exp_avgs,
                            const TensorHandle* exp_avg_sqs, const TensorHandle* max_exp_avg_sqs, int n,
                            const int64_t* steps, double lr, double beta1, double beta2, double eps, double weight_decay) {
  TS_GUARD(-1,
    at::NoGradGuard no_grad;
    ForeachAdam rest;
    for (int i = 0; i < n; i++) {
      at::Tensor& p = *params[i];
      const at::Tensor& g = *grads[i];
      at::Tensor& m = *exp_avgs[i];
      at::Tensor& v = *exp_avg_sqs[i];
      at::Tensor* vmax = max_exp_avg_sqs ? max_exp_avg_sqs[i] : nullptr;
      const double step = (double)steps[i];
      const double bias_correction1 = 1 - std::pow(beta1, step);
      const double step_size = lr / bias_correction1;
      const double bias_correction2_sqrt = std::sqrt(1 - std::pow(beta2, step));
      const bool same = g.sizes() == p.sizes() && m.sizes() == p.sizes() && v.sizes() == p.sizes();
      if (same && fusable(p) && fusable(g) && fusable(m) && fusable(v) && (!vmax || fusable(*vmax))) {
        AdamScalars s{(float)beta1, (float)(1 - beta1), (float)beta2, (float)(1 - beta2), (float)weight_decay,
                      (float)bias_correction2_sqrt, (float)eps, (float)(-step_size)};
        float *pp = p.data_ptr<float>(), *mp = m.data_ptr<float>(), *vp = v.data_ptr<float>();
        const float* gp = g.data_ptr<float>();
        float* xp = vmax ? vmax->data_ptr<float>() : nullptr;
        over_span(p.numel(), [&](int64_t at, int64_t len) {
          float *P = pp + at, *M = mp + at, *V = vp + at, *X = xp ? xp + at : nullptr;
          const float* G = gp + at;
          if (s.weight_decay != 0.f) {
            if (X) adam_best<true, true>(P, G, M, V, X, len, s); else adam_best<true, false>(P, G, M, V, X, len, s);
          } else {
            if (X) adam_best<false, true>(P, G, M, V, X, len, s); else adam_best<false, false>(P, G, M, V, X, len, s);
          }
        });
        // In-place writes through raw pointers: bump the version counters as add_ would, so that autograd still
        // refuses a backward through a graph that saved these tensors.
        for (at::Tensor* t : {&p, &m, &v, vmax}) if (t) t->unsafeGetTensorImpl()->bump_version();
        continue;
      }
      rest.params.push_back(p);
      rest.grads.push_back(g);
      rest.exp_avgs.push_back(m);
      rest.exp_avg_sqs.push_back(v);
      if (vmax) rest.max_exp_avg_sqs.push_back(*vmax);
      rest.bias_correction2_sqrt.emplace_back(bias_correction2_sqrt);
      rest.neg_step_size.emplace_back(-step_size);
    }
    if (!rest.params.empty()) rest.step(beta1, beta2, eps, weight_decay);
    return 0;)
}

// momentum_buffers is null without momentum; first[i] != 0 when buffer i is seeded with this gradient.
TS_EXPORT int ts_sgd_step_(const TensorHandle* params, const TensorHandle* grads, const TensorHandle* momentum_buffers,
                           const int* first, int n, double lr, double momentum, double dampening, double weight_decay,
                           int nesterov) {
  TS_GUARD(-1,
    at::NoGradGuard no_grad;
    std::vector<at::Tensor> rest_params, rest_grads, rest_bufs, rest_seeded;
    std::vector<int64_t> rest_bufs_at, rest_seeded_at;
    for (int i = 0; i < n; i++) {
      at::Tensor& p = *params[i];
      const at::Tensor& g = *grads[i];
      at::Tensor* buf = momentum_buffers ? momentum_buffers[i] : nullptr;
      const bool seed = buf && first[i];
      if (g.sizes() == p.sizes() && fusable(p) && fusable(g) && (!buf || fusable(*buf))) {
        float *pp = p.data_ptr<float>(), *bp = buf ? buf->data_ptr<float>() : nullptr;
        const float* gp = g.data_ptr<float>();
        over_span(p.numel(), [&](int64_t at, int64_t len) {
          sgd_best(pp + at, gp + at, bp ? bp + at : nullptr, len, (float)-lr, (float)momentum, (float)(1 - dampening),
                   (float)weight_decay, seed, nesterov != 0);
        });
        p.unsafeGetTensorImpl()->bump_version();
        if (buf) buf->unsafeGetTensorImpl()->bump_version();
        continue;
      }
      rest_params.push_back(p);
      rest_grads.push_back(g);
      if (buf) (seed ? rest_seeded : rest_bufs).push_back(*buf);
      if (buf) (seed ? rest_seeded_at : rest_bufs_at).push_back((int64_t)rest_params.size() - 1);
    }
    if (rest_params.empty()) return 0;
    // PyTorch 1.13's _multi_tensor_sgd: a buffer seeded this step is a copy of its gradient, the others decay.
    std::vector<at::Tensor> d = weight_decay != 0 ? at::_foreach_add(rest_grads, rest_params, weight_decay) : rest_grads;
    if (momentum_buffers) {
      std::vector<at::Tensor> rest_d;
      for (int64_t at : rest_bufs_at) rest_d.push_back(d[at]);
      if (!rest_bufs.empty()) {
        at::_foreach_mul_(rest_bufs, momentum);
        at::_foreach_add_(rest_bufs, rest_d, 1 - dampening);
      }
      for (size_t k = 0; k < rest_seeded.size(); k++) rest_seeded[k].copy_(d[rest_seeded_at[k]]);
      std::vector<at::Tensor> bufs(d.size());
      for (size_t k = 0; k < rest_bufs.size(); k++) bufs[rest_bufs_at[k]] = rest_bufs[k];
      for (size_t k = 0; k < rest_seeded.size(); k++) bufs[rest_seeded_at[k]] = rest_seeded[k];
      d = nesterov ? at::_foreach_add(d, bufs, momentum) : bufs;
    }
    at::_foreach_add_(rest_params, d, -lr);
    return 0;)
}
