namespace Lib.Torch;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>
        /// Forward-only convolutions inside a module call run channels-last (<see cref="MemoryFormat.ChannelsLast"/>):
        /// the layout oneDNN computes in, so activations flow from layer to layer without being reordered into and out of
        /// it at every convolution. The outermost module call hands its result back in the ordinary contiguous layout,
        /// so callers never see the difference.
        /// </summary>
        /// <remarks>
        /// Only where no gradient is recorded (inference, validation, evaluation tables): training steps keep NCHW, where
        /// the sub-pixel ConvTranspose2d and the fused optimizers are measured. Weights stay as they are stored; each call
        /// reorders its weight, not the module's parameter. Measured with libtorch 1.13 on a 2-core AMD EPYC, batch 16,
        /// the path off and on in turn in one process (medians of 5–15 passes): SRResNet ×4 at 64 px 1.51 → 1.32 s,
        /// pix2pix at 256 px 1.49 → 1.23 s, the report's U-Net at 64 px 0.114 → 0.093 s and at 256 px 1.48 → 1.34 s,
        /// pix2pix at 64 px 0.245 s either way (bench/README.md, issue 24).
        /// </remarks>
        public static class ChannelsLastInference
        {
            /// <summary>Whether forward-only convolutions take this path; <see cref="FastPaths.Default"/> at start-up.</summary>
            public static bool Enabled { get; set; } = FastPaths.Default;

            /// <summary>
            /// The smallest input (height × width) that goes channels-last. Below it the per-call reorder of the weight costs
            /// more than the layout saves: pix2pix's 512-channel layers at 8 px and less ran up to 2× slower channels-last,
            /// its 128- and 256-channel layers at 16–32 px 20 % faster.
            /// </summary>
            public static long MinPixels { get; set; } = 16 * 16;

            [ThreadStatic] private static int _depth;
            [ThreadStatic] private static bool _used;

            /// <summary>True when a convolution of this input should run channels-last now.</summary>
            public static bool Applies(Tensor input, Tensor weight) =>
                Enabled && _depth > 0 && input.dim() == 4 && weight.dim() == 4 && input.size(2) * input.size(3) >= MinPixels && !is_grad_enabled() &&
                input.device_type == DeviceType.CPU && input.dtype is ScalarType.Float32 or ScalarType.BFloat16;

            /// <summary>A handle to the tensor in the channels-last layout (a copy only when it is not already), for a convolution's input or weight.</summary>
            internal static Tensor ChannelsLast(Tensor t)
            {
                _used = true;
                return t.contiguous(MemoryFormat.ChannelsLast);
            }

            /// <summary>A contiguous (NCHW) handle to a channels-last CPU input, for layers whose kernels want NCHW; else a new handle to it.</summary>
            internal static Tensor Dense(Tensor input) =>
                Enabled && input.device_type == DeviceType.CPU && input.dim() == 4 && !input.is_contiguous() && input.is_contiguous(MemoryFormat.ChannelsLast)
                    ? input.contiguous()
                    : input.alias();

            /// <summary>Enters a module call; false when the path is off (then <see cref="Leave"/> is not needed).</summary>
            internal static bool Enter(out bool outermost)
            {
                outermost = _depth == 0;
                if (!Enabled) return false;
                if (outermost) _used = false;
                _depth++;
                return true;
            }

            internal static void Leave() => _depth--;

            /// <summary>At the outermost module call: the result back in the contiguous layout, if a convolution changed it.</summary>
            internal static TResult Restore<TResult>(TResult result)
            {
                if (!_used) return result;
                _used = false;
                return result is Tensor t ? (TResult)(object)Restore(t) : result;
            }

            private static Tensor Restore(Tensor t)
            {
                if (t.IsDisposed || t.dim() != 4 || t.is_contiguous() || !t.is_contiguous(MemoryFormat.ChannelsLast)) return t;
                var scope = t.Scope;
                var c = t.contiguous();
                if (scope is null) c.DetachFromDisposeScope();
                else scope.Include(c);
                t.Dispose();
                return c;
            }
        }
    }
}
