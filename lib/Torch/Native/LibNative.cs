using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Lib.Torch.Native;

/// <summary>P/Invoke declarations for native/src, one group per C++ file. Handles are at::Tensor*.</summary>
internal static unsafe partial class LibNative
{
    private const string L = NativeLibraryLoader.Name;

    [ModuleInitializer]
    internal static void Init()
    {
        BlasKernels.Choose();
        NativeLibraryLoader.Register();
    }

    // cpu_caching_allocator.cpp
    [DllImport(L)] internal static extern int ts_cpu_caching_allocator_configure(int enabled, long limit_bytes, double idle_fraction);
    [DllImport(L)] internal static extern void ts_cpu_caching_allocator_empty_cache();
    [DllImport(L)] internal static extern void ts_cpu_caching_allocator_stats(long* stats);
    [DllImport(L)] internal static extern void ts_cpu_caching_allocator_reset_peak();

    // errors.cpp
    [DllImport(L)] internal static extern IntPtr ts_take_error();
    [DllImport(L)] internal static extern void ts_string_free(IntPtr s);

    /// <summary>Throws the pending libtorch error of this thread, if any.</summary>
    internal static void ThrowIfError()
    {
        var e = ts_take_error();
        if (e == IntPtr.Zero) return;
        throw new TorchException(TakeString(e) ?? "unknown native error");
    }

    internal static IntPtr Check(IntPtr handle)
    {
        if (handle == IntPtr.Zero) ThrowIfError();
        return handle;
    }

    internal static void Check(int status)
    {
        if (status != 0) ThrowIfError();
    }

    internal static string? TakeString(IntPtr s)
    {
        if (s == IntPtr.Zero) { ThrowIfError(); return null; }
        try { return Marshal.PtrToStringUTF8(s); }
        finally { ts_string_free(s); }
    }

    // runtime.cpp
    [DllImport(L)] internal static extern int ts_manual_seed(ulong seed);
    [DllImport(L)] internal static extern int ts_set_num_threads(int n);
    [DllImport(L)] internal static extern int ts_get_num_threads();
    [DllImport(L)] internal static extern int ts_set_grad_enabled(int enabled);
    [DllImport(L)] internal static extern int ts_is_grad_enabled();
    [DllImport(L)] internal static extern int ts_autocast_is_enabled(int device);
    [DllImport(L)] internal static extern int ts_autocast_set_enabled(int device, int enabled);
    [DllImport(L)] internal static extern int ts_autocast_get_dtype(int device);
    [DllImport(L)] internal static extern int ts_autocast_set_dtype(int device, int dtype);
    [DllImport(L)] internal static extern int ts_autocast_increment_nesting();
    [DllImport(L)] internal static extern int ts_autocast_decrement_nesting();
    [DllImport(L)] internal static extern int ts_autocast_clear_cache();
    [DllImport(L)] internal static extern int ts_cuda_is_available();
    [DllImport(L)] internal static extern int ts_cuda_device_count();
    [DllImport(L)] internal static extern int ts_cuda_manual_seed_all(ulong seed);
    [DllImport(L)] internal static extern int ts_cuda_synchronize();
    [DllImport(L)] internal static extern int ts_set_deterministic(int on);
    [DllImport(L)] internal static extern int ts_set_allow_tf32(int on);
    [DllImport(L)] internal static extern IntPtr ts_show_config();
    [DllImport(L)] internal static extern IntPtr ts_parallel_info();
    [DllImport(L)] internal static extern IntPtr ts_version();
    [DllImport(L)] internal static extern IntPtr ts_get_rng_state();
    [DllImport(L)] internal static extern int ts_set_rng_state(TensorHandle state);

