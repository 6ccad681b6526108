// torch.nn.functional over ATen. Optional tensors arrive as nullptr.
#include "shim.h"

static inline c10::optional<at::Tensor> opt(TensorHandle t) {
  return t ? c10::optional<at::Tensor>(*t) : c10::nullopt;
}

TS_EXPORT TensorHandle ts_conv2d(TensorHandle x, TensorHandle w, TensorHandle b, const int64_t* stride,
                                 const int64_t* padding, const int64_t* dilation, int64_t groups) {
  TS_TENSOR(at::conv2d(*x, *w, opt(b), ts_dims(stride, 2), ts_dims(padding, 2), ts_dims(dilation, 2), groups))
}
TS_EXPORT TensorHandle ts_conv_transpose2d(TensorHandle x, TensorHandle w, TensorHandle b, const int64_t* stride,
                                           const int64_t* padding, const int64_t* output_padding, int64_t groups,
                                           const int64_t* dilation) {
  TS_TENSOR(at::conv_transpose2d(*x, *w, opt(b), ts_dims(stride, 2), ts_dims(padding, 2), ts_dims(output_padding, 2),
                                 groups, ts_dims(dilation, 2)))
}
TS_EXPORT TensorHandle ts_linear(TensorHandle x, TensorHandle w, TensorHandle b) { TS_TENSOR(at::linear(*x, *w, opt(b))) }

TS_EXPORT TensorHandle ts_batch_norm(TensorHandle x, TensorHandle weight, TensorHandle bias, TensorHandle running_mean,
                                     TensorHandle running_var, int training, double momentum, double eps) {
  TS_TENSOR(at::batch_norm(*x, opt(weight), opt(bias), opt(running_mean), opt(running_var), training != 0, momentum, eps,
                           at::globalContext().userEnabledCuDNN()))
}
TS_EXPORT TensorHandle ts_instance_norm(TensorHandle x, TensorHandle weight, TensorHandle bias, TensorHandle running_mean,
                                        TensorHandle running_var, int use_input_stats, double momentum, double eps) {
  TS_TENSOR(at::instance_norm(*x, opt(weight), opt(bias), opt(running_mean), opt(running_var), use_input_stats != 0,
                              momentum, eps, at::globalContext().userEnabledCuDNN()))
}

TS_EXPORT TensorHandle ts_leaky_relu(TensorHandle x, double slope) { TS_TENSOR(at::leaky_relu(*x, slope)) }
TS_EXPORT int ts_leaky_relu_(TensorHandle x, double slope) { TS_STATUS(at::leaky_relu_(*x, slope)) }
TS_EXPORT TensorHandle ts_prelu(TensorHandle x, TensorHandle w) { TS_TENSOR(at::prelu(*x, *w)) }
TS_EXPORT TensorHandle ts_softmax(TensorHandle x, int64_t dim) { TS_TENSOR(at::softmax(*x, dim)) }
TS_EXPORT TensorHandle ts_log_softmax(TensorHandle x, int64_t dim) { TS_TENSOR(at::log_softmax(*x, dim)) }
TS_EXPORT TensorHandle ts_dropout(TensorHandle x, double p, int training) { TS_TENSOR(at::dropout(*x, p, training != 0)) }

TS_EXPORT TensorHandle ts_max_pool2d(TensorHandle x, const int64_t* kernel, const int64_t* stride, const int64_t* padding,
                                     const int64_t* dilation, int ceil_mode) {
  TS_TENSOR(at::max_pool2d(*x, ts_dims(kernel, 2), ts_dims(stride, 2), ts_dims(padding, 2), ts_dims(dilation, 2),
                           ceil_mode != 0))
}
TS_EXPORT TensorHandle ts_avg_pool2d(TensorHandle x, const int64_t* kernel, const int64_t* stride, const int64_t* padding,
                                     int ceil_mode, int count_include_pad) {
  TS_TENSOR(at::avg_pool2d(*x, ts_dims(kernel, 2), ts_dims(stride, 2), ts_dims(padding, 2), ceil_mode != 0,
                           count_include_pad != 0))
}
TS_EXPORT TensorHandle ts_adaptive_avg_pool2d(TensorHandle x, const int64_t* size) {
  TS_TENSOR(at::adaptive_avg_pool2d(*x, ts_dims(size, 2)))
}
TS_EXPORT TensorHandle ts_pixel_shuffle(TensorHandle x, int64_t factor) { TS_TENSOR(at::pixel_shuffle(*x, factor)) }
TS_EXPORT TensorHandle ts_pixel_unshuffle(TensorHandle x, int64_t factor) { TS_TENSOR(at::pixel_unshuffle(*x, factor)) }

// mode: 0 nearest, 1 bilinear, 2 bicubic. align_corners < 0 means "not given" (nearest).
TS_EXPORT TensorHandle ts_interpolate(TensorHandle x, const int64_t* size, int mode, int align_corners, int antialias) {
  TS_GUARD(nullptr,
    TORCH_CHECK(x->dim() == 4, "interpolate expects a 4-d input (N, C, H, W), got shape ", x->sizes());
    auto out = ts_dims(size, 2);
    bool ac = align_corners > 0;
    if (mode == 0) {
      TORCH_CHECK(!antialias, "antialias is only supported for bilinear and bicubic");
      return new at::Tensor(at::upsample_nearest2d(*x, out));
    }
    if (mode == 1) {
      return new at::Tensor(antialias ? at::_upsample_bilinear2d_aa(*x, out, ac)
                                      : at::upsample_bilinear2d(*x, out, ac));
    }
    TORCH_CHECK(mode == 2, "unknown interpolation mode ", mode);
    return new at::Tensor(antialias ? at::_upsample_bicubic2d_aa(*x, out, ac)
                                    : at::upsample_bicubic2d(*x, out, ac));)
}

// reduction: 0 none, 1 mean, 2 sum (at::Reduction).
TS_EXPORT TensorHandle ts_l1_loss(TensorHandle x, TensorHandle y, int reduction) { TS_TENSOR(at::l1_loss(*x, *y, reduction)) }
TS_EXPORT TensorHandle ts_mse_loss(TensorHandle x, TensorHandle y, int reduction) { TS_TENSOR(at::mse_loss(*x, *y, reduction)) }
TS_EXPORT TensorHandle ts_binary_cross_entropy(TensorHandle x, TensorHandle y, TensorHandle weight, int reduction) {
  TS_TENSOR(at::binary_cross_entropy(*x, *y, opt(weight), reduction))
}
TS_EXPORT TensorHandle ts_binary_cross_entropy_with_logits(TensorHandle x, TensorHandle y, TensorHandle weight,
                                                           TensorHandle pos_weight, int reduction) {
  TS_TENSOR(at::binary_cross_entropy_with_logits(*x, *y, opt(weight), opt(pos_weight), reduction))
}
TS_EXPORT TensorHandle ts_smooth_l1_loss(TensorHandle x, TensorHandle y, int reduction, double beta) {
  TS_TENSOR(at::smooth_l1_loss(*x, *y, reduction, beta))
}
