using Lib.Torch.Modules;
using static Lib.Torch.torch;
using F = Lib.Torch.torch.nn.functional;

namespace Lib.Torch.Modules
{
    /// <summary>2-d convolution, initialized as PyTorch does (kaiming-uniform with a=√5, bias U(±1/√fan_in)).</summary>
    public sealed class Conv2d : nn.Module<Tensor, Tensor>
    {
        public long in_channels { get; }
        public long out_channels { get; }
        public long kernel_size { get; }
        public long stride { get; }
        public long padding { get; }
        public long dilation { get; }
        public long groups { get; }
        public nn.PaddingModes padding_mode { get; }
        public nn.Parameter weight { get; }
        public nn.Parameter? bias { get; }

        /// <summary>The weight's spectral normalization (null: none; see <see cref="nn.utils.spectral_norm"/>).</summary>
        public nn.SpectralNorm? spectral_norm { get; private set; }

        public Conv2d(long in_channels, long out_channels, long kernel_size, long stride, long padding,
            long dilation, long groups, bool bias, nn.PaddingModes padding_mode)
            : base(nameof(Conv2d))
        {
            if (in_channels % groups != 0 || out_channels % groups != 0)
                throw new ArgumentException($"in_channels ({in_channels}) and out_channels ({out_channels}) must be divisible by groups ({groups})");
            (this.in_channels, this.out_channels, this.kernel_size, this.stride, this.padding, this.dilation, this.groups, this.padding_mode) =
                (in_channels, out_channels, kernel_size, stride, padding, dilation, groups, padding_mode);
            using var scope = NewDisposeScope();
            weight = register_parameter("weight", new nn.Parameter(empty(out_channels, in_channels / groups, kernel_size, kernel_size)))!;
            this.bias = register_parameter("bias", bias ? new nn.Parameter(empty(out_channels)) : null);
            nn.init.ResetConvLinear(weight, this.bias, weight.size(1) * kernel_size * kernel_size);
        }

        internal void ApplySpectralNorm(nn.SpectralNorm norm)
        {
            if (spectral_norm is not null) throw new InvalidOperationException($"{this} already has a spectral norm");
            register_buffer("weight_u", norm.u);
            register_buffer("weight_v", norm.v);
            spectral_norm = norm;
        }

        public override Tensor forward(Tensor input)
        {
            if (spectral_norm is null) return Convolve(input, weight);
            using var normalized = spectral_norm.Normalized(weight, training);
            return Convolve(input, normalized);
        }

        private Tensor Convolve(Tensor input, Tensor w)
        {
            if (padding_mode is nn.PaddingModes.Zeros or nn.PaddingModes.Constant || padding == 0)
                return F.conv2d(input, w, bias, (stride, stride), (padding, padding), (dilation, dilation), groups);
            using var padded = F.pad(input, [padding, padding, padding, padding], padding_mode);
            return F.conv2d(padded, w, bias, (stride, stride), (0, 0), (dilation, dilation), groups);
        }

        protected override string ExtraRepr() =>
            $"{in_channels}, {out_channels}, kernel_size=({kernel_size}, {kernel_size}), stride=({stride}, {stride})" +
            (padding != 0 ? $", padding=({padding}, {padding})" : "") + (bias is null ? ", bias=False" : "") +
            (padding_mode is nn.PaddingModes.Zeros ? "" : $", padding_mode={padding_mode.ToString().ToLowerInvariant()}") +
            (spectral_norm is null ? "" : ", spectral_norm");
    }

    /// <summary>Transposed 2-d convolution (weight in×out/groups×k×k, as PyTorch stores it).</summary>
    public sealed class ConvTranspose2d : nn.Module<Tensor, Tensor>
    {
        public long in_channels { get; }
        public long out_channels { get; }
        public long kernel_size { get; }
        public long stride { get; }
        public long padding { get; }
        public long output_padding { get; }
        public long groups { get; }
        public long dilation { get; }
        public nn.Parameter weight { get; }
        public nn.Parameter? bias { get; }

        public ConvTranspose2d(long in_channels, long out_channels, long kernel_size, long stride, long padding,
            long output_padding, long groups, bool bias, long dilation)
            : base(nameof(ConvTranspose2d))
        {
            (this.in_channels, this.out_channels, this.kernel_size, this.stride, this.padding, this.output_padding, this.groups, this.dilation) =
                (in_channels, out_channels, kernel_size, stride, padding, output_padding, groups, dilation);
            using var scope = NewDisposeScope();
            weight = register_parameter("weight", new nn.Parameter(empty(in_channels, out_channels / groups, kernel_size, kernel_size)))!;
            this.bias = register_parameter("bias", bias ? new nn.Parameter(empty(out_channels)) : null);
            // PyTorch computes fan_in from dim 1 of the stored weight, i.e. out_channels/groups·k·k.
            nn.init.ResetConvLinear(weight, this.bias, weight.size(1) * kernel_size * kernel_size);
        }

        public override Tensor forward(Tensor input) =>
            F.conv_transpose2d(input, weight, bias, (stride, stride), (padding, padding), (output_padding, output_padding), groups, (dilation, dilation));

        protected override string ExtraRepr() =>
            $"{in_channels}, {out_channels}, kernel_size=({kernel_size}, {kernel_size}), stride=({stride}, {stride})" +
            (padding != 0 ? $", padding=({padding}, {padding})" : "") + (bias is null ? ", bias=False" : "");
    }

    /// <summary>Fully connected layer y = x·Wᵀ + b.</summary>
    public sealed class Linear : nn.Module<Tensor, Tensor>
    {
        public long in_features { get; }
        public long out_features { get; }
        public nn.Parameter weight { get; }
        public nn.Parameter? bias { get; }

        public Linear(long in_features, long out_features, bool bias) : base(nameof(Linear))
        {
            (this.in_features, this.out_features) = (in_features, out_features);
            using var scope = NewDisposeScope();
            weight = register_parameter("weight", new nn.Parameter(empty(out_features, in_features)))!;
            this.bias = register_parameter("bias", bias ? new nn.Parameter(empty(out_features)) : null);
            nn.init.ResetConvLinear(weight, this.bias, in_features);
        }

        public override Tensor forward(Tensor input) => F.linear(input, weight, bias);

        protected override string ExtraRepr() => $"in_features={in_features}, out_features={out_features}, bias={(bias is not null ? "True" : "False")}";
    }
}

namespace Lib.Torch
{
    // The factories, spelled as in TorchSharp (torch.nn.Conv2d(...)). PyTorch's defaults are stated here only:
    // the constructors above take every argument.
    public static partial class torch
    {
        public static partial class nn
        {
            public static Conv2d Conv2d(long in_channels, long out_channels, long kernel_size, long stride = 1, long padding = 0,
                long dilation = 1, long groups = 1, bool bias = true, PaddingModes padding_mode = PaddingModes.Zeros) =>
                new(in_channels, out_channels, kernel_size, stride, padding, dilation, groups, bias, padding_mode);

            public static ConvTranspose2d ConvTranspose2d(long in_channels, long out_channels, long kernel_size, long stride = 1,
                long padding = 0, long output_padding = 0, long groups = 1, bool bias = true, long dilation = 1) =>
                new(in_channels, out_channels, kernel_size, stride, padding, output_padding, groups, bias, dilation);

            public static Linear Linear(long in_features, long out_features, bool bias = true) => new(in_features, out_features, bias);
        }
    }
}
