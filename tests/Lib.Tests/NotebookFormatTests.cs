namespace Lib.Tests;

/// <summary>
/// Every notebook in notebooks/ as Jupyter's own validator (Debian's python3-nbformat) reads it:
/// schema-valid without warnings (nbformat 4.5 cell ids), C# with pygments lexer csharp, the workbook
/// kernel's kernelspec and Polyglot's metadata beside it. A notebook passes once the runner (or the
/// kernel through Jupyter) has saved it.
/// </summary>
public sealed class NotebookFormatTests
{
    public static TheoryData<string> Notebooks() =>
        new(Directory.GetFiles(Path.Combine(TestSupport.RepoRoot, "notebooks"), "*.ipynb").Select(Path.GetFileName).Order(StringComparer.Ordinal)!);

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void TheNotebookValidatesWithNbformat(string notebook)
    {
        var (code, output, error) = ExternalTools.Run(ExternalTools.Python,
            [ExternalTools.Script("validate_notebooks.py"), Path.Combine(TestSupport.RepoRoot, "notebooks", notebook)]);
        Assert.True(code == 0, $"{output}{error}\n(re-run it with tools/main.sh notebooks/{notebook} to rewrite it in the current format)");
    }
}
