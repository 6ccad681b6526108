using Lib.Imaging;
using Lib.Metrics;
using Lib.Torch;
using static Lib.Torch.torch;

namespace Lib.Training;

/// <summary>Validation scores of a colorizer: L1 on ab (network scale), PSNR and SSIM on RGB.</summary>
public sealed record ColorizationScores(double L1, double Psnr, double Ssim, int Images)
{
    /// <summary>Sums per-image scores over batches.</summary>
    public sealed class Accumulator
    {
        private double _l1, _psnr, _ssim;
        private int _n;

        public void Add(Tensor l, Tensor ab, Tensor predictedAb)
        {
            using var scope = NewDisposeScope();
            var n = (int)l.size(0);
            var truth = Lab.from_network(l, ab);
            var pred = Lab.from_network(l, predictedAb);
            _l1 += (predictedAb - ab).abs().mean([1, 2, 3]).sum().item<double>();
            // Identical images have infinite PSNR; cap at 100 dB so one flat tile cannot dominate the mean.
            _psnr += Metrics.Psnr.psnr(pred, truth).clamp(max: 100).sum().item<double>();
            _ssim += Metrics.Ssim.ssim(pred, truth).sum().item<double>();
            _n += n;
        }

        public ColorizationScores Result() => _n == 0
            ? throw new InvalidOperationException("no validation images")
            : new(_l1 / _n, _psnr / _n, _ssim / _n, _n);
    }
}
