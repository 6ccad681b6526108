using Lib.Torch;
using Lib.Torch.Optimizers;
using static Lib.Torch.torch;

namespace Lib.Training;

/// <summary>
/// One safetensors file holding everything a run needs to continue exactly: the models' state
/// dicts ("G.down.0.0.weight"), the optimizers' state ("optG.state.3.exp_avg"), the CPU random
/// generator's state, and string metadata (epoch, config JSON). The model parts load in PyTorch too.
/// </summary>
public static class Checkpoint
{
    private const string RngKey = "rng_state";

    public static void Save(string path, IReadOnlyDictionary<string, nn.Module> modules,
        IReadOnlyDictionary<string, Optimizer>? optimizers = null, IReadOnlyDictionary<string, string>? metadata = null, bool includeRng = true)
    {
        var tensors = new Dictionary<string, Tensor>();
        var owned = new List<Tensor>();
        try
        {
            foreach (var (name, module) in modules)
                foreach (var (key, t) in module.state_dict()) tensors[$"{name}.{key}"] = t;
            foreach (var (name, opt) in optimizers ?? new Dictionary<string, Optimizer>())
                foreach (var (key, t) in opt.state_dict()) { tensors[$"{name}.{key}"] = t; owned.Add(t); }
            if (includeRng)
            {
                var rng = get_rng_state().DetachFromDisposeScope();
                owned.Add(rng);
                tensors[RngKey] = rng;
            }
            Safetensors.save(tensors, path, metadata);
        }
        finally { foreach (var t in owned) t.Dispose(); }
    }

    /// <summary>Restores modules, optimizers and the random generator; returns the metadata.</summary>
    public static Dictionary<string, string> Load(string path, IReadOnlyDictionary<string, nn.Module> modules,
        IReadOnlyDictionary<string, Optimizer>? optimizers = null, bool restoreRng = true)
    {
        var all = Safetensors.load(path, out var metadata);
        try
        {
            foreach (var (name, module) in modules)
            {
                var part = Part(all, name);
                if (part.Count == 0) throw new InvalidOperationException($"{path} holds no weights for '{name}' (keys start with: {string.Join(", ", all.Keys.Select(k => k.Split('.')[0]).Distinct())})");
                try { module.load_state_dict(part); }
                catch (InvalidOperationException e) { throw new InvalidOperationException($"{path}, '{name}': {e.Message}", e); }
            }
            foreach (var (name, opt) in optimizers ?? new Dictionary<string, Optimizer>())
                opt.load_state_dict(Part(all, name));
            if (restoreRng && all.TryGetValue(RngKey, out var rng)) set_rng_state(rng);
            return metadata;
        }
        finally { foreach (var t in all.Values) t.Dispose(); }
    }

    /// <summary>Reads only the metadata without loading tensors into models.</summary>
    public static Dictionary<string, string> ReadMetadata(string path) => Safetensors.metadata(path);

    /// <summary>What a trainer's checkpoint says about its run (config, position, best score), without loading tensors.</summary>
    public static CheckpointInfo ReadInfo(string path) => CheckpointInfo.FromMetadata(ReadMetadata(path));

    private static Dictionary<string, Tensor> Part(Dictionary<string, Tensor> all, string prefix) =>
        all.Where(kv => kv.Key.StartsWith(prefix + ".")).ToDictionary(kv => kv.Key[(prefix.Length + 1)..], kv => kv.Value);
}
