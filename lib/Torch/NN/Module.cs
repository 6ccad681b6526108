namespace Lib.Torch;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>
        /// Base of every layer and model, as torch.nn.Module: it owns parameters, buffers and
        /// submodules registered under names, and those names make the state_dict keys PyTorch uses
        /// ("down.0.weight", "bn.running_mean"), so weights move between the two.
        /// </summary>
        public abstract class Module : IDisposable
        {
            private readonly List<string> _order = [];
            private readonly Dictionary<string, Parameter?> _parameters = [];
            private readonly Dictionary<string, Tensor?> _buffers = [];
            private readonly HashSet<string> _nonPersistent = [];
            private readonly Dictionary<string, Module> _modules = [];
            private bool _disposed;

            protected Module(string name) => this.name = name;

            /// <summary>The class name, as printed in summaries.</summary>
            public string name { get; }

            public bool training { get; private set; } = true;

            private void Claim(string key)
            {
                if (string.IsNullOrEmpty(key) || key.Contains('.'))
                    throw new ArgumentException($"'{key}' cannot name a member of {name}: names are non-empty and contain no '.'", nameof(key));
                if (_parameters.ContainsKey(key) || _buffers.ContainsKey(key) || _modules.ContainsKey(key))
                    throw new ArgumentException($"{name} already has a member named '{key}'", nameof(key));
                _order.Add(key);
            }

            protected Parameter? register_parameter(string key, Parameter? parameter)
            {
                Claim(key);
                _parameters[key] = parameter;
                return parameter;
            }

            /// <summary>Registers state that is saved but not trained (running statistics).</summary>
            protected Tensor? register_buffer(string key, Tensor? buffer, bool persistent = true)
            {
                Claim(key);
                buffer?.DetachFromDisposeScope();
                _buffers[key] = buffer;
                if (!persistent) _nonPersistent.Add(key);
                return buffer;
            }

            protected T register_module<T>(string key, T module) where T : Module
            {
                Claim(key);
                _modules[key] = module;
                return module;
            }

            /// <summary>Replaces a registered buffer's tensor (disposing the old one).</summary>
            protected void set_buffer(string key, Tensor value)
            {
                if (!_buffers.TryGetValue(key, out var old)) throw new KeyNotFoundException($"{name} has no buffer '{key}'");
                value.DetachFromDisposeScope();
                _buffers[key] = value;
                if (!ReferenceEquals(old, value)) old?.Dispose();
            }

            // ---- traversal ---------------------------------------------------------------------

            public IEnumerable<(string name, Module module)> named_children() =>
                _order.Where(_modules.ContainsKey).Select(k => (k, _modules[k]));

            public IEnumerable<Module> children() => named_children().Select(c => c.module);

            public IEnumerable<(string name, Module module)> named_modules(string prefix = "")
            {
                yield return (prefix, this);
                foreach (var (key, child) in named_children())
                    foreach (var m in child.named_modules(Join(prefix, key)))
                        yield return m;
            }

            public IEnumerable<Module> modules() => named_modules().Select(m => m.module);

            public IEnumerable<(string name, Parameter parameter)> named_parameters(bool recurse = true) => Named(recurse, m => m._parameters);

            public IEnumerable<Parameter> parameters(bool recurse = true) => named_parameters(recurse).Select(p => p.parameter);

            public IEnumerable<(string name, Tensor buffer)> named_buffers(bool recurse = true) => Named(recurse, m => m._buffers);

            /// <summary>The registered, non-null entries of one of each module's tables, in registration order, with dotted names.</summary>
            private IEnumerable<(string name, T value)> Named<T>(bool recurse, Func<Module, Dictionary<string, T?>> table) where T : class
            {
                foreach (var (prefix, module) in recurse ? named_modules() : [("", this)])
                    foreach (var key in module._order)
                        if (table(module).TryGetValue(key, out var value) && value is not null)
                            yield return (Join(prefix, key), value);
            }

            public IEnumerable<Tensor> buffers(bool recurse = true) => named_buffers(recurse).Select(b => b.buffer);

            private static string Join(string prefix, string key) => prefix.Length == 0 ? key : prefix + "." + key;

            /// <summary>Number of trainable elements.</summary>
            public long parameter_count() => parameters().Where(p => p.requires_grad).Sum(p => p.numel());

            // ---- state ---------------------------------------------------------------------------

            /// <summary>
            /// Parameters and persistent buffers under PyTorch's key names, in registration order. The
            /// tensors are the module's own (not copies): do not dispose them.
            /// </summary>
            public Dictionary<string, Tensor> state_dict()
            {
                var result = new Dictionary<string, Tensor>();
                foreach (var (prefix, module) in named_modules())
                    foreach (var key in module._order)
                    {
                        if (module._parameters.TryGetValue(key, out var p) && p is not null) result[Join(prefix, key)] = p;
                        else if (module._buffers.TryGetValue(key, out var b) && b is not null && !module._nonPersistent.Contains(key))
                            result[Join(prefix, key)] = b;
                    }
                return result;
            }

            /// <summary>
            /// Copies values into the module's tensors (keeping their device and dtype). With strict,
            /// missing and unexpected keys are an error, listed as PyTorch lists them.
            /// </summary>
            public (IReadOnlyList<string> missing_keys, IReadOnlyList<string> unexpected_keys) load_state_dict(
                IReadOnlyDictionary<string, Tensor> state, bool strict = true)
            {
                var own = state_dict();
                var missing = own.Keys.Where(k => !state.ContainsKey(k)).ToList();
                var unexpected = state.Keys.Where(k => !own.ContainsKey(k)).ToList();
                var problems = new List<string>();
                if (strict && missing.Count > 0) problems.Add("Missing key(s) in state_dict: " + string.Join(", ", missing.Select(k => $"\"{k}\"")) + ".");
                if (strict && unexpected.Count > 0) problems.Add("Unexpected key(s) in state_dict: " + string.Join(", ", unexpected.Select(k => $"\"{k}\"")) + ".");
                foreach (var (key, target) in own)
                {
                    if (!state.TryGetValue(key, out var source)) continue;
                    var (have, want) = (source.shape, target.shape);
                    if (!have.SequenceEqual(want))
                        problems.Add($"size mismatch for {key}: copying a param with shape [{string.Join(", ", have)}] from checkpoint, the shape in current model is [{string.Join(", ", want)}].");
                }
                if (problems.Count > 0)
                    throw new InvalidOperationException($"Error(s) in loading state_dict for {name}:\n\t" + string.Join("\n\t", problems));
                using (no_grad())
                    foreach (var (key, target) in own)
                        if (state.TryGetValue(key, out var source)) target.copy_(source);
                return (missing, unexpected);
            }

            // ---- modes and devices ---------------------------------------------------------------

            public virtual Module train(bool on = true)
            {
                foreach (var m in modules()) m.training = on;
                return this;
            }

            public Module eval() => train(false);

            /// <summary>Moves parameters and buffers in place (the same Parameter objects stay valid).</summary>
            public Module to(Device device) => Convert(t => t.to(device));

            public Module to(ScalarType dtype) => Convert(t => t.dtype.IsFloatingPoint() ? t.to(dtype) : t.alias());

            public Module cuda(int index = -1) => to(new Device(DeviceType.CUDA, index));

            public Module cpu() => to(CPU);

            private Module Convert(Func<Tensor, Tensor> convert)
            {
                using var scope = NewDisposeScope();
                using (no_grad())
                    foreach (var m in modules())
                    {
                        foreach (var key in m._parameters.Keys.ToList())
                        {
                            var p = m._parameters[key];
                            if (p is null) continue;
                            var rg = p.requires_grad;
                            var moved = convert(p);
                            p.Swap(Native.LibNative.ts_detach(moved.Handle));
                            p.requires_grad = rg;
                        }
                        foreach (var key in m._buffers.Keys.ToList())
                        {
                            var b = m._buffers[key];
                            if (b is null) continue;
                            b.Swap(Native.LibNative.ts_alias(convert(b).Handle));
                        }
                    }
                return this;
            }

            /// <summary>Clears every gradient: dropped (set_to_none, PyTorch 2's default) or zeroed in place.</summary>
            public void zero_grad(bool set_to_none = true)
            {
                foreach (var p in parameters())
                {
                    if (set_to_none) { p.grad = null; continue; }
                    using var g = p.grad;
                    g?.zero_();
                }
            }

            public override string ToString() => ToString(0);

            private string ToString(int indent)
            {
                var children = named_children().ToList();
                var head = name + "(" + ExtraRepr() + (children.Count > 0 ? "" : ")");
                if (children.Count == 0) return head;
                var pad = new string(' ', indent + 2);
                var lines = children.Select(c => $"{pad}({c.name}): {c.module.ToString(indent + 2)}");
                return head + "\n" + string.Join("\n", lines) + "\n" + new string(' ', indent) + ")";
            }

            /// <summary>The settings shown in the printout, as PyTorch's extra_repr.</summary>
            protected virtual string ExtraRepr() => "";

            public void Dispose()
            {
                if (_disposed) return;
                _disposed = true;
                Dispose(true);
                foreach (var p in _parameters.Values) p?.Dispose();
                foreach (var b in _buffers.Values) b?.Dispose();
                foreach (var m in _modules.Values) m.Dispose();
                GC.SuppressFinalize(this);
            }

            protected virtual void Dispose(bool disposing) { }
        }

        /// <summary>A module with one input, called like a function: <c>y = model.call(x)</c>.</summary>
        public abstract class Module<T, TResult> : Module
        {
            protected Module(string name) : base(name) { }

            public abstract TResult forward(T input);

            public TResult call(T input)
            {
                if (!ChannelsLastInference.Enter(out var outermost)) return forward(input);
                TResult result;
                try { result = forward(input); }
                finally { ChannelsLastInference.Leave(); }
                return outermost ? ChannelsLastInference.Restore(result) : result;
            }
        }

        /// <summary>A module with two inputs (a conditional discriminator sees the condition and the image).</summary>
        public abstract class Module<T1, T2, TResult> : Module
        {
            protected Module(string name) : base(name) { }

            public abstract TResult forward(T1 input1, T2 input2);

            public TResult call(T1 input1, T2 input2)
            {
                if (!ChannelsLastInference.Enter(out var outermost)) return forward(input1, input2);
                TResult result;
                try { result = forward(input1, input2); }
                finally { ChannelsLastInference.Leave(); }
                return outermost ? ChannelsLastInference.Restore(result) : result;
            }
        }
    }
}
