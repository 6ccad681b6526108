using Lib.Torch.Optimizers;

namespace Lib.Torch;

// torch.optim.Adam(...) and friends, spelled as in TorchSharp; the classes live in Lib.Torch.Optimizers.
public static partial class torch
{
    public static partial class optim
    {
        public static Adam Adam(IEnumerable<nn.Parameter> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
            double eps = 1e-8, double weight_decay = 0, bool amsgrad = false) =>
            new(parameters, lr, beta1, beta2, eps, weight_decay, amsgrad);

        public static SGD SGD(IEnumerable<nn.Parameter> parameters, double lr, double momentum = 0, double dampening = 0,
            double weight_decay = 0, bool nesterov = false) =>
            new(parameters, lr, momentum, dampening, weight_decay, nesterov);

        public static partial class lr_scheduler
        {
            public static StepLR StepLR(Optimizer optimizer, int step_size, double gamma = 0.1) => new(optimizer, step_size, gamma);

            public static LinearLR LinearLR(Optimizer optimizer, double start_factor = 1.0 / 3, double end_factor = 1.0, int total_iters = 5) =>
                new(optimizer, start_factor, end_factor, total_iters);

            public static LambdaLR LambdaLR(Optimizer optimizer, Func<int, double> lr_lambda) => new(optimizer, lr_lambda);

            /// <summary>pix2pix's "linear" policy: factor 1 for n_epochs, then 1 - (epoch + 1 - n_epochs)/(n_epochs_decay + 1).</summary>
            public static LambdaLR LinearDecay(Optimizer optimizer, int n_epochs, int n_epochs_decay) =>
                new(optimizer, epoch => 1.0 - Math.Max(0, epoch + 1 - n_epochs) / (double)(n_epochs_decay + 1));
        }
    }
}
