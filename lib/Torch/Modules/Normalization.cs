using Lib.Torch.Modules;
using static Lib.Torch.torch;
using F = Lib.Torch.torch.nn.functional;

namespace Lib.Torch.Modules
{
    /// <summary>
    /// What batch and instance normalization share (PyTorch's _NormBase): the per-channel affine parameters and the
    /// running statistics, registered under PyTorch's keys (weight, bias, running_mean, running_var, num_batches_tracked).
    /// </summary>
    public abstract class NormBase : nn.Module<Tensor, Tensor>
    {
        public long num_features { get; }
        public double eps { get; }
        public double momentum { get; }
        public nn.Parameter? weight { get; }
        public nn.Parameter? bias { get; }
        public Tensor? running_mean { get; }
        public Tensor? running_var { get; }
        public Tensor? num_batches_tracked { get; }

        protected NormBase(string name, long num_features, double eps, double momentum, bool affine, bool track_running_stats) : base(name)
        {
            (this.num_features, this.eps, this.momentum) = (num_features, eps, momentum);
            using var scope = NewDisposeScope();
            weight = register_parameter("weight", affine ? new nn.Parameter(ones(num_features)) : null);
            bias = register_parameter("bias", affine ? new nn.Parameter(zeros(num_features)) : null);
            running_mean = register_buffer("running_mean", track_running_stats ? zeros(num_features) : null);
            running_var = register_buffer("running_var", track_running_stats ? ones(num_features) : null);
            num_batches_tracked = register_buffer("num_batches_tracked", track_running_stats ? zeros([], int64) : null);
        }

        protected override string ExtraRepr() => $"{num_features}, eps={eps}, momentum={momentum}, affine={(weight is not null ? "True" : "False")}";
    }

    /// <summary>Batch normalization over N×C×H×W.</summary>
    public sealed class BatchNorm2d : NormBase
    {
        public BatchNorm2d(long num_features, double eps, double momentum, bool affine, bool track_running_stats)
            : base(nameof(BatchNorm2d), num_features, eps, momentum, affine, track_running_stats) { }

        public override Tensor forward(Tensor input)
        {
            if (input.dim() != 4)
                throw new ArgumentException($"BatchNorm2d expected 4D input (got {input.dim()}D input of shape [{string.Join(", ", input.shape)}])");
            var useBatchStats = training || running_mean is null;
            if (training && num_batches_tracked is not null)
                using (no_grad()) num_batches_tracked.add_(1);
            return F.batch_norm(input, running_mean, running_var, weight, bias, useBatchStats, momentum, eps);
        }
    }

    /// <summary>Instance normalization (pix2pix's norm_layer option); by default no affine and no running stats, as PyTorch.</summary>
    public sealed class InstanceNorm2d : NormBase
    {
        public InstanceNorm2d(long num_features, double eps, double momentum, bool affine, bool track_running_stats)
            : base(nameof(InstanceNorm2d), num_features, eps, momentum, affine, track_running_stats) { }

        public override Tensor forward(Tensor input) =>
            F.instance_norm(input, running_mean, running_var, weight, bias, training || running_mean is null, momentum, eps);
    }
}

namespace Lib.Torch
{
    // The factories, spelled as in TorchSharp (torch.nn.BatchNorm2d(...)). PyTorch's defaults are stated here only:
    // the constructors above take every argument.
    public static partial class torch
    {
        public static partial class nn
        {
            public static BatchNorm2d BatchNorm2d(long num_features, double eps = 1e-5, double momentum = 0.1, bool affine = true, bool track_running_stats = true) =>
                new(num_features, eps, momentum, affine, track_running_stats);

            public static InstanceNorm2d InstanceNorm2d(long num_features, double eps = 1e-5, double momentum = 0.1, bool affine = false, bool track_running_stats = false) =>
                new(num_features, eps, momentum, affine, track_running_stats);
        }
    }
}
