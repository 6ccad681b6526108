using Lib.Models;
using Lib.Torch;
using static Lib.Torch.torch;
using F = Lib.Torch.torch.nn.functional;

namespace Lib.Losses;

/// <summary>
/// A VGG19 feature loss: Σ over (layer, weight) of weight · distance(VGG19 features of the prediction,
/// of the target) at that layer, features divided by 12.75 as in Ledig et al. (it brings SRGAN's MSE to the
/// scale of the pixel MSE), inputs in [0, 1] normalized with ImageNet's mean and std. The network is frozen.
/// One layer with the MSE (relu5_4 by default) is SRGAN's VGG loss; several layers and the L1 distance make
/// the content loss of the colorization sources. Its weights are pretrained ImageNet weights the user
/// supplies (see <see cref="WeightsVariable"/>); without them the loss refuses to run, since random features
/// measure nothing.
/// </summary>
public sealed class PerceptualLoss : IDisposable
{
    /// <summary>The environment variable naming the torchvision-format VGG19 .safetensors file.</summary>
    public const string WeightsVariable = "LIB_VGG19_WEIGHTS";

    public const double FeatureScale = 1 / 12.75;

    private readonly Vgg19 _vgg;
    private readonly Tensor _mean, _std;
    private readonly (string layer, double weight)[] _layers;

    /// <summary>SRGAN's VGG loss: the MSE at one layer, weight 1.</summary>
    /// <param name="weightsPath">The file; null reads <see cref="WeightsVariable"/>.</param>
    /// <param name="layer">A name from <see cref="Vgg19.Layers"/>.</param>
    public PerceptualLoss(string? weightsPath = null, string layer = "relu5_4") : this(weightsPath, [(layer, 1.0)]) { }

    /// <param name="weightsPath">The file; null reads <see cref="WeightsVariable"/>.</param>
    /// <param name="layers">(name from <see cref="Vgg19.Layers"/>, weight) pairs; the terms are summed.</param>
    /// <param name="distance">MSE (SRGAN) or L1.</param>
    /// <param name="featureScale">Multiplies the features before the distance (SRGAN's 1/12.75).</param>
    public PerceptualLoss(string? weightsPath, IReadOnlyList<(string layer, double weight)> layers, FeatureDistance distance = FeatureDistance.MSE,
        double featureScale = FeatureScale)
    {
        if (layers.Count == 0) throw new ArgumentException($"the perceptual loss needs at least one (layer, weight) pair; layers are {string.Join(", ", Vgg19.Layers.Keys)}", nameof(layers));
        var path = weightsPath ?? Environment.GetEnvironmentVariable(WeightsVariable);
        if (string.IsNullOrEmpty(path))
            throw new InvalidOperationException(
                $"the VGG19 perceptual loss needs pretrained weights: set {WeightsVariable} (or pass weightsPath) to a torchvision-format " +
                "vgg19 .safetensors file, made by tools/export_vgg19.py on a machine with torchvision and internet");
        _layers = layers.ToArray();
        this.distance = distance;
        feature_scale = featureScale;
        _vgg = new Vgg19(_layers.Select(l => l.layer).ToArray());
        _vgg.load_torchvision(path);
        _vgg.eval();
        foreach (var p in _vgg.parameters()) p.requires_grad = false;
        _mean = tensor(new float[] { 0.485f, 0.456f, 0.406f }, [1, 3, 1, 1]).DetachFromDisposeScope();
        _std = tensor(new float[] { 0.229f, 0.224f, 0.225f }, [1, 3, 1, 1]).DetachFromDisposeScope();
    }

    public Vgg19 Network => _vgg;

    /// <summary>The (layer, weight) terms.</summary>
    public IReadOnlyList<(string layer, double weight)> layers => _layers;

    public FeatureDistance distance { get; }

    public double feature_scale { get; }

    /// <summary>Moves the network (in place, as Module.to) to where the images will be; returns this.</summary>
    public PerceptualLoss to(Device device)
    {
        _vgg.to(device);
        return this;
    }

    /// <summary>The weighted sum of feature distances between prediction and target (N×3×H×W in [0, 1]); a 0-d tensor.</summary>
    public Tensor call(Tensor prediction, Tensor target)
    {
        using var scope = NewDisposeScope();
        var (mean, std) = (_mean.to(prediction.device), _std.to(prediction.device));
        var fp = _vgg.forward_layers((prediction - mean) / std);
        IReadOnlyList<Tensor> ft;
        using (no_grad()) ft = _vgg.forward_layers((target - mean) / std);
        Tensor? total = null;
        for (var i = 0; i < _layers.Length; i++)
        {
            var (a, b) = (fp[i] * feature_scale, ft[i] * feature_scale);
            var term = distance == FeatureDistance.MSE ? F.mse_loss(a, b) : F.l1_loss(a, b);
            if (_layers[i].weight != 1) term = term * _layers[i].weight;
            total = total is null ? term : total + term;
        }
        return total!.MoveToOuterDisposeScope();
    }

    public void Dispose()
    {
        _vgg.Dispose();
        _mean.Dispose();
        _std.Dispose();
    }
}
