namespace Lib.Torch.Native;

/// <summary>Raw at::Tensor* handles of tensor lists for one native call, each kept alive (AddRef) until it returns.</summary>
internal static class PinnedHandles
{
    /// <summary>Calls <paramref name="call"/> with one handle array per list; a null list gives a null array.</summary>
    internal static T With<T>(IReadOnlyList<IReadOnlyList<Tensor>?> lists, Func<IntPtr[]?[], T> call)
    {
        var handles = new IntPtr[]?[lists.Count];
        var held = new List<Tensor>();
        try
        {
            for (var l = 0; l < lists.Count; l++)
            {
                if (lists[l] is not { } list) continue;
                var h = handles[l] = new IntPtr[list.Count];
                for (var i = 0; i < list.Count; i++)
                {
                    var ok = false;
                    list[i].Handle.DangerousAddRef(ref ok);
                    if (ok) held.Add(list[i]);
                    h[i] = list[i].Handle.DangerousGetHandle();
                }
            }
            return call(handles);
        }
        finally
        {
            foreach (var t in held) t.Handle.DangerousRelease();
        }
    }
}
