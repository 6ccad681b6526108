// The weight layout of the sub-pixel ConvTranspose2d (lib/Torch/NN/SubPixelConvTranspose.cs): a stride-2 4×4
// transposed-convolution weight (in, out, 4, 4) rearranged into the 2×2 convolution weight of its four output
// phases, (4·out, in, 2, 2), and back for the gradient. It is only a permutation, but ATen's strided copy
// moves it at a quarter of memory speed (a 6-d permute plus a flip: 120 ms a step for pix2pix's 32 MB layer),
// so it is written here as one cache-friendly pass each way.
#include "shim.h"
#include <ATen/Parallel.h>
#include <torch/csrc/autograd/custom_function.h>

namespace {

// out[(ph·C_out + o), i, th, tw] = w[i, o, 3 − rh − 2·th, 3 − rw − 2·tw] with ph = 2·rh + rw.
constexpr int kTap[2][2] = {{3, 1}, {2, 0}};  // kTap[r][t] = 3 − r − 2t

template <bool ToPhases>
void permute_phases(float* phases, float* weight, int64_t cin, int64_t cout) {
  // One output channel per task: its 16 floats per input channel are one 64-byte run of the stored weight,
  // and its four phase rows are four sequential streams.
  at::parallel_for(0, cout, 16, [&](int64_t begin, int64_t end) {
    for (int64_t o = begin; o < end; o++)
      for (int64_t i = 0; i < cin; i++) {
        float* w = weight + (i * cout + o) * 16;
        for (int rh = 0; rh < 2; rh++)
          for (int rw = 0; rw < 2; rw++) {
            float* p = phases + (((2 * rh + rw) * cout + o) * cin + i) * 4;
            for (int th = 0; th < 2; th++)
              for (int tw = 0; tw < 2; tw++) {
                float& pv = p[2 * th + tw];
                float& wv = w[kTap[rh][th] * 4 + kTap[rw][tw]];
                if (ToPhases) pv = wv; else wv = pv;
              }
          }
      }
  });
}

struct PhaseWeight : public torch::autograd::Function<PhaseWeight> {
  static at::Tensor forward(torch::autograd::AutogradContext* ctx, const at::Tensor& weight) {
    TORCH_CHECK(weight.dim() == 4 && weight.size(2) == 4 && weight.size(3) == 4 && weight.scalar_type() == at::kFloat &&
                    weight.device().is_cpu(),
                "the sub-pixel ConvTranspose2d needs a float32 CPU weight of shape (in, out, 4, 4), got ",
                weight.scalar_type(), " ", weight.sizes());
    auto w = weight.contiguous();
    const int64_t cin = w.size(0), cout = w.size(1);
    auto out = at::empty({4 * cout, cin, 2, 2}, w.options());
    permute_phases<true>(out.data_ptr<float>(), w.data_ptr<float>(), cin, cout);
    ctx->saved_data["cin"] = cin;
    ctx->saved_data["cout"] = cout;
    return out;
  }

  static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx,
                                                 torch::autograd::variable_list grads) {
    const int64_t cin = ctx->saved_data["cin"].toInt(), cout = ctx->saved_data["cout"].toInt();
    auto g = grads[0].contiguous();
    auto out = at::empty({cin, cout, 4, 4}, g.options());
    permute_phases<false>(g.data_ptr<float>(), out.data_ptr<float>(), cin, cout);
    return {out};
  }
};

}  // namespace

TS_EXPORT TensorHandle ts_conv_transpose2d_phase_weight(TensorHandle weight) { TS_TENSOR(PhaseWeight::apply(*weight)) }
