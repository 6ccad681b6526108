using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace NotebookRunner;

/// <summary>Completions for a cursor position: the matches and the span of code they replace (UTF-16 indices).</summary>
public sealed record CompletionResult(IReadOnlyList<string> Matches, int Start, int End);

/// <summary>
/// Completions from Roslyn's semantic model of the cell in the session's context: after a dot, the
/// members of the expression's type (or the static members of a type, the types of a namespace);
/// elsewhere, every name in scope (variables of earlier cells, usings, globals, keywords aside).
/// Roslyn's full CompletionService lives in the Workspaces/Features packages, which a kernel does not
/// need for names and members.
/// </summary>
internal static class ScriptCompletion
{
    public static CompletionResult Complete(Compilation compilation, string code, int position)
    {
        position = Math.Clamp(position, 0, code.Length);
        var start = position;
        while (start > 0 && (char.IsLetterOrDigit(code[start - 1]) || code[start - 1] == '_'))
            start--;
        var prefix = code[start..position];

        var tree = compilation.SyntaxTrees.Single();
        var model = compilation.GetSemanticModel(tree);
        IEnumerable<ISymbol> symbols;
        var beforeWord = start - 1;
        while (beforeWord >= 0 && char.IsWhiteSpace(code[beforeWord]))
            beforeWord--;
        if (beforeWord >= 0 && code[beforeWord] == '.'
            && tree.GetRoot().FindToken(beforeWord).Parent is MemberAccessExpressionSyntax access)
        {
            symbols = Members(model, access.Expression, start);
        }
        else
        {
            symbols = model.LookupSymbols(start, includeReducedExtensionMethods: true);
        }

        var matches = symbols
            .Where(symbol => symbol.CanBeReferencedByName && !symbol.IsImplicitlyDeclared)
            .Select(symbol => symbol.Name)
            .Where(name => name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            .Distinct(StringComparer.Ordinal)
            // Exact-case matches first, then alphabetical, as editors list them.
            .OrderBy(name => name.StartsWith(prefix, StringComparison.Ordinal) ? 0 : 1)
            .ThenBy(name => name, StringComparer.OrdinalIgnoreCase)
            .ToList();
        return new CompletionResult(matches, start, position);
    }

    private static IEnumerable<ISymbol> Members(SemanticModel model, ExpressionSyntax expression, int position)
    {
        var symbol = model.GetSymbolInfo(expression).Symbol;
        switch (symbol)
        {
            case INamespaceSymbol ns:
                return model.LookupNamespacesAndTypes(position, ns);
            case INamedTypeSymbol type:
                return model.LookupStaticMembers(position, type);
        }
        var valueType = model.GetTypeInfo(expression).Type;
        return valueType is null
            ? []
            : model.LookupSymbols(position, valueType, includeReducedExtensionMethods: true).Where(member => !member.IsStatic || member is IMethodSymbol { MethodKind: MethodKind.ReducedExtension });
    }
}
