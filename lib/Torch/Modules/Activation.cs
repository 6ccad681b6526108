using Lib.Torch.Modules;
using static Lib.Torch.torch;
using F = Lib.Torch.torch.nn.functional;

namespace Lib.Torch.Modules
{
    public sealed class ReLU(bool inplace) : nn.Module<Tensor, Tensor>(nameof(ReLU))
    {
        public override Tensor forward(Tensor input) => F.relu(input, inplace);
        protected override string ExtraRepr() => inplace ? "inplace=True" : "";
    }

    public sealed class LeakyReLU(double negative_slope, bool inplace) : nn.Module<Tensor, Tensor>(nameof(LeakyReLU))
    {
        public double negative_slope { get; } = negative_slope;
        public override Tensor forward(Tensor input) => F.leaky_relu(input, negative_slope, inplace);
        protected override string ExtraRepr() => $"negative_slope={negative_slope}" + (inplace ? ", inplace=True" : "");
    }

    /// <summary>Leaky ReLU with a learned slope (SRGAN's activation); one slope, or one per channel.</summary>
    public sealed class PReLU : nn.Module<Tensor, Tensor>
    {
        public nn.Parameter weight { get; }

        public PReLU(long num_parameters, double init) : base(nameof(PReLU))
        {
            using var scope = NewDisposeScope();
            weight = register_parameter("weight", new nn.Parameter(full([num_parameters], init, float32)))!;
        }

        public override Tensor forward(Tensor input) => F.prelu(input, weight);
        protected override string ExtraRepr() => $"num_parameters={weight.numel()}";
    }

    public sealed class Tanh() : nn.Module<Tensor, Tensor>(nameof(Tanh))
    {
        public override Tensor forward(Tensor input) => input.tanh();
    }

    public sealed class Sigmoid() : nn.Module<Tensor, Tensor>(nameof(Sigmoid))
    {
        public override Tensor forward(Tensor input) => input.sigmoid();
    }

    public sealed class Identity() : nn.Module<Tensor, Tensor>(nameof(Identity))
    {
        public override Tensor forward(Tensor input) => input.alias();
    }

    public sealed class Flatten(long start_dim, long end_dim) : nn.Module<Tensor, Tensor>(nameof(Flatten))
    {
        public override Tensor forward(Tensor input) => input.flatten(start_dim, end_dim);
    }

    /// <summary>Zeroes elements with probability p in training (scaling the rest by 1/(1-p)); identity in eval.</summary>
    public sealed class Dropout(double p) : nn.Module<Tensor, Tensor>(nameof(Dropout))
    {
        public double p { get; } = p is >= 0 and <= 1 ? p : throw new ArgumentOutOfRangeException(nameof(p), p, "dropout probability has to be between 0 and 1");
        public override Tensor forward(Tensor input) => training && p > 0 ? F.dropout(input, p, true) : input.alias();
        protected override string ExtraRepr() => $"p={p}";
    }
}

namespace Lib.Torch
{
    // The factories, spelled as in TorchSharp (torch.nn.ReLU(...)). PyTorch's defaults are stated here only:
    // the constructors above take every argument.
    public static partial class torch
    {
        public static partial class nn
        {
            public static ReLU ReLU(bool inplace = false) => new(inplace);
            public static LeakyReLU LeakyReLU(double negative_slope = 0.01, bool inplace = false) => new(negative_slope, inplace);
            public static PReLU PReLU(long num_parameters = 1, double init = 0.25) => new(num_parameters, init);
            public static Tanh Tanh() => new();
            public static Sigmoid Sigmoid() => new();
            public static Identity Identity() => new();
            public static Flatten Flatten(long start_dim = 1, long end_dim = -1) => new(start_dim, end_dim);
            public static Dropout Dropout(double p = 0.5) => new(p);
        }
    }
}
