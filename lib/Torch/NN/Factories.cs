using Lib.Torch.Modules;

namespace Lib.Torch;

// torch.nn.Conv2d(...) and friends, spelled as in TorchSharp; the classes live in Lib.Torch.Modules.
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

        public static BatchNorm2d BatchNorm2d(long num_features, double eps = 1e-5, double momentum = 0.1, bool affine = true, bool track_running_stats = true) =>
            new(num_features, eps, momentum, affine, track_running_stats);

        public static InstanceNorm2d InstanceNorm2d(long num_features, double eps = 1e-5, double momentum = 0.1, bool affine = false, bool track_running_stats = false) =>
            new(num_features, eps, momentum, affine, track_running_stats);

        public static ReLU ReLU(bool inplace = false) => new(inplace);
        public static LeakyReLU LeakyReLU(double negative_slope = 0.01, bool inplace = false) => new(negative_slope, inplace);
        public static PReLU PReLU(long num_parameters = 1, double init = 0.25) => new(num_parameters, init);
        public static Tanh Tanh() => new();
        public static Sigmoid Sigmoid() => new();
        public static Identity Identity() => new();
        public static Flatten Flatten(long start_dim = 1, long end_dim = -1) => new(start_dim, end_dim);
        public static Dropout Dropout(double p = 0.5) => new(p);
        public static MaxPool2d MaxPool2d(long kernel_size, long? stride = null, long padding = 0) => new(kernel_size, stride, padding);
        public static AvgPool2d AvgPool2d(long kernel_size, long? stride = null, long padding = 0, bool count_include_pad = true) => new(kernel_size, stride, padding, count_include_pad);
        public static AdaptiveAvgPool2d AdaptiveAvgPool2d(long output_size) => new(output_size);
        public static Upsample Upsample((long, long)? size = null, double? scale_factor = null, UpsampleMode mode = UpsampleMode.Nearest, bool? align_corners = null) =>
            new(size, scale_factor, mode, align_corners);
        public static PixelShuffle PixelShuffle(long upscale_factor) => new(upscale_factor);
        public static Sequential Sequential(params Module<Tensor, Tensor>[] modules) => new(modules);
        public static Sequential Sequential(params (string name, Module<Tensor, Tensor> module)[] modules) => new(modules);
        public static ModuleList<T> ModuleList<T>(params T[] modules) where T : Module => new(modules);

        public static L1Loss L1Loss(Reduction reduction = Reduction.Mean) => new(reduction);
        public static MSELoss MSELoss(Reduction reduction = Reduction.Mean) => new(reduction);
        public static BCELoss BCELoss(Tensor? weight = null, Reduction reduction = Reduction.Mean) => new(weight, reduction);
        public static BCEWithLogitsLoss BCEWithLogitsLoss(Tensor? weight = null, Reduction reduction = Reduction.Mean, Tensor? pos_weight = null) =>
            new(weight, reduction, pos_weight);
    }
}