    // tensor_create.cpp
    [DllImport(L)] internal static extern void ts_free(IntPtr t);
    [DllImport(L)] internal static extern IntPtr ts_empty(long* shape, int ndim, int dtype, int dev, int idx, int rg);
    [DllImport(L)] internal static extern IntPtr ts_zeros(long* shape, int ndim, int dtype, int dev, int idx, int rg);
    [DllImport(L)] internal static extern IntPtr ts_ones(long* shape, int ndim, int dtype, int dev, int idx, int rg);
    [DllImport(L)] internal static extern IntPtr ts_full(long* shape, int ndim, double value, int isInt, int dtype, int dev, int idx, int rg);
    [DllImport(L)] internal static extern IntPtr ts_rand(long* shape, int ndim, int dtype, int dev, int idx, int rg);
    [DllImport(L)] internal static extern IntPtr ts_randn(long* shape, int ndim, int dtype, int dev, int idx, int rg);
    [DllImport(L)] internal static extern IntPtr ts_randint(long low, long high, long* shape, int ndim, int dtype, int dev, int idx);
    [DllImport(L)] internal static extern IntPtr ts_randperm(long n, int dtype, int dev, int idx);
    [DllImport(L)] internal static extern IntPtr ts_arange(double start, double end, double step, int dtype, int dev, int idx, int rg);
    [DllImport(L)] internal static extern IntPtr ts_linspace(double start, double end, long steps, int dtype, int dev, int idx);
    [DllImport(L)] internal static extern IntPtr ts_eye(long n, int dtype, int dev, int idx);
    [DllImport(L)] internal static extern IntPtr ts_zeros_like(TensorHandle t);
    [DllImport(L)] internal static extern IntPtr ts_ones_like(TensorHandle t);
    [DllImport(L)] internal static extern IntPtr ts_empty_like(TensorHandle t);
    [DllImport(L)] internal static extern IntPtr ts_rand_like(TensorHandle t);
    [DllImport(L)] internal static extern IntPtr ts_randn_like(TensorHandle t);
    [DllImport(L)] internal static extern IntPtr ts_full_like(TensorHandle t, double value, int isInt);
    [DllImport(L)] internal static extern IntPtr ts_from_data(void* data, long nbytes, long* shape, int ndim, int dtype);
    [DllImport(L)] internal static extern int ts_copy_to(TensorHandle t, void* dst, long nbytes, int dtype);
    [DllImport(L)] internal static extern void* ts_data_ptr(TensorHandle t);
    [DllImport(L)] internal static extern double ts_item_double(TensorHandle t);
    [DllImport(L)] internal static extern long ts_item_long(TensorHandle t);
    [DllImport(L)] internal static extern int ts_dim(TensorHandle t);
    [DllImport(L)] internal static extern int ts_sizes(TensorHandle t, long* output, int cap);
    [DllImport(L)] internal static extern int ts_strides(TensorHandle t, long* output, int cap);
    [DllImport(L)] internal static extern long ts_numel(TensorHandle t);
    [DllImport(L)] internal static extern int ts_dtype(TensorHandle t);
    [DllImport(L)] internal static extern int ts_device_type(TensorHandle t);
    [DllImport(L)] internal static extern int ts_device_index(TensorHandle t);
    [DllImport(L)] internal static extern int ts_is_contiguous(TensorHandle t);
    [DllImport(L)] internal static extern int ts_is_contiguous_format(TensorHandle t, int memory_format);
    [DllImport(L)] internal static extern IntPtr ts_to_string(TensorHandle t);
    [DllImport(L)] internal static extern IntPtr ts_to(TensorHandle t, int dtype, int dev, int idx, int nonBlocking, int copy);
    [DllImport(L)] internal static extern IntPtr ts_clone(TensorHandle t);
    [DllImport(L)] internal static extern IntPtr ts_contiguous(TensorHandle t);
    [DllImport(L)] internal static extern IntPtr ts_contiguous_format(TensorHandle t, int memory_format);
    [DllImport(L)] internal static extern IntPtr ts_alias(TensorHandle t);
    [DllImport(L)] internal static extern int ts_copy_(TensorHandle t, TensorHandle src);

