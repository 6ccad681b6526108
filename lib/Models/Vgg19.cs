using Lib.Torch;
using Lib.Torch.Modules;
using static Lib.Torch.torch;

namespace Lib.Models;

/// <summary>
/// VGG19's convolutional part with torchvision's layout and parameter names ("features.0.weight",
/// "features.34.bias"), so a state dict exported from torchvision.models.vgg19 loads as is. Built only
/// up to the layer a perceptual loss reads (relu2_2 = features.8, relu5_4 = features.35).
/// </summary>
public sealed class Vgg19 : nn.Module<Tensor, Tensor>
{
    /// <summary>torchvision's "E" configuration: channels per conv, 0 for a max-pool.</summary>
    private static readonly int[] Config = [64, 64, 0, 128, 128, 0, 256, 256, 256, 256, 0, 512, 512, 512, 512, 0, 512, 512, 512, 512, 0];

    /// <summary>Index in <c>features</c> of the ReLU after each named conv, as in the SRGAN paper (φ_i,j).</summary>
    public static readonly IReadOnlyDictionary<string, int> Layers = new Dictionary<string, int>
    {
        ["relu1_2"] = 3, ["relu2_2"] = 8, ["relu3_4"] = 17, ["relu4_4"] = 26, ["relu5_4"] = 35,
    };

    private readonly Sequential features;
    public string layer { get; }

    public Vgg19(string layer = "relu5_4") : base(nameof(Vgg19))
    {
        if (!Layers.TryGetValue(layer, out var last))
            throw new ArgumentException($"unknown VGG19 layer '{layer}'; use one of {string.Join(", ", Layers.Keys)}", nameof(layer));
        this.layer = layer;
        var modules = new List<nn.Module<Tensor, Tensor>>();
        long cin = 3;
        foreach (var c in Config)
        {
            if (modules.Count > last) break;
            if (c == 0) { modules.Add(nn.MaxPool2d(2, 2)); continue; }
            modules.Add(nn.Conv2d(cin, c, 3, padding: 1));
            modules.Add(nn.ReLU());
            cin = c;
        }
        features = register_module("features", nn.Sequential(modules.Take(last + 1).ToArray()));
    }

    /// <summary>Features at <see cref="layer"/> of an ImageNet-normalized input.</summary>
    public override Tensor forward(Tensor input) => features.call(input);

    /// <summary>
    /// Loads a torchvision-format VGG19 state dict (safetensors); keys beyond the layers built here
    /// (deeper convs, the classifier) are ignored, missing ones are an error naming them.
    /// </summary>
    public void load_torchvision(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"VGG19 weights not found: {path}. Export them with tools/export_vgg19.py on a machine with torchvision and internet, then point the perceptual loss at them (weights path or LIB_VGG19_WEIGHTS).", path);
        var all = Safetensors.load(path);
        try
        {
            var wanted = state_dict().Keys.ToHashSet();
            var part = all.Where(kv => wanted.Contains(kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value);
            try { load_state_dict(part); }
            catch (InvalidOperationException e) { throw new InvalidOperationException($"{path}: {e.Message}", e); }
        }
        finally { foreach (var t in all.Values) t.Dispose(); }
    }
}
