using static Lib.Torch.Native.LibNative;

namespace Lib.Torch;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>
        /// A tensor a module owns and trains. It shares storage with the tensor it was made from and
        /// never belongs to a dispose scope: the module disposes it.
        /// </summary>
        public sealed class Parameter : Tensor
        {
            public Parameter(Tensor data, bool requires_grad = true) : base(ts_detach(data.Handle))
            {
                DetachFromDisposeScope();
                this.requires_grad = requires_grad;
            }
        }
    }
}