    // tensor_math.cpp
    [DllImport(L)] internal static extern IntPtr ts_add(TensorHandle a, TensorHandle b, double alpha, int is_int);
    [DllImport(L)] internal static extern int ts_add_(TensorHandle a, TensorHandle b, double alpha, int is_int);
    [DllImport(L)] internal static extern IntPtr ts_sub(TensorHandle a, TensorHandle b, double alpha, int is_int);
    [DllImport(L)] internal static extern int ts_sub_(TensorHandle a, TensorHandle b, double alpha, int is_int);
    [DllImport(L)] internal static extern IntPtr ts_mul(TensorHandle a, TensorHandle b);
    [DllImport(L)] internal static extern int ts_mul_(TensorHandle a, TensorHandle b);
    [DllImport(L)] internal static extern IntPtr ts_div(TensorHandle a, TensorHandle b);
    [DllImport(L)] internal static extern int ts_div_(TensorHandle a, TensorHandle b);
    [DllImport(L)] internal static extern IntPtr ts_pow(TensorHandle a, TensorHandle b);
    [DllImport(L)] internal static extern IntPtr ts_maximum(TensorHandle a, TensorHandle b);
    [DllImport(L)] internal static extern IntPtr ts_minimum(TensorHandle a, TensorHandle b);
    [DllImport(L)] internal static extern IntPtr ts_matmul(TensorHandle a, TensorHandle b);
    [DllImport(L)] internal static extern IntPtr ts_eq(TensorHandle a, TensorHandle b);
    [DllImport(L)] internal static extern IntPtr ts_ne(TensorHandle a, TensorHandle b);
    [DllImport(L)] internal static extern IntPtr ts_lt(TensorHandle a, TensorHandle b);
    [DllImport(L)] internal static extern IntPtr ts_le(TensorHandle a, TensorHandle b);
    [DllImport(L)] internal static extern IntPtr ts_gt(TensorHandle a, TensorHandle b);
    [DllImport(L)] internal static extern IntPtr ts_ge(TensorHandle a, TensorHandle b);
    [DllImport(L)] internal static extern IntPtr ts_logical_and(TensorHandle a, TensorHandle b);
    [DllImport(L)] internal static extern IntPtr ts_logical_or(TensorHandle a, TensorHandle b);
    [DllImport(L)] internal static extern IntPtr ts_add_scalar(TensorHandle a, double v, int isInt);
    [DllImport(L)] internal static extern int ts_add_scalar_(TensorHandle a, double v, int isInt);
    [DllImport(L)] internal static extern IntPtr ts_sub_scalar(TensorHandle a, double v, int isInt);
    [DllImport(L)] internal static extern int ts_sub_scalar_(TensorHandle a, double v, int isInt);
    [DllImport(L)] internal static extern IntPtr ts_rsub_scalar(TensorHandle a, double v, int isInt);
    [DllImport(L)] internal static extern IntPtr ts_mul_scalar(TensorHandle a, double v, int isInt);
    [DllImport(L)] internal static extern int ts_mul_scalar_(TensorHandle a, double v, int isInt);
    [DllImport(L)] internal static extern IntPtr ts_div_scalar(TensorHandle a, double v, int isInt);
    [DllImport(L)] internal static extern int ts_div_scalar_(TensorHandle a, double v, int isInt);
    [DllImport(L)] internal static extern IntPtr ts_rdiv_scalar(TensorHandle a, double v, int isInt);
    [DllImport(L)] internal static extern IntPtr ts_pow_scalar(TensorHandle a, double v, int isInt);
    [DllImport(L)] internal static extern int ts_pow_scalar_(TensorHandle a, double v, int isInt);
    [DllImport(L)] internal static extern IntPtr ts_rpow_scalar(TensorHandle a, double v, int isInt);
    [DllImport(L)] internal static extern IntPtr ts_eq_scalar(TensorHandle a, double v, int isInt);
    [DllImport(L)] internal static extern IntPtr ts_ne_scalar(TensorHandle a, double v, int isInt);
    [DllImport(L)] internal static extern IntPtr ts_lt_scalar(TensorHandle a, double v, int isInt);
    [DllImport(L)] internal static extern IntPtr ts_le_scalar(TensorHandle a, double v, int isInt);
    [DllImport(L)] internal static extern IntPtr ts_gt_scalar(TensorHandle a, double v, int isInt);
    [DllImport(L)] internal static extern IntPtr ts_ge_scalar(TensorHandle a, double v, int isInt);
    [DllImport(L)] internal static extern int ts_fill_(TensorHandle a, double v, int isInt);
    [DllImport(L)] internal static extern IntPtr ts_neg(TensorHandle a);
    [DllImport(L)] internal static extern int ts_neg_(TensorHandle a);
    [DllImport(L)] internal static extern IntPtr ts_abs(TensorHandle a);
    [DllImport(L)] internal static extern int ts_abs_(TensorHandle a);
    [DllImport(L)] internal static extern IntPtr ts_exp(TensorHandle a);
    [DllImport(L)] internal static extern int ts_exp_(TensorHandle a);
    [DllImport(L)] internal static extern IntPtr ts_log(TensorHandle a);
    [DllImport(L)] internal static extern int ts_log_(TensorHandle a);
    [DllImport(L)] internal static extern IntPtr ts_log10(TensorHandle a);
    [DllImport(L)] internal static extern IntPtr ts_sqrt(TensorHandle a);
    [DllImport(L)] internal static extern int ts_sqrt_(TensorHandle a);
    [DllImport(L)] internal static extern IntPtr ts_rsqrt(TensorHandle a);
    [DllImport(L)] internal static extern IntPtr ts_sin(TensorHandle a);
    [DllImport(L)] internal static extern IntPtr ts_cos(TensorHandle a);
    [DllImport(L)] internal static extern IntPtr ts_floor(TensorHandle a);
    [DllImport(L)] internal static extern IntPtr ts_ceil(TensorHandle a);
    [DllImport(L)] internal static extern IntPtr ts_round(TensorHandle a);
    [DllImport(L)] internal static extern IntPtr ts_sign(TensorHandle a);
    [DllImport(L)] internal static extern IntPtr ts_reciprocal(TensorHandle a);
    [DllImport(L)] internal static extern IntPtr ts_tanh(TensorHandle a);
    [DllImport(L)] internal static extern int ts_tanh_(TensorHandle a);
    [DllImport(L)] internal static extern IntPtr ts_sigmoid(TensorHandle a);
    [DllImport(L)] internal static extern int ts_sigmoid_(TensorHandle a);
    [DllImport(L)] internal static extern IntPtr ts_relu(TensorHandle a);
    [DllImport(L)] internal static extern int ts_relu_(TensorHandle a);
    [DllImport(L)] internal static extern IntPtr ts_logical_not(TensorHandle a);
    [DllImport(L)] internal static extern IntPtr ts_isnan(TensorHandle a);
    [DllImport(L)] internal static extern IntPtr ts_isfinite(TensorHandle a);
    [DllImport(L)] internal static extern int ts_zero_(TensorHandle a);
    [DllImport(L)] internal static extern IntPtr ts_clamp(TensorHandle a, int hasMin, double min, int hasMax, double max);
    [DllImport(L)] internal static extern int ts_clamp_(TensorHandle a, int hasMin, double min, int hasMax, double max);
    [DllImport(L)] internal static extern IntPtr ts_where(TensorHandle cond, TensorHandle a, TensorHandle b);
    [DllImport(L)] internal static extern IntPtr ts_addcmul(TensorHandle a, TensorHandle b, TensorHandle c, double value);
    [DllImport(L)] internal static extern int ts_addcmul_(TensorHandle a, TensorHandle b, TensorHandle c, double value);
    [DllImport(L)] internal static extern IntPtr ts_addcdiv(TensorHandle a, TensorHandle b, TensorHandle c, double value);
    [DllImport(L)] internal static extern int ts_addcdiv_(TensorHandle a, TensorHandle b, TensorHandle c, double value);
    [DllImport(L)] internal static extern int ts_lerp_(TensorHandle a, TensorHandle end, double weight);
    [DllImport(L)] internal static extern int ts_uniform_(TensorHandle a, double from, double to);
    [DllImport(L)] internal static extern int ts_normal_(TensorHandle a, double mean, double std);
    [DllImport(L)] internal static extern int ts_bernoulli_(TensorHandle a, double p);

