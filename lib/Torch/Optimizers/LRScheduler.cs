using Lib.Torch.Optimizers;
using static Lib.Torch.torch;

namespace Lib.Torch.Optimizers
{
    /// <summary>
    /// Sets the optimizer's learning rate from the epoch count: call step() once per epoch,
    /// after the optimizer's steps, as in PyTorch. The rate is computed in closed form, so it
    /// does not drift and a resumed run can jump to any epoch.
    /// </summary>
    public abstract class LRScheduler
    {
        protected LRScheduler(Optimizer optimizer)
        {
            this.optimizer = optimizer;
            base_lr = optimizer.initial_lr;
            optimizer.lr = base_lr * Factor(0);
        }

        public Optimizer optimizer { get; }
        public double base_lr { get; }
        public int last_epoch { get; private set; }

        public double get_last_lr() => optimizer.lr;

        public void step()
        {
            last_epoch++;
            optimizer.lr = base_lr * Factor(last_epoch);
        }

        /// <summary>Moves to a given epoch (resuming a run).</summary>
        public void set_epoch(int epoch)
        {
            last_epoch = epoch;
            optimizer.lr = base_lr * Factor(epoch);
        }

        /// <summary>Multiplier of the initial learning rate at an epoch.</summary>
        protected abstract double Factor(int epoch);
    }

    /// <summary>Multiplies the rate by gamma every step_size epochs.</summary>
    public sealed class StepLR(Optimizer optimizer, int step_size, double gamma) : LRScheduler(optimizer)
    {
        protected override double Factor(int epoch) => Math.Pow(gamma, epoch / Math.Max(1, step_size));
    }

    /// <summary>Moves the factor linearly from start_factor to end_factor over total_iters epochs, then holds it.</summary>
    public sealed class LinearLR(Optimizer optimizer, double start_factor, double end_factor, int total_iters)
        : LRScheduler(optimizer)
    {
        protected override double Factor(int epoch) =>
            start_factor + (end_factor - start_factor) * Math.Min(epoch, total_iters) / total_iters;
    }

    /// <summary>
    /// Any rule of the epoch, e.g. pix2pix's "linear" policy: constant for n_epochs, then linear
    /// decay to zero over n_epochs_decay (see <see cref="torch.optim.lr_scheduler.LinearDecay"/>).
    /// </summary>
    public sealed class LambdaLR(Optimizer optimizer, Func<int, double> lr_lambda) : LRScheduler(optimizer)
    {
        protected override double Factor(int epoch) => lr_lambda(epoch);
    }
}

namespace Lib.Torch
{
    // The factories, spelled as in TorchSharp (torch.optim.lr_scheduler.StepLR(...)). PyTorch's defaults are stated
    // here only: the constructors above take every argument.
    public static partial class torch
    {
        public static partial class optim
        {
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
}
