using Lib.Torch.Native;
using static Lib.Torch.Native.LibNative;

namespace Lib.Torch;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>How a loss reduces its per-element values (PyTorch's reduction=).</summary>
        public enum Reduction { None = 0, Mean = 1, Sum = 2 }

        /// <summary>Interpolation modes of <see cref="functional.interpolate"/>.</summary>
        public enum UpsampleMode { Nearest = 0, Bilinear = 1, Bicubic = 2 }

        /// <summary>Padding modes of <see cref="functional.pad"/>.</summary>
        public enum PaddingModes { Constant = 0, Reflect = 1, Replicate = 2, Zeros = 3 }

        /// <summary>Stateless operations, as torch.nn.functional.</summary>
        public static class functional
        {
            private static TensorHandle H(Tensor? t) => t?.Handle ?? TensorHandle.Null;

            public static Tensor conv2d(Tensor input, Tensor weight, Tensor? bias = null,
                (long, long)? stride = null, (long, long)? padding = null, (long, long)? dilation = null, long groups = 1)
            {
                if (!ChannelsLastInference.Applies(input, weight)) return Conv2d(input, weight, bias, stride, padding, dilation, groups);
                using var x = ChannelsLastInference.ChannelsLast(input);
                using var w = ChannelsLastInference.ChannelsLast(weight);
                return Conv2d(x, w, bias, stride, padding, dilation, groups);
            }

            private static unsafe Tensor Conv2d(Tensor input, Tensor weight, Tensor? bias, (long, long)? stride, (long, long)? padding, (long, long)? dilation, long groups)
            {
                var s = Pair(stride, 1); var p = Pair(padding, 0); var d = Pair(dilation, 1);
                fixed (long* ps = s, pp = p, pd = d)
                    return new Tensor(ts_conv2d(input.Handle, weight.Handle, H(bias), ps, pp, pd, groups));
            }

            public static unsafe Tensor conv_transpose2d(Tensor input, Tensor weight, Tensor? bias = null,
                (long, long)? stride = null, (long, long)? padding = null, (long, long)? output_padding = null,
                long groups = 1, (long, long)? dilation = null)
            {
                var s = Pair(stride, 1); var p = Pair(padding, 0); var o = Pair(output_padding, 0); var d = Pair(dilation, 1);
                if (SubPixelConvTranspose.Applies(input, weight, (s[0], s[1]), (p[0], p[1]), (o[0], o[1]), groups, (d[0], d[1])))
                    return SubPixelConvTranspose.Forward(input, weight, bias);
                // libtorch 1.13's im2col kernel is slower on channels-last input (10x on pix2pix's last layer) and returns NCHW anyway.
                using var dense = ChannelsLastInference.Dense(input);
                fixed (long* ps = s, pp = p, po = o, pd = d)
                    return new Tensor(ts_conv_transpose2d(dense.Handle, weight.Handle, H(bias), ps, pp, po, groups, pd));
            }

            public static Tensor linear(Tensor input, Tensor weight, Tensor? bias = null) =>
                new(ts_linear(input.Handle, weight.Handle, H(bias)));

            /// <summary>Batch norm; in training it normalizes with batch statistics and updates the running ones in place.</summary>
            public static Tensor batch_norm(Tensor input, Tensor? running_mean, Tensor? running_var, Tensor? weight = null,
                Tensor? bias = null, bool training = false, double momentum = 0.1, double eps = 1e-5) =>
                new(ts_batch_norm(input.Handle, H(weight), H(bias), H(running_mean), H(running_var), training ? 1 : 0, momentum, eps));

            public static Tensor instance_norm(Tensor input, Tensor? running_mean = null, Tensor? running_var = null,
                Tensor? weight = null, Tensor? bias = null, bool use_input_stats = true, double momentum = 0.1, double eps = 1e-5) =>
                new(ts_instance_norm(input.Handle, H(weight), H(bias), H(running_mean), H(running_var), use_input_stats ? 1 : 0, momentum, eps));

            public static Tensor relu(Tensor input, bool inplace = false) => inplace ? input.relu_() : input.relu();

            public static Tensor leaky_relu(Tensor input, double negative_slope = 0.01, bool inplace = false)
            {
                if (!inplace) return new Tensor(ts_leaky_relu(input.Handle, negative_slope));
                Check(ts_leaky_relu_(input.Handle, negative_slope));
                return input;
            }

            public static Tensor prelu(Tensor input, Tensor weight) => new(ts_prelu(input.Handle, weight.Handle));
            public static Tensor tanh(Tensor input) => input.tanh();
            public static Tensor sigmoid(Tensor input) => input.sigmoid();
            public static Tensor softmax(Tensor input, long dim) => new(ts_softmax(input.Handle, dim));
            public static Tensor log_softmax(Tensor input, long dim) => new(ts_log_softmax(input.Handle, dim));
            public static Tensor dropout(Tensor input, double p = 0.5, bool training = true) => new(ts_dropout(input.Handle, p, training ? 1 : 0));

            public static unsafe Tensor max_pool2d(Tensor input, (long, long) kernel_size, (long, long)? stride = null,
                (long, long)? padding = null, (long, long)? dilation = null, bool ceil_mode = false)
            {
                var k = Pair(kernel_size, 0); var s = Pair(stride ?? kernel_size, 1); var p = Pair(padding, 0); var d = Pair(dilation, 1);
                fixed (long* pk = k, ps = s, pp = p, pd = d)
                    return new Tensor(ts_max_pool2d(input.Handle, pk, ps, pp, pd, ceil_mode ? 1 : 0));
            }

            public static unsafe Tensor avg_pool2d(Tensor input, (long, long) kernel_size, (long, long)? stride = null,
                (long, long)? padding = null, bool ceil_mode = false, bool count_include_pad = true)
            {
                var k = Pair(kernel_size, 0); var s = Pair(stride ?? kernel_size, 1); var p = Pair(padding, 0);
                fixed (long* pk = k, ps = s, pp = p)
                    return new Tensor(ts_avg_pool2d(input.Handle, pk, ps, pp, ceil_mode ? 1 : 0, count_include_pad ? 1 : 0));
            }

            public static unsafe Tensor adaptive_avg_pool2d(Tensor input, (long, long) output_size)
            {
                var o = Pair(output_size, 1);
                fixed (long* po = o) return new Tensor(ts_adaptive_avg_pool2d(input.Handle, po));
            }

            public static Tensor pixel_shuffle(Tensor input, long upscale_factor) => new(ts_pixel_shuffle(input.Handle, upscale_factor));
            public static Tensor pixel_unshuffle(Tensor input, long downscale_factor) => new(ts_pixel_unshuffle(input.Handle, downscale_factor));

            /// <summary>
            /// Resizes N×C×H×W to <paramref name="size"/> or by <paramref name="scale_factor"/>. With antialias,
            /// bilinear and bicubic downscaling low-pass filter first, as torch.nn.functional.interpolate(antialias=True)
            /// and PIL do — what makes SR's low-resolution inputs free of aliasing.
            /// </summary>
            public static unsafe Tensor interpolate(Tensor input, (long, long)? size = null, double? scale_factor = null,
                UpsampleMode mode = UpsampleMode.Nearest, bool? align_corners = null, bool antialias = false)
            {
                if (input.dim() != 4)
                    throw new ArgumentException($"interpolate expects a 4-d N×C×H×W tensor but got shape [{string.Join(", ", input.shape)}]", nameof(input));
                if (size is null == scale_factor is null)
                    throw new ArgumentException("interpolate needs exactly one of size and scale_factor");
                if (align_corners is not null && mode == UpsampleMode.Nearest)
                    throw new ArgumentException("align_corners option can only be set with the interpolating modes: linear | bilinear | bicubic | trilinear");
                if (antialias && mode == UpsampleMode.Nearest)
                    throw new ArgumentException("antialias applies to bilinear and bicubic modes only");
                var shape = input.shape;
                var o = size is { } sz ? new[] { sz.Item1, sz.Item2 }
                    : new[] { (long)Math.Floor(shape[2] * scale_factor!.Value), (long)Math.Floor(shape[3] * scale_factor.Value) };
                fixed (long* po = o)
                    return new Tensor(ts_interpolate(input.Handle, po, (int)mode, align_corners == true ? 1 : 0, antialias ? 1 : 0));
            }

            /// <summary>Pads the last dimensions: (left, right, top, bottom, …) as torch.nn.functional.pad.</summary>
            public static unsafe Tensor pad(Tensor input, long[] pad, PaddingModes mode = PaddingModes.Constant, double value = 0)
            {
                var m = mode switch { PaddingModes.Reflect => 1, PaddingModes.Replicate => 2, _ => 0 };
                fixed (long* pp = pad) return new Tensor(ts_pad(input.Handle, pp, pad.Length, m, value));
            }

            public static Tensor l1_loss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean) =>
                new(ts_l1_loss(input.Handle, target.Handle, (int)reduction));

            public static Tensor mse_loss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean) =>
                new(ts_mse_loss(input.Handle, target.Handle, (int)reduction));

            public static Tensor binary_cross_entropy(Tensor input, Tensor target, Tensor? weight = null, Reduction reduction = Reduction.Mean) =>
                new(ts_binary_cross_entropy(input.Handle, target.Handle, H(weight), (int)reduction));

            public static Tensor binary_cross_entropy_with_logits(Tensor input, Tensor target, Tensor? weight = null,
                Reduction reduction = Reduction.Mean, Tensor? pos_weight = null) =>
                new(ts_binary_cross_entropy_with_logits(input.Handle, target.Handle, H(weight), H(pos_weight), (int)reduction));

            public static Tensor smooth_l1_loss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean, double beta = 1.0) =>
                new(ts_smooth_l1_loss(input.Handle, target.Handle, (int)reduction, beta));

            private static long[] Pair((long, long)? v, long fallback) => v is { } p ? [p.Item1, p.Item2] : [fallback, fallback];
        }
    }
}
