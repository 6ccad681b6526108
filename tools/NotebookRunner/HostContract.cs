namespace NotebookRunner;

/// <summary>
/// The <see cref="AppContext"/> slots a notebook library reads (Lib.Notebook.Interrupt and
/// Lib.Notebook.Formatters in the workbook's library). Framework types only, because a notebook's
/// <c>#r</c> loads its own copy of the library, whose statics and types the host cannot see; the
/// names are duplicated there and a test checks that they agree.
/// </summary>
public static class HostContract
{
    /// <summary>The running cell's CancellationToken (boxed); tripped on interrupt, Ctrl+C or a cell timeout.</summary>
    public const string InterruptTokenKey = "Lib.Notebook.Interrupt.Token";

    /// <summary>An <c>Action&lt;Type, Func&lt;object, IReadOnlyList&lt;KeyValuePair&lt;string, string&gt;&gt;&gt;&gt;</c> that registers a formatter.</summary>
    public const string RegisterFormatterKey = "Lib.Notebook.RegisterFormatter";

    /// <summary>Formatters a library registered before the host installed its callback: a
    /// <c>List&lt;KeyValuePair&lt;Type, Func&lt;object, IReadOnlyList&lt;KeyValuePair&lt;string, string&gt;&gt;&gt;&gt;&gt;</c> the host takes over.</summary>
    public const string PendingFormattersKey = "Lib.Notebook.PendingFormatters";

    /// <summary>A <c>Func&lt;string, Action&lt;string&gt;&gt;</c>: shows a text in the running cell and returns what updates it in place.</summary>
    public const string DisplayKey = "Lib.Notebook.Display";

    /// <summary><c>true</c> in a live kernel session, whose front end runs JavaScript; unset in the headless runner.</summary>
    public const string InteractiveKey = "Lib.Notebook.Interactive";
}
