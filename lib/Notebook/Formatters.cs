using System.Runtime.CompilerServices;
using Lib.Plots;
using Microsoft.Data.Analysis;

namespace Lib.Notebook;

/// <summary>
/// How this library's types show in a notebook: a DataFrame as an HTML table, a <see cref="LineChart"/>
/// as static SVG in the saved record and as an interactive Plotly.NET chart in a live kernel session.
/// <para>
/// The contract with the host (the workbook's runner and kernel) uses only framework types, through
/// <see cref="AppContext"/>, because the host and the notebook's <c>#r "../bin/Lib.dll"</c> load separate
/// copies of this assembly: the host stores a registration callback under <see cref="RegisterKey"/>
/// (an <c>Action&lt;Type, Func&lt;object, IReadOnlyList&lt;KeyValuePair&lt;string, string&gt;&gt;&gt;&gt;</c>: a type
/// and a function from a value of it to (MIME type, text) pairs), and <c>true</c> under
/// <see cref="InteractiveKey"/> when a person is looking at a live front end that runs JavaScript.
/// The formatters register themselves the first time a notebook uses the library; when that happens
/// before the host is ready (the library loaded first in the same process), they wait under
/// <see cref="PendingKey"/> (a <c>List&lt;KeyValuePair&lt;Type, Func&lt;…&gt;&gt;&gt;</c>) for the host to take them.
/// </para>
/// </summary>
public static class Formatters
{
    public const string RegisterKey = "Lib.Notebook.RegisterFormatter";
    public const string InteractiveKey = "Lib.Notebook.Interactive";
    public const string PendingKey = "Lib.Notebook.PendingFormatters";

    /// <summary>True in a live kernel session (outputs may carry JavaScript); false when writing a record.</summary>
    public static bool IsInteractive => AppContext.GetData(InteractiveKey) is true;

    /// <summary>Registers this library's formatters with the host, if there is one. Safe to call again.</summary>
    public static void Register()
    {
        var formatters = new List<KeyValuePair<Type, Func<object, IReadOnlyList<KeyValuePair<string, string>>>>>
        {
            new(typeof(DataFrame), value => DataFrameHtml.Format((DataFrame)value)),
            new(typeof(LineChart), value => ChartOutput.Format((LineChart)value, IsInteractive)),
            new(typeof(Picture), value => PictureOutput((Picture)value)),
        };
        // In .NET Interactive each type shows as the first MIME type its formatter writes: a table as HTML, a chart as SVG, a picture as PNG.
        DotNetInteractive.Register(formatters, new Dictionary<Type, string[]>
        {
            [typeof(DataFrame)] = ["text/html"], [typeof(LineChart)] = ["image/svg+xml"], [typeof(Picture)] = ["image/png", "text/plain"],
        });
        lock (typeof(AppContext))
        {
            if (AppContext.GetData(RegisterKey) is Action<Type, Func<object, IReadOnlyList<KeyValuePair<string, string>>>> register)
                formatters.ForEach(f => register(f.Key, f.Value));
            else if (AppContext.GetData(PendingKey) is List<KeyValuePair<Type, Func<object, IReadOnlyList<KeyValuePair<string, string>>>>> pending)
                pending.AddRange(formatters);
            else
                AppContext.SetData(PendingKey, formatters);
        }
    }

    /// <summary>image/png, and the note of a reduced picture as plain text beside it.</summary>
    private static IReadOnlyList<KeyValuePair<string, string>> PictureOutput(Picture picture) =>
        picture.Halvings == 0 ? [new("image/png", picture.ToBase64())] : [new("image/png", picture.ToBase64()), new("text/plain", picture.Note)];

#pragma warning disable CA2255 // a module initializer is the one hook that runs when a notebook first touches the library
    [ModuleInitializer]
    internal static void RegisterOnLoad() => Register();
#pragma warning restore CA2255
}