    // tensor_reduce.cpp
    [DllImport(L)] internal static extern IntPtr ts_sum(TensorHandle a, long* dims, int ndims, int keepdim);
    [DllImport(L)] internal static extern IntPtr ts_mean(TensorHandle a, long* dims, int ndims, int keepdim);
    [DllImport(L)] internal static extern IntPtr ts_amax(TensorHandle a, long* dims, int ndims, int keepdim);
    [DllImport(L)] internal static extern IntPtr ts_amin(TensorHandle a, long* dims, int ndims, int keepdim);
    [DllImport(L)] internal static extern IntPtr ts_prod(TensorHandle a, long* dims, int ndims, int keepdim);
    [DllImport(L)] internal static extern IntPtr ts_var(TensorHandle a, long* dims, int ndims, int unbiased, int keepdim);
    [DllImport(L)] internal static extern IntPtr ts_std(TensorHandle a, long* dims, int ndims, int unbiased, int keepdim);
    [DllImport(L)] internal static extern IntPtr ts_norm(TensorHandle a, double p);
    [DllImport(L)] internal static extern IntPtr ts_max_all(TensorHandle a);
    [DllImport(L)] internal static extern IntPtr ts_min_all(TensorHandle a);
    [DllImport(L)] internal static extern int ts_max_dim(TensorHandle a, long dim, int keepdim, out IntPtr values, out IntPtr indices);
    [DllImport(L)] internal static extern int ts_min_dim(TensorHandle a, long dim, int keepdim, out IntPtr values, out IntPtr indices);
    [DllImport(L)] internal static extern IntPtr ts_argmax(TensorHandle a, long dim, int hasDim, int keepdim);
    [DllImport(L)] internal static extern IntPtr ts_argmin(TensorHandle a, long dim, int hasDim, int keepdim);
    [DllImport(L)] internal static extern IntPtr ts_cumsum(TensorHandle a, long dim);
    [DllImport(L)] internal static extern IntPtr ts_sort(TensorHandle a, long dim, int descending, out IntPtr indices);

