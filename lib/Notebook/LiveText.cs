using System.Reflection;

namespace Lib.Notebook;

/// <summary>
/// A line of text shown once in the running cell and updated in place — a training run's progress — where the kernel can
/// update a display: the workbook's runner and kernel (through <see cref="AppContextKey"/>) and .NET Interactive's C#
/// kernel (its <c>display(...)</c>, found by reflection). <see cref="TryShow"/> gives null anywhere else (a console, a test).
/// </summary>
public sealed class LiveText
{
    /// <summary>
    /// The <see cref="AppContext"/> slot where the workbook's hosts store a <c>Func&lt;string, Action&lt;string&gt;&gt;</c>: it shows
    /// a text in the running cell and returns what updates it (framework types only; see <see cref="Interrupt.AppContextKey"/>).
    /// </summary>
    public const string AppContextKey = "Lib.Notebook.Display";

    private readonly Action<string> _update;

    private LiveText(Action<string> update) => _update = update;

    public void Update(string text) => _update(text);

    /// <summary>Shows <paramref name="text"/> in the running cell, or returns null when no kernel can update it later.</summary>
    public static LiveText? TryShow(string text)
    {
        if (AppContext.GetData(AppContextKey) is Func<string, Action<string>> show)
        {
            try { return new LiveText(show(text)); }
            catch (InvalidOperationException) { return null; } // the host is there but runs no cell now (a library call from a thread of its own)
        }
        return DotNetInteractiveDisplay(text) is { } update ? new LiveText(update) : null;
    }

    /// <summary>Microsoft.DotNet.Interactive.Kernel.display(text) and its DisplayedValue.Update, when that kernel runs this cell.</summary>
    private static Action<string>? DotNetInteractiveDisplay(string text)
    {
        var kernel = AppDomain.CurrentDomain.GetAssemblies().Where(a => a.GetName().Name == "Microsoft.DotNet.Interactive")
            .Select(a => a.GetType("Microsoft.DotNet.Interactive.Kernel")).FirstOrDefault(t => t is not null);
        var display = kernel?.GetMethods(BindingFlags.Public | BindingFlags.Static)
            .FirstOrDefault(m => m.Name == "display" && m.GetParameters() is [var v, var mimes] && v.ParameterType == typeof(object) && mimes.ParameterType == typeof(string[]));
        if (display is null) return null;
        try
        {
            var shown = display.Invoke(null, [text, new[] { "text/plain" }]);
            var update = shown?.GetType().GetMethod("Update", [typeof(object)]);
            return update is null ? null : t => update.Invoke(shown, [t]);
        }
        catch (TargetInvocationException)
        {
            return null; // no cell is running (the kernel's display needs one): fall back to plain lines
        }
    }
}
