namespace NotebookRunner.CellOutputs;

/// <summary>
/// Formatters that libraries loaded into a notebook register for their own types (e.g. a DataFrame
/// as an HTML table). Process-wide, like the AppContext slot through which they arrive. A value takes
/// the formatter of its most derived registered type.
/// </summary>
internal static class FormatterRegistry
{
    private static readonly object Lock = new();
    private static readonly List<(Type Type, Func<object, IReadOnlyList<KeyValuePair<string, string>>> Format)> Formatters = [];

    /// <summary>Publishes the registration callback and takes the formatters registered before it;
    /// called by every host before cells run.</summary>
    public static void Install()
    {
        // The library side locks the same object around its check-then-register.
        lock (typeof(AppContext))
        {
            AppContext.SetData(HostContract.RegisterFormatterKey,
                (Action<Type, Func<object, IReadOnlyList<KeyValuePair<string, string>>>>)Register);
            if (AppContext.GetData(HostContract.PendingFormattersKey) is List<KeyValuePair<Type, Func<object, IReadOnlyList<KeyValuePair<string, string>>>>> pending)
            {
                foreach (var (type, format) in pending)
                    Register(type, format);
                AppContext.SetData(HostContract.PendingFormattersKey, null);
            }
        }
    }

    public static void Register(Type type, Func<object, IReadOnlyList<KeyValuePair<string, string>>> format)
    {
        lock (Lock)
        {
            // A library loaded again (a restarted notebook in the same process) replaces its formatters.
            Formatters.RemoveAll(entry => entry.Type.AssemblyQualifiedName == type.AssemblyQualifiedName);
            Formatters.Add((type, format));
        }
    }

    public static MimeBundle? TryFormat(object value)
    {
        Func<object, IReadOnlyList<KeyValuePair<string, string>>>? best = null;
        Type? bestType = null;
        lock (Lock)
        {
            foreach (var (type, format) in Formatters)
            {
                if (type.IsInstanceOfType(value) && (bestType is null || bestType.IsAssignableFrom(type)))
                    (best, bestType) = (format, type);
            }
        }
        if (best is null)
            return null;
        var bundle = new MimeBundle();
        foreach (var (mimeType, text) in best(value))
            bundle.Add(mimeType, text);
        return bundle;
    }
}
