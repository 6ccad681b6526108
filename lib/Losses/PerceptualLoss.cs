using Lib.Models;
using Lib.Torch;
using static Lib.Torch.torch;
using F = Lib.Torch.torch.nn.functional;

namespace Lib.Losses;

/// <summary>
/// SRGAN's VGG loss: the MSE between VGG19 features of the prediction and of the target at one layer
/// (relu5_4 by default), features divided by 12.75 as in Ledig et al. (it brings the loss to the scale
/// of the pixel MSE), inputs in [0, 1] normalized with ImageNet's mean and std. The network is frozen.
/// Its weights are pretrained ImageNet weights the user supplies (see <see cref="WeightsVariable"/>);
/// without them the loss refuses to run, since random features measure nothing.
/// </summary>
public sealed class PerceptualLoss : IDisposable
{
    /// <summary>The environment variable naming the torchvision-format VGG19 .safetensors file.</summary>
    public const string WeightsVariable = "LIB_VGG19_WEIGHTS";

    public const double FeatureScale = 1 / 12.75;

    private readonly Vgg19 _vgg;
    private readonly Tensor _mean, _std;

    /// <param name="weightsPath">The file; null reads <see cref="WeightsVariable"/>.</param>
    public PerceptualLoss(string? weightsPath = null, string layer = "relu5_4")
    {
        var path = weightsPath ?? Environment.GetEnvironmentVariable(WeightsVariable);
        if (string.IsNullOrEmpty(path))
            throw new InvalidOperationException(
                $"the VGG19 perceptual loss needs pretrained weights: set {WeightsVariable} (or pass weightsPath) to a torchvision-format " +
                "vgg19 .safetensors file, made by tools/export_vgg19.py on a machine with torchvision and internet");
        _vgg = new Vgg19(layer);
        _vgg.load_torchvision(path);
        _vgg.eval();
        foreach (var p in _vgg.parameters()) p.requires_grad = false;
        _mean = tensor(new float[] { 0.485f, 0.456f, 0.406f }, [1, 3, 1, 1]).DetachFromDisposeScope();
        _std = tensor(new float[] { 0.229f, 0.224f, 0.225f }, [1, 3, 1, 1]).DetachFromDisposeScope();
    }

    public Vgg19 Network => _vgg;

    /// <summary>Moves the network (in place, as Module.to) to where the images will be; returns this.</summary>
    public PerceptualLoss to(Device device)
    {
        _vgg.to(device);
        return this;
    }

    /// <summary>MSE between scaled VGG features of prediction and target (N×3×H×W in [0, 1]).</summary>
    public Tensor call(Tensor prediction, Tensor target)
    {
        using var scope = NewDisposeScope();
        var (mean, std) = (_mean.to(prediction.device), _std.to(prediction.device));
        var fp = _vgg.call((prediction - mean) / std) * FeatureScale;
        Tensor ft;
        using (no_grad()) ft = _vgg.call((target - mean) / std) * FeatureScale;
        return F.mse_loss(fp, ft).MoveToOuterDisposeScope();
    }

    public void Dispose()
    {
        _vgg.Dispose();
        _mean.Dispose();
        _std.Dispose();
    }
}
