using Lib.Torch.Native;
using static Lib.Torch.Native.LibNative;

namespace Lib.Torch;

public partial class Tensor
{
    public bool requires_grad
    {
        get => ts_requires_grad(Handle) != 0;
        set => Check(ts_set_requires_grad(Handle, value ? 1 : 0));
    }

    public Tensor requires_grad_(bool requires_grad = true)
    {
        this.requires_grad = requires_grad;
        return this;
    }

    public bool is_leaf => ts_is_leaf(Handle) != 0;

    public void backward(Tensor? gradient = null, bool retain_graph = false, bool create_graph = false) =>
        Check(ts_backward(Handle, gradient?.Handle ?? TensorHandle.Null, retain_graph ? 1 : 0, create_graph ? 1 : 0));

    /// <summary>
    /// The accumulated gradient, or null before the first backward. Each call returns a new handle
    /// (owned by the current dispose scope, if any) to the same gradient storage.
    /// </summary>
    public Tensor? grad
    {
        get
        {
            var g = ts_grad(Handle);
            if (g == IntPtr.Zero) { ThrowIfError(); return null; }
            return new Tensor(g);
        }
        set
        {
            if (value is null) Check(ts_grad_set_none(Handle));
            else Check(ts_set_grad(Handle, value.Handle));
        }
    }

    public Tensor detach() => new(ts_detach(Handle));
    public Tensor detach_() { Check(ts_detach_(Handle)); return this; }
}
