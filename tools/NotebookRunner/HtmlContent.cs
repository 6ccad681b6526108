namespace NotebookRunner;

/// <summary>
/// What <see cref="NotebookGlobals.HTML"/> returns: a piece of HTML that is shown as text/html when
/// it is displayed. Stands in for Polyglot's IHtmlContent (which lives in ASP.NET Core and cannot be
/// referenced here); like it, creating one displays nothing by itself.
/// </summary>
public sealed class HtmlContent(string html)
{
    public string Html { get; } = html ?? "";

    public override string ToString() => Html;
}
