using Lib.Torch;
using Lib.Torch.Modules;
using static Lib.Torch.torch;
using F = Lib.Torch.torch.nn.functional;

namespace Lib.Models;

/// <summary>
/// The iterative coarse-to-fine colorizer of one of the course's sources: colorize at a small scale s,
/// upsample the prediction ×2, concatenate it to the next scale's input, repeat at 2s, 4s, … up to the
/// input's size. The input at scale k is L averaged down to that scale ++ the previous scale's ab upsampled
/// bilinearly ×2 (zeros at the first scale); a fully convolutional colorizer (3 channels in, ab out) maps it
/// to that scale's ab.
/// By default one colorizer serves every scale (shared weights): the source applies "the colorizer"
/// iteratively, and a shared net is what lets it run at any number of scales, i.e. on larger photos than
/// it was trained on. One net per scale is a constructor option.
/// <see cref="forward_scales"/> returns every scale's prediction (a loss at the end only, or at every scale);
/// with the truth given it feeds the downscaled truth instead of the previous prediction (teacher forcing,
/// for training each iteration on its own).
/// </summary>
public sealed class CoarseToFine : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor>? colorizer;
    private readonly ModuleList<nn.Module<Tensor, Tensor>>? colorizers;

    public int num_scales { get; }
    public bool shared_weights => colorizer is not null;

    /// <summary>One colorizer applied at every one of <paramref name="num_scales"/> scales.</summary>
    public CoarseToFine(nn.Module<Tensor, Tensor> colorizer, int num_scales) : base(nameof(CoarseToFine))
    {
        if (num_scales < 1) throw new ArgumentOutOfRangeException(nameof(num_scales), num_scales, "the coarse-to-fine colorizer needs at least one scale");
        this.num_scales = num_scales;
        this.colorizer = register_module("colorizer", colorizer);
    }

    /// <summary>One colorizer per scale, coarsest first.</summary>
    public CoarseToFine(IReadOnlyList<nn.Module<Tensor, Tensor>> colorizers) : base(nameof(CoarseToFine))
    {
        if (colorizers.Count < 1) throw new ArgumentException("the coarse-to-fine colorizer needs at least one scale", nameof(colorizers));
        num_scales = colorizers.Count;
        this.colorizers = register_module("colorizers", new ModuleList<nn.Module<Tensor, Tensor>>(colorizers.ToArray()));
    }

    /// <summary>With <see cref="FcnColorizer"/>(3 → 2, channels, depth) as the colorizer(s).</summary>
    public static CoarseToFine WithFcn(int num_scales = 3, bool shared_weights = true, long channels = 32, int depth = 2) =>
        shared_weights
            ? new CoarseToFine(new FcnColorizer(3, 2, channels, depth), num_scales)
            : new CoarseToFine(Enumerable.Range(0, num_scales).Select(_ => (nn.Module<Tensor, Tensor>)new FcnColorizer(3, 2, channels, depth)).ToList());

    /// <summary>The colorizer of scale k (0 = coarsest).</summary>
    public nn.Module<Tensor, Tensor> at_scale(int k) => colorizer ?? colorizers![k];

    /// <summary>L (N×1×H×W, network scale) → ab (N×2×H×W): the finest scale's prediction.</summary>
    public override Tensor forward(Tensor L)
    {
        using var scope = NewDisposeScope();
        return forward_scales(L)[^1].MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Every scale's ab, coarsest (H/2^(n−1)) first, finest (H) last. With <paramref name="truth"/> (N×2×H×W,
    /// network scale), scale k's input carries the truth at scale k − 1 instead of the prediction.
    /// H and W must be multiples of 2^(n−1) times the colorizer's own stride. The tensors belong to the
    /// enclosing dispose scope (or, outside any, to the caller).
    /// </summary>
    public IReadOnlyList<Tensor> forward_scales(Tensor L, Tensor? truth = null)
    {
        var s = L.shape;
        var coarsest = 1L << (num_scales - 1);
        if (s.Length != 4 || s[1] != 1 || s[2] % coarsest != 0 || s[3] % coarsest != 0)
            throw new ArgumentException($"the coarse-to-fine colorizer with {num_scales} scales needs L as N×1×H×W with H and W multiples of {coarsest}; got [{string.Join(", ", s)}]");
        if (truth is not null && !(truth.dim() == 4 && truth.size(0) == s[0] && truth.size(1) == 2 && truth.size(2) == s[2] && truth.size(3) == s[3]))
            throw new ArgumentException($"teacher forcing needs the truth ab as N×2×H×W like L [{string.Join(", ", s)}]; got [{string.Join(", ", truth.shape)}]");
        using var scope = NewDisposeScope();
        var predictions = new List<Tensor>(num_scales);
        Tensor? previous = null;
        for (var k = 0; k < num_scales; k++)
        {
            var f = 1 << (num_scales - 1 - k);
            var l = downscale(L, f);
            Tensor prior;
            if (previous is null) prior = zeros([s[0], 2, l.size(2), l.size(3)], L.dtype, L.device);
            else
            {
                var source = truth is null ? previous : downscale(truth, 2 * f);
                prior = F.interpolate(source, scale_factor: 2, mode: nn.UpsampleMode.Bilinear, align_corners: false);
            }
            previous = at_scale(k).call(cat([l, prior], 1));
            predictions.Add(previous);
        }
        foreach (var p in predictions) p.MoveToOuterDisposeScope();
        return predictions;
    }

    /// <summary>Area downscaling by an integer factor (the mean of each f×f block); factor 1 is the tensor itself.</summary>
    public static Tensor downscale(Tensor x, int factor) => factor == 1 ? x.alias() : F.avg_pool2d(x, (factor, factor));
}
