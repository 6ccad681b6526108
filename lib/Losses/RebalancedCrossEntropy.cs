using Lib.Imaging;
using Lib.Torch;
using static Lib.Torch.torch;
using F = Lib.Torch.torch.nn.functional;

namespace Lib.Losses;

/// <summary>
/// ECCV16's classification loss (Zhang, Isola, Efros 2016, eq. 2): the multinomial cross-entropy between
/// the predicted bin distribution and the soft-encoded truth Z, each pixel weighted by the rebalancing
/// weight of its most likely true bin (the argmax of Z, i.e. its nearest bin):
/// L = −mean over pixels of w[argmax Z] · Σ_q Z_q · log softmax(logits)_q. The paper sums over pixels; the
/// mean keeps the scale independent of batch and image size. (The authors' Caffe net also zeroes the loss
/// of grayscale photos; here the data preparation leaves them out: PrepareOptions.ExcludeGrayscale.)
/// </summary>
public sealed class RebalancedCrossEntropy
{
    public AbGamut gamut { get; }

    /// <summary>Null: every pixel weighs 1 (the paper's λ = 1 ablation).</summary>
    public ClassRebalancing? rebalancing { get; }

    public int neighbours { get; }
    public double sigma { get; }

    public RebalancedCrossEntropy(AbGamut gamut, ClassRebalancing? rebalancing = null, int neighbours = SoftEncoding.Neighbours, double sigma = SoftEncoding.Sigma)
    {
        if (rebalancing is not null && rebalancing.gamut.count != gamut.count)
            throw new ArgumentException($"the rebalancing weights are for {rebalancing.gamut.count} bins, the gamut has {gamut.count}", nameof(rebalancing));
        (this.gamut, this.rebalancing, this.neighbours, this.sigma) = (gamut, rebalancing, neighbours, sigma);
    }

    /// <summary>
    /// logits: N×Q×h×w (before the softmax). ab: the truth in network scale, N×2×h×w or an integer multiple
    /// of that size, then taken every f-th pixel as the authors' training net does (data_ab_ss, a stride-4
    /// subsampling for ECCV16's 1/4-resolution output). Returns a 0-d tensor.
    /// </summary>
    public Tensor call(Tensor logits, Tensor ab)
    {
        var ls = logits.shape;
        if (ls.Length != 4 || ls[1] != gamut.count)
            throw new ArgumentException($"the rebalanced cross-entropy needs logits N×{gamut.count}×h×w (one channel per bin of {gamut}); got [{string.Join(", ", ls)}]");
        using var scope = NewDisposeScope();
        var target = AtOutputSize(ab, ls);
        var (indices, z) = SoftEncoding.nearest(target, gamut, neighbours, sigma);
        var perPixel = (F.log_softmax(logits, 1).gather(1, indices) * z).sum(1);
        if (rebalancing is not null)
        {
            var nearest = indices.narrow(1, 0, 1).flatten();
            perPixel = perPixel * rebalancing.weights_tensor(logits.device).index_select(0, nearest).view(ls[0], ls[2], ls[3]);
        }
        return (-perPixel.mean()).MoveToOuterDisposeScope();
    }

    private static Tensor AtOutputSize(Tensor ab, long[] ls)
    {
        var s = ab.shape;
        if (s.Length == 4 && s[1] == 2 && s[0] == ls[0] && s[2] % ls[2] == 0 && s[3] % ls[3] == 0 && s[2] / ls[2] == s[3] / ls[3])
        {
            var f = s[2] / ls[2];
            return f == 1 ? ab.alias() : ab.slice(2, 0, s[2], f).slice(3, 0, s[3], f);
        }
        throw new ArgumentException(
            $"the truth ab must be N×2×H×W with the logits' N and H×W an integer multiple of their h×w = {ls[2]}×{ls[3]}; got ab [{string.Join(", ", s)}] for logits [{string.Join(", ", ls)}]");
    }
}
