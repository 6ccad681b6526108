using Lib.Torch.Modules;

namespace Lib.Torch;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>
        /// The spectral normalization of one weight (Miyato et al. 2018), as torch.nn.utils.spectral_norm computes it: the weight
        /// is divided by an estimate of its largest singular value σ, kept by power iteration on its out × (in·k·k) matrix. In
        /// training every forward runs <see cref="n_power_iterations"/> steps and updates u and v (no gradient flows through
        /// them); σ = uᵀWv carries the gradient to W. In evaluation the stored u and v are used as they are.
        /// </summary>
        public sealed class SpectralNorm
        {
            public int n_power_iterations { get; }
            public double eps { get; }

            /// <summary>The left singular vector estimate (out), PyTorch's weight_u.</summary>
            public Tensor u { get; }

            /// <summary>The right singular vector estimate (in·k·k), PyTorch's weight_v.</summary>
            public Tensor v { get; }

            internal SpectralNorm(Tensor weight, int n_power_iterations, double eps)
            {
                if (n_power_iterations < 1)
                    throw new ArgumentOutOfRangeException(nameof(n_power_iterations), n_power_iterations, "spectral norm needs at least one power iteration");
                (this.n_power_iterations, this.eps) = (n_power_iterations, eps);
                using var scope = NewDisposeScope();
                using (no_grad())
                {
                    var matrix = weight.reshape(weight.size(0), -1);
                    // PyTorch's start: u and v drawn from N(0, 1) and normalized.
                    u = Normalize(randn([matrix.size(0)], weight.dtype, weight.device)).MoveToOuterDisposeScope();
                    v = Normalize(randn([matrix.size(1)], weight.dtype, weight.device)).MoveToOuterDisposeScope();
                }
            }

            /// <summary>W / σ for the forward pass; in training, u and v are first moved on by the power iteration.</summary>
            public Tensor Normalized(Tensor weight, bool training)
            {
                using var scope = NewDisposeScope();
                var matrix = weight.reshape(weight.size(0), -1);
                if (training)
                    using (no_grad())
                        for (var i = 0; i < n_power_iterations; i++)
                        {
                            v.copy_(Normalize(matrix.t().matmul(u)));
                            u.copy_(Normalize(matrix.matmul(v)));
                        }
                // Clones in training, as PyTorch does: D runs twice before one backward (real and fake), and the next
                // forward's in-place update must not change the u and v this forward's σ was computed with.
                var (uk, vk) = training ? (u.clone(), v.clone()) : (u, v);
                var sigma = uk.mul(matrix.matmul(vk)).sum();
                return weight.div(sigma).MoveToOuterDisposeScope();
            }

            private Tensor Normalize(Tensor x) => x.div(x.norm().clamp(min: eps));
        }

        public static partial class utils
        {
            /// <summary>
            /// Spectral normalization of <paramref name="module"/>'s weight (torch.nn.utils.spectral_norm): every forward uses
            /// W / σ(W). The trained parameter keeps the name "weight" (PyTorch renames it weight_orig); u and v are buffers
            /// weight_u and weight_v, so they are saved with the module and a resumed run continues the same iteration.
            /// </summary>
            public static Conv2d spectral_norm(Conv2d module, int n_power_iterations = 1, double eps = 1e-12)
            {
                module.ApplySpectralNorm(new SpectralNorm(module.weight, n_power_iterations, eps));
                return module;
            }

            /// <summary>Spectral normalization of every convolution in <paramref name="module"/> (SN-GAN's discriminator); returns how many.</summary>
            public static int spectral_norm_all(Module module, int n_power_iterations = 1, double eps = 1e-12)
            {
                var convs = module.modules().OfType<Conv2d>().Where(c => c.spectral_norm is null).ToList();
                foreach (var c in convs) spectral_norm(c, n_power_iterations, eps);
                return convs.Count;
            }
        }
    }
}
