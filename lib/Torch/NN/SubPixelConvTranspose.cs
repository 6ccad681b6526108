namespace Lib.Torch;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>
        /// The stride-2 transposed convolutions of the U-Nets as ordinary convolutions with four times the output
        /// channels, one per output phase, interleaved: 4×4 with padding 1 (pix2pix's and DCGAN's up-sampling layer)
        /// becomes one 2×2 convolution, and 2×2 with no padding (the report's U-Net) one 1×1 convolution.
        /// </summary>
        /// <remarks>
        /// libtorch 1.13 runs ConvTranspose2d on the CPU as im2col + BLAS GEMM (slow_conv_transpose2d), forward and
        /// backward, at about a quarter of the speed oneDNN reaches on Conv2d. Output pixel 2m+r only ever sees
        /// kernel taps of one parity: y[2m] = x[m]·w[1] + x[m−1]·w[3] and y[2m+1] = x[m+1]·w[0] + x[m]·w[2]. So the
        /// layer is exactly four 2×2 correlations of the input padded by one, which Conv2d (oneDNN, forward and both
        /// backward passes) computes with the same FLOPs. Autograd differentiates the composition, so gradients
        /// reach the stored (in, out, 4, 4) weight unchanged in meaning; results equal slow_conv_transpose2d's up
        /// to float32 summation order (the parity tests' tolerance). The 2×2 layer is simpler still: each output
        /// pixel 2m+r sees only x[m]·w[r], a 1×1 convolution followed by pixel_shuffle.
        /// </remarks>
        public static class SubPixelConvTranspose
        {
            /// <summary>Whether <see cref="functional.conv_transpose2d"/> takes this path where it applies (CPU, float32); <see cref="FastPaths.Default"/> at start-up.</summary>
            public static bool Enabled { get; set; } = FastPaths.Default;

            /// <summary>
            /// Whether the path is taken where no gradient is recorded too (inference, validation). Off: those calls go to
            /// libtorch's own ConvTranspose2d and only training steps take the sub-pixel form. Measured on a 2-core AMD EPYC
            /// (pix2pix generator, batch 16, median of 3 rounds, 2026-12-05): forward-only, libtorch's layer is faster —
            /// 0.32 s against 0.44 s per batch at 64 px, 3.31 s against 3.95 s at 256 px (PyTorch 0.34 s and 3.25 s) — while
            /// training steps gain twice over from the sub-pixel form (bench/README.md).
            /// </summary>
            public static bool InInference { get; set; }

            /// <summary>True when the layer's settings are ones this form is exact for.</summary>
            public static bool Applies(Tensor input, Tensor weight, (long, long) stride, (long, long) padding,
                (long, long) outputPadding, long groups, (long, long) dilation)
            {
                if (!Enabled || (!InInference && !is_grad_enabled() && !ChannelsLastInference.Applies(input, weight)) || input.device_type != DeviceType.CPU || input.dtype != ScalarType.Float32 || weight.dtype != ScalarType.Float32 ||
                    weight.device_type != DeviceType.CPU || input.dim() != 4 ||
                    weight.dim() != 4 || stride != (2, 2) || outputPadding != (0, 0) || dilation != (1, 1) || groups != 1)
                    return false;
                var k = (weight.size(2), weight.size(3));
                return (k == (4, 4) && padding == (1, 1)) || (k == (2, 2) && padding == (0, 0));
            }

            public static Tensor Forward(Tensor input, Tensor weight, Tensor? bias)
            {
                if (ChannelsLastInference.Applies(input, weight)) return ForwardChannelsLast(input, weight, bias);
                return weight.size(2) == 2 ? Forward2x2(input, weight, bias) : Forward4x4(input, weight, bias);
            }

            /// <summary>
            /// Forward-only, channels-last: the phases' convolution runs in oneDNN's layout, and each phase lands in the
            /// output with one strided copy whose rows are a pixel's channels — where the autograd form's stack of narrowed
            /// NCHW planes made inference slower than libtorch's own layer.
            /// </summary>
            private static Tensor ForwardChannelsLast(Tensor input, Tensor weight, Tensor? bias)
            {
                var (n, h, w) = (input.size(0), input.size(2), input.size(3));
                var (cin, cout) = (weight.size(0), weight.size(1));
                var k4 = weight.size(2) == 4;
                using var scope = NewDisposeScope();
                // Both kernels' taps laid out (rh, rw, out), in, th, tw: phase (rh, rw) is one block of channels.
                var taps = k4
                    ? new Tensor(Native.LibNative.ts_conv_transpose2d_phase_weight(weight.Handle))
                    : weight.permute(2, 3, 1, 0).reshape(4 * cout, cin, 1, 1);
                var bias4 = bias?.repeat(4);
                var phases = k4 ? functional.conv2d(functional.pad(input, [1, 1, 1, 1]), taps, bias4) : functional.conv2d(input, taps, bias4);
                var y = empty(n, 2 * h, 2 * w, cout).permute(0, 3, 1, 2);   // N×C×2H×2W, channels-last in memory
                for (var rh = 0; rh < 2; rh++)
                    for (var rw = 0; rw < 2; rw++)
                    {
                        // The 4×4 layer's phase (rh, rw) reads the padded grid from offset (rh, rw); the 2×2 layer's from 0.
                        var phase = phases.narrow(1, (rh * 2 + rw) * cout, cout).narrow(2, k4 ? rh : 0, h).narrow(3, k4 ? rw : 0, w);
                        y.slice(2, rh, 2 * h, 2).slice(3, rw, 2 * w, 2).copy_(phase);
                    }
                return y.MoveToOuterDisposeScope();
            }

            private static Tensor Forward2x2(Tensor input, Tensor weight, Tensor? bias)
            {
                var (cin, cout) = (weight.size(0), weight.size(1));
                using var scope = NewDisposeScope();
                var taps = weight.permute(1, 2, 3, 0).reshape(4 * cout, cin, 1, 1);   // (out, rh, rw), in
                var bias4 = bias?.unsqueeze(1).expand(cout, 4).reshape(4 * cout);
                return functional.pixel_shuffle(functional.conv2d(input, taps, bias4), 2).MoveToOuterDisposeScope();
            }

            private static Tensor Forward4x4(Tensor input, Tensor weight, Tensor? bias)
            {
                var (n, h, w) = (input.size(0), input.size(2), input.size(3));
                var (cin, cout) = (weight.size(0), weight.size(1));
                using var scope = NewDisposeScope();
                // Phase r, tap t reads x_pad[m + r + t] with kernel index 3 − r − 2t; the native pass lays the
                // weight out as (rh, rw, out), in, th, tw and sends the gradient back the same way.
                var taps = new Tensor(Native.LibNative.ts_conv_transpose2d_phase_weight(weight.Handle));
                using var bias4 = bias?.repeat(4);
                var phases = functional.conv2d(functional.pad(input, [1, 1, 1, 1]), taps, bias4)
                    .view(n, 2, 2, cout, h + 1, w + 1);
                var rows = new Tensor[2];
                for (var rh = 0; rh < 2; rh++)
                {
                    var cols = new Tensor[2];
                    for (var rw = 0; rw < 2; rw++)
                        cols[rw] = phases.select(1, rh).select(1, rw).narrow(2, rh, h).narrow(3, rw, w);
                    rows[rh] = stack(cols, -1);                                // n, out, h, w, rw
                }
                return stack(rows, 3).view(n, cout, 2 * h, 2 * w).MoveToOuterDisposeScope(); // n, out, h, rh, w, rw
            }
        }
    }
}