    // tensor_shape.cpp
    [DllImport(L)] internal static extern IntPtr ts_view(TensorHandle a, long* shape, int n);
    [DllImport(L)] internal static extern IntPtr ts_reshape(TensorHandle a, long* shape, int n);
    [DllImport(L)] internal static extern IntPtr ts_permute(TensorHandle a, long* dims, int n);
    [DllImport(L)] internal static extern IntPtr ts_transpose(TensorHandle a, long d0, long d1);
    [DllImport(L)] internal static extern IntPtr ts_expand(TensorHandle a, long* shape, int n);
    [DllImport(L)] internal static extern IntPtr ts_repeat(TensorHandle a, long* reps, int n);
    [DllImport(L)] internal static extern IntPtr ts_flip(TensorHandle a, long* dims, int n);
    [DllImport(L)] internal static extern IntPtr ts_narrow(TensorHandle a, long dim, long start, long length);
    [DllImport(L)] internal static extern IntPtr ts_slice(TensorHandle a, long dim, long start, long end, long step);
    [DllImport(L)] internal static extern IntPtr ts_select(TensorHandle a, long dim, long index);
    [DllImport(L)] internal static extern IntPtr ts_index_select(TensorHandle a, long dim, TensorHandle index);
    [DllImport(L)] internal static extern IntPtr ts_masked_select(TensorHandle a, TensorHandle mask);
    [DllImport(L)] internal static extern IntPtr ts_gather(TensorHandle a, long dim, TensorHandle index);
    [DllImport(L)] internal static extern IntPtr ts_squeeze(TensorHandle a);
    [DllImport(L)] internal static extern IntPtr ts_squeeze_dim(TensorHandle a, long dim);
    [DllImport(L)] internal static extern IntPtr ts_unsqueeze(TensorHandle a, long dim);
    [DllImport(L)] internal static extern IntPtr ts_flatten(TensorHandle a, long start, long end);
    [DllImport(L)] internal static extern IntPtr ts_cat(IntPtr* ts, int n, long dim);
    [DllImport(L)] internal static extern IntPtr ts_stack(IntPtr* ts, int n, long dim);
    [DllImport(L)] internal static extern IntPtr ts_pad(TensorHandle a, long* pad, int n, int mode, double value);

    // autograd.cpp
    [DllImport(L)] internal static extern int ts_requires_grad(TensorHandle a);
    [DllImport(L)] internal static extern int ts_set_requires_grad(TensorHandle a, int on);
    [DllImport(L)] internal static extern int ts_is_leaf(TensorHandle a);
    [DllImport(L)] internal static extern int ts_backward(TensorHandle a, TensorHandle gradient, int retainGraph, int createGraph);
    [DllImport(L)] internal static extern IntPtr ts_grad(TensorHandle a);
    [DllImport(L)] internal static extern int ts_grad_set_none(TensorHandle a);
    [DllImport(L)] internal static extern int ts_set_grad(TensorHandle a, TensorHandle g);
    [DllImport(L)] internal static extern IntPtr ts_detach(TensorHandle a);
    [DllImport(L)] internal static extern int ts_detach_(TensorHandle a);

