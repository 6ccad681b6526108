using Lib.Torch.Modules;
using static Lib.Torch.torch;

namespace Lib.Torch.Modules
{
    /// <summary>
    /// Runs its modules in order. Intermediate results are disposed as soon as the next module has
    /// consumed them, so a deep stack does not hold every activation handle until a scope ends
    /// (autograd keeps what backward needs on the native side).
    /// </summary>
    public sealed class Sequential : nn.Module<Tensor, Tensor>
    {
        private readonly List<nn.Module<Tensor, Tensor>> _layers = [];

        public Sequential(params nn.Module<Tensor, Tensor>[] modules) : base(nameof(Sequential))
        {
            foreach (var m in modules) append(m);
        }

        public Sequential(params (string name, nn.Module<Tensor, Tensor> module)[] modules) : base(nameof(Sequential))
        {
            foreach (var (n, m) in modules) { register_module(n, m); _layers.Add(m); }
        }

        public Sequential append(nn.Module<Tensor, Tensor> module)
        {
            register_module(_layers.Count.ToString(), module);
            _layers.Add(module);
            return this;
        }

        public int Count => _layers.Count;
        public nn.Module<Tensor, Tensor> this[int index] => _layers[index];

        public override Tensor forward(Tensor input)
        {
            if (_layers.Count == 0) return input.alias();
            var x = _layers[0].call(input);
            for (var i = 1; i < _layers.Count; i++)
            {
                var next = _layers[i].call(x);
                if (!ReferenceEquals(next, x)) x.Dispose();
                x = next;
            }
            return x;
        }
    }

    /// <summary>Holds submodules under indices "0", "1", … (their parameters register; forward is the owner's).</summary>
    public sealed class ModuleList<T> : nn.Module, IReadOnlyList<T> where T : nn.Module
    {
        private readonly List<T> _items = [];

        public ModuleList(params T[] modules) : base("ModuleList")
        {
            foreach (var m in modules) append(m);
        }

        public ModuleList<T> append(T module)
        {
            register_module(_items.Count.ToString(), module);
            _items.Add(module);
            return this;
        }

        public int Count => _items.Count;
        public T this[int index] => _items[index];
        public IEnumerator<T> GetEnumerator() => _items.GetEnumerator();
        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}

namespace Lib.Torch
{
    // The factories, spelled as in TorchSharp (torch.nn.Sequential(...)).
    public static partial class torch
    {
        public static partial class nn
        {
            public static Sequential Sequential(params Module<Tensor, Tensor>[] modules) => new(modules);
            public static Sequential Sequential(params (string name, Module<Tensor, Tensor> module)[] modules) => new(modules);
            public static ModuleList<T> ModuleList<T>(params T[] modules) where T : Module => new(modules);
        }
    }
}
