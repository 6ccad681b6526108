namespace Lib.Notebook;

/// <summary>
/// The notebook's "stop" button as a <see cref="CancellationToken"/>. The workbook's Jupyter kernel
/// trips it when the user interrupts a cell (the headless runner on Ctrl+C or a cell timeout), and
/// gives every cell a fresh one. Long loops poll it once per step and stop there, since .NET cannot
/// abort a running thread:
/// <code>
/// var ct = Interrupt.Token;                  // take it once, at the start of the loop
/// for (var step = 0; step &lt; steps; step++)
/// {
///     ct.ThrowIfCancellationRequested();      // OperationCanceledException ends the cell
///     ...
/// }
/// </code>
/// Outside a notebook host the token is <see cref="CancellationToken.None"/>, so library code can
/// always poll it.
/// </summary>
public static class Interrupt
{
    /// <summary>
    /// The <see cref="AppContext"/> slot where the host stores the running cell's token (a boxed
    /// CancellationToken). A slot of the process rather than a static field, because the host and the
    /// notebook's <c>#r "../bin/Lib.dll"</c> load separate copies of this assembly, whose statics differ.
    /// </summary>
    public const string AppContextKey = "Lib.Notebook.Interrupt.Token";

    /// <summary>
    /// The running cell's token: the workbook's hosts', else .NET Interactive's (its KernelInvocationContext.Current, read by
    /// reflection); <see cref="CancellationToken.None"/> outside a notebook host.
    /// </summary>
    public static CancellationToken Token =>
        AppContext.GetData(AppContextKey) is CancellationToken token ? token : DotNetInteractiveToken();

    private static CancellationToken DotNetInteractiveToken()
    {
        var context = AppDomain.CurrentDomain.GetAssemblies().Where(a => a.GetName().Name == "Microsoft.DotNet.Interactive")
            .Select(a => a.GetType("Microsoft.DotNet.Interactive.KernelInvocationContext")).FirstOrDefault(t => t is not null);
        var current = context?.GetProperty("Current", System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)?.GetValue(null);
        return current?.GetType().GetProperty("CancellationToken")?.GetValue(current) is CancellationToken t ? t : CancellationToken.None;
    }
}
