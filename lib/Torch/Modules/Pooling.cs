using Lib.Torch.Modules;
using static Lib.Torch.torch;
using F = Lib.Torch.torch.nn.functional;

namespace Lib.Torch.Modules
{
    public sealed class MaxPool2d(long kernel_size, long? stride, long padding) : nn.Module<Tensor, Tensor>(nameof(MaxPool2d))
    {
        public override Tensor forward(Tensor input) =>
            F.max_pool2d(input, (kernel_size, kernel_size), (stride ?? kernel_size, stride ?? kernel_size), (padding, padding));
        protected override string ExtraRepr() => $"kernel_size={kernel_size}, stride={stride ?? kernel_size}, padding={padding}";
    }

    public sealed class AvgPool2d(long kernel_size, long? stride, long padding, bool count_include_pad) : nn.Module<Tensor, Tensor>(nameof(AvgPool2d))
    {
        public override Tensor forward(Tensor input) =>
            F.avg_pool2d(input, (kernel_size, kernel_size), (stride ?? kernel_size, stride ?? kernel_size), (padding, padding), false, count_include_pad);
        protected override string ExtraRepr() => $"kernel_size={kernel_size}, stride={stride ?? kernel_size}, padding={padding}";
    }

    public sealed class AdaptiveAvgPool2d(long height, long width) : nn.Module<Tensor, Tensor>(nameof(AdaptiveAvgPool2d))
    {
        public AdaptiveAvgPool2d(long size) : this(size, size) { }
        public override Tensor forward(Tensor input) => F.adaptive_avg_pool2d(input, (height, width));
        protected override string ExtraRepr() => $"output_size=({height}, {width})";
    }
}

namespace Lib.Torch
{
    // The factories, spelled as in TorchSharp (torch.nn.MaxPool2d(...)). PyTorch's defaults are stated here only:
    // the constructors above take every argument.
    public static partial class torch
    {
        public static partial class nn
        {
            public static MaxPool2d MaxPool2d(long kernel_size, long? stride = null, long padding = 0) => new(kernel_size, stride, padding);
            public static AvgPool2d AvgPool2d(long kernel_size, long? stride = null, long padding = 0, bool count_include_pad = true) => new(kernel_size, stride, padding, count_include_pad);
            public static AdaptiveAvgPool2d AdaptiveAvgPool2d(long output_size) => new(output_size);
        }
    }
}
