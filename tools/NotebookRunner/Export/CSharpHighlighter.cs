using System.Net;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace NotebookRunner.Export;

/// <summary>
/// A code cell as HTML with its keywords, strings, numbers, comments and directives in spans, from
/// Roslyn's own tokens (so what is highlighted is exactly what the compiler sees).
/// </summary>
internal static class CSharpHighlighter
{
    public static string ToHtml(string code)
    {
        var root = SyntaxFactory.ParseSyntaxTree(code, ScriptEnvironment.ParseOptions).GetRoot();
        var html = new StringBuilder(code.Length * 2);
        foreach (var token in root.DescendantTokens(descendIntoTrivia: true))
        {
            Trivia(html, token.LeadingTrivia);
            Span(html, token.Text, Classify(token));
            Trivia(html, token.TrailingTrivia);
        }
        return html.ToString();
    }

    private static string? Classify(SyntaxToken token)
    {
        var kind = token.Kind();
        if (token.Parent?.AncestorsAndSelf().Any(node => node is DirectiveTriviaSyntax) == true)
            return kind == SyntaxKind.StringLiteralToken ? "s" : "d";
        if (SyntaxFacts.IsKeywordKind(kind) || (kind == SyntaxKind.IdentifierToken && token.Text == "var"))
            return "k";
        return kind switch
        {
            SyntaxKind.StringLiteralToken or SyntaxKind.CharacterLiteralToken or SyntaxKind.InterpolatedStringTextToken
                or SyntaxKind.InterpolatedStringStartToken or SyntaxKind.InterpolatedStringEndToken
                or SyntaxKind.InterpolatedRawStringEndToken or SyntaxKind.InterpolatedSingleLineRawStringStartToken
                or SyntaxKind.InterpolatedMultiLineRawStringStartToken or SyntaxKind.SingleLineRawStringLiteralToken
                or SyntaxKind.MultiLineRawStringLiteralToken or SyntaxKind.Utf8StringLiteralToken => "s",
            SyntaxKind.NumericLiteralToken => "n",
            _ => null,
        };
    }

    private static void Trivia(StringBuilder html, SyntaxTriviaList trivia)
    {
        foreach (var item in trivia)
        {
            // Structured trivia (directives such as #r) come back as tokens of their own.
            if (item.HasStructure)
                continue;
            var cls = item.Kind() switch
            {
                SyntaxKind.SingleLineCommentTrivia or SyntaxKind.MultiLineCommentTrivia
                    or SyntaxKind.SingleLineDocumentationCommentTrivia or SyntaxKind.MultiLineDocumentationCommentTrivia => "c",
                SyntaxKind.DisabledTextTrivia or SyntaxKind.ShebangDirectiveTrivia => "d",
                _ => null,
            };
            Span(html, item.ToFullString(), cls);
        }
    }

    private static void Span(StringBuilder html, string text, string? cls)
    {
        if (text.Length == 0)
            return;
        if (cls is null)
            html.Append(WebUtility.HtmlEncode(text));
        else
            html.Append("<span class=\"").Append(cls).Append("\">").Append(WebUtility.HtmlEncode(text)).Append("</span>");
    }
}
