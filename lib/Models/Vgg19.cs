using Lib.Torch;
using Lib.Torch.Modules;
using static Lib.Torch.torch;

namespace Lib.Models;

/// <summary>
/// VGG19's convolutional part with torchvision's layout and parameter names ("features.0.weight",
/// "features.34.bias"), so a state dict exported from torchvision.models.vgg19 loads as is. Built only
/// up to the deepest layer a perceptual loss reads (relu2_2 = features.8, relu5_4 = features.35);
/// <see cref="forward_layers"/> returns several layers from one pass.
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
    private readonly int[] _ends;

    /// <summary>The deepest requested layer: what <see cref="forward"/> returns.</summary>
    public string layer { get; }

    /// <summary>The requested layers, in the order <see cref="forward_layers"/> returns them.</summary>
    public IReadOnlyList<string> layers { get; }

    public Vgg19(string layer = "relu5_4") : this([layer]) { }

    /// <param name="layers">Names from <see cref="Layers"/>, in any order; the network is built up to the deepest.</param>
    public Vgg19(IReadOnlyList<string> layers) : base(nameof(Vgg19))
    {
        if (layers.Count == 0) throw new ArgumentException($"VGG19 needs at least one layer to read; use some of {string.Join(", ", Layers.Keys)}", nameof(layers));
        foreach (var name in layers)
            if (!Layers.ContainsKey(name))
                throw new ArgumentException($"unknown VGG19 layer '{name}'; use one of {string.Join(", ", Layers.Keys)}", nameof(layers));
        this.layers = layers.ToArray();
        _ends = layers.Select(n => Layers[n]).ToArray();
        var last = _ends.Max();
        layer = Layers.First(kv => kv.Value == last).Key;
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

    /// <summary>Features at <see cref="layer"/> (the deepest requested) of an ImageNet-normalized input.</summary>
    public override Tensor forward(Tensor input) => features.call(input);

    /// <summary>Features at each of <see cref="layers"/>, in that order, from one pass.</summary>
    public IReadOnlyList<Tensor> forward_layers(Tensor input)
    {
        using var scope = NewDisposeScope();
        var at = new Dictionary<int, Tensor>();
        var wanted = _ends.ToHashSet();
        var x = input;
        for (var i = 0; i < features.Count; i++)
        {
            x = features[i].call(x);
            if (wanted.Contains(i)) at[i] = x;
        }
        var outputs = _ends.Select(i => at[i]).ToArray();
        foreach (var t in at.Values) t.MoveToOuterDisposeScope();
        return outputs;
    }

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