    // nn_functional.cpp
    [DllImport(L)] internal static extern IntPtr ts_conv2d(TensorHandle x, TensorHandle w, TensorHandle b, long* stride, long* padding, long* dilation, long groups);
    [DllImport(L)] internal static extern IntPtr ts_conv_transpose2d(TensorHandle x, TensorHandle w, TensorHandle b, long* stride, long* padding, long* outputPadding, long groups, long* dilation);
    [DllImport(L)] internal static extern IntPtr ts_linear(TensorHandle x, TensorHandle w, TensorHandle b);
    [DllImport(L)] internal static extern IntPtr ts_batch_norm(TensorHandle x, TensorHandle weight, TensorHandle bias, TensorHandle runningMean, TensorHandle runningVar, int training, double momentum, double eps);
    [DllImport(L)] internal static extern IntPtr ts_instance_norm(TensorHandle x, TensorHandle weight, TensorHandle bias, TensorHandle runningMean, TensorHandle runningVar, int useInputStats, double momentum, double eps);
    [DllImport(L)] internal static extern IntPtr ts_leaky_relu(TensorHandle x, double slope);
    [DllImport(L)] internal static extern int ts_leaky_relu_(TensorHandle x, double slope);
    [DllImport(L)] internal static extern IntPtr ts_prelu(TensorHandle x, TensorHandle w);
    [DllImport(L)] internal static extern IntPtr ts_softmax(TensorHandle x, long dim);
    [DllImport(L)] internal static extern IntPtr ts_log_softmax(TensorHandle x, long dim);
    [DllImport(L)] internal static extern IntPtr ts_dropout(TensorHandle x, double p, int training);
    [DllImport(L)] internal static extern IntPtr ts_max_pool2d(TensorHandle x, long* kernel, long* stride, long* padding, long* dilation, int ceilMode);
    [DllImport(L)] internal static extern IntPtr ts_avg_pool2d(TensorHandle x, long* kernel, long* stride, long* padding, int ceilMode, int countIncludePad);
    [DllImport(L)] internal static extern IntPtr ts_adaptive_avg_pool2d(TensorHandle x, long* size);
    [DllImport(L)] internal static extern IntPtr ts_pixel_shuffle(TensorHandle x, long factor);
    [DllImport(L)] internal static extern IntPtr ts_conv_transpose2d_phase_weight(TensorHandle weight);

    // optim_fused.cpp
    [DllImport(L)] internal static extern int ts_adam_step_(IntPtr* @params, IntPtr* grads, IntPtr* expAvgs, IntPtr* expAvgSqs, IntPtr* maxExpAvgSqs, int n, long* steps, double lr, double beta1, double beta2, double eps, double weightDecay);
    [DllImport(L)] internal static extern int ts_sgd_step_(IntPtr* @params, IntPtr* grads, IntPtr* momentumBuffers, int* first, int n, double lr, double momentum, double dampening, double weightDecay, int nesterov);
    [DllImport(L)] internal static extern IntPtr ts_pixel_unshuffle(TensorHandle x, long factor);
    [DllImport(L)] internal static extern IntPtr ts_interpolate(TensorHandle x, long* size, int mode, int alignCorners, int antialias);
    [DllImport(L)] internal static extern IntPtr ts_l1_loss(TensorHandle x, TensorHandle y, int reduction);
    [DllImport(L)] internal static extern IntPtr ts_mse_loss(TensorHandle x, TensorHandle y, int reduction);
    [DllImport(L)] internal static extern IntPtr ts_binary_cross_entropy(TensorHandle x, TensorHandle y, TensorHandle weight, int reduction);
    [DllImport(L)] internal static extern IntPtr ts_binary_cross_entropy_with_logits(TensorHandle x, TensorHandle y, TensorHandle weight, TensorHandle posWeight, int reduction);
    [DllImport(L)] internal static extern IntPtr ts_smooth_l1_loss(TensorHandle x, TensorHandle y, int reduction, double beta);
}
