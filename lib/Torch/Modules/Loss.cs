using Lib.Torch.Modules;
using static Lib.Torch.torch;
using F = Lib.Torch.torch.nn.functional;

namespace Lib.Torch.Modules
{
    public sealed class L1Loss(nn.Reduction reduction) : nn.Module<Tensor, Tensor, Tensor>(nameof(L1Loss))
    {
        public override Tensor forward(Tensor input, Tensor target) => F.l1_loss(input, target, reduction);
    }

    public sealed class MSELoss(nn.Reduction reduction) : nn.Module<Tensor, Tensor, Tensor>(nameof(MSELoss))
    {
        public override Tensor forward(Tensor input, Tensor target) => F.mse_loss(input, target, reduction);
    }

    /// <summary>Binary cross-entropy on probabilities (after a sigmoid).</summary>
    public sealed class BCELoss(Tensor? weight, nn.Reduction reduction) : nn.Module<Tensor, Tensor, Tensor>(nameof(BCELoss))
    {
        public override Tensor forward(Tensor input, Tensor target) => F.binary_cross_entropy(input, target, weight, reduction);
    }

    /// <summary>Binary cross-entropy on logits: numerically safer than Sigmoid + BCELoss (the GAN loss of pix2pix's "vanilla" mode).</summary>
    public sealed class BCEWithLogitsLoss(Tensor? weight, nn.Reduction reduction, Tensor? pos_weight)
        : nn.Module<Tensor, Tensor, Tensor>(nameof(BCEWithLogitsLoss))
    {
        public override Tensor forward(Tensor input, Tensor target) => F.binary_cross_entropy_with_logits(input, target, weight, reduction, pos_weight);
    }
}

namespace Lib.Torch
{
    // The factories, spelled as in TorchSharp (torch.nn.L1Loss(...)). PyTorch's defaults are stated here only:
    // the constructors above take every argument.
    public static partial class torch
    {
        public static partial class nn
        {
            public static L1Loss L1Loss(Reduction reduction = Reduction.Mean) => new(reduction);
            public static MSELoss MSELoss(Reduction reduction = Reduction.Mean) => new(reduction);
            public static BCELoss BCELoss(Tensor? weight = null, Reduction reduction = Reduction.Mean) => new(weight, reduction);

            public static BCEWithLogitsLoss BCEWithLogitsLoss(Tensor? weight = null, Reduction reduction = Reduction.Mean, Tensor? pos_weight = null) =>
                new(weight, reduction, pos_weight);
        }
    }
}
