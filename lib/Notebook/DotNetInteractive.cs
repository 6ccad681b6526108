using System.Reflection;

namespace Lib.Notebook;

/// <summary>
/// The same formatters for .NET Interactive's C# kernel (dotnet-interactive, Polyglot Notebooks), found by reflection so the
/// library does not depend on it: when its Formatting assembly is loaded, each of the library's types is registered for the
/// MIME types its formatter produces, the first of them preferred. Outside that kernel this does nothing.
/// </summary>
internal static class DotNetInteractive
{
    private const string FormatterType = "Microsoft.DotNet.Interactive.Formatting.Formatter";

    /// <param name="formatters">Each type's formatter: a value to its (MIME type, text) pairs.</param>
    /// <param name="mimeTypes">The MIME types each type's formatter writes, the one to show first.</param>
    public static void Register(IEnumerable<KeyValuePair<Type, Func<object, IReadOnlyList<KeyValuePair<string, string>>>>> formatters,
        IReadOnlyDictionary<Type, string[]> mimeTypes)
    {
        var formatter = AppDomain.CurrentDomain.GetAssemblies()
            .Where(a => a.GetName().Name == "Microsoft.DotNet.Interactive.Formatting")
            .Select(a => a.GetType(FormatterType)).FirstOrDefault(t => t is not null);
        if (formatter is null) return;
        var register = formatter.GetMethods(BindingFlags.Public | BindingFlags.Static).FirstOrDefault(m =>
            m.Name == "Register" && !m.IsGenericMethod && m.GetParameters() is [var type, var action, var mime, ..] &&
            type.ParameterType == typeof(Type) && action.ParameterType == typeof(Action<object, TextWriter>) && mime.ParameterType == typeof(string));
        var prefer = formatter.GetMethods(BindingFlags.Public | BindingFlags.Static).FirstOrDefault(m =>
            m.Name == "SetPreferredMimeTypesFor" && m.GetParameters() is [var type, var mimes] && type.ParameterType == typeof(Type) && mimes.ParameterType == typeof(string[]));
        if (register is null) return;
        foreach (var (type, format) in formatters)
        {
            foreach (var mime in mimeTypes[type])
                register.Invoke(null, [type, new Action<object, TextWriter>((value, writer) =>
                    writer.Write(format(value).FirstOrDefault(p => p.Key == mime).Value ?? "")), mime, .. Defaults(register, 3)]);
            prefer?.Invoke(null, [type, mimeTypes[type].Take(1).ToArray()]);
        }
    }

    private static object?[] Defaults(MethodInfo method, int from) =>
        method.GetParameters().Skip(from).Select(p => p.HasDefaultValue ? p.DefaultValue : p.ParameterType.IsValueType ? Activator.CreateInstance(p.ParameterType) : null).ToArray();
}
