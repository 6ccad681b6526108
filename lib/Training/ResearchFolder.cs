using Lib.Torch;

namespace Lib.Training;

/// <summary>
/// What the research runs (<see cref="ColorizerResearch"/>, <see cref="UpscalerResearch"/>, <see cref="OrderingsResearch"/>)
/// share about the folder they save to: reading a file back with an error that says how to make it, and the names of the
/// photos a sample grid shows, with their attribution.
/// </summary>
internal static class ResearchFolder
{
    /// <summary>The path of <paramref name="name"/> in <paramref name="dir"/>.</summary>
    /// <exception cref="FileNotFoundException">It is missing: names it and the notebook whose research run makes it.</exception>
    public static string Need(string dir, string name, string notebook) =>
        File.Exists(Path.Combine(dir, name)) ? Path.Combine(dir, name)
            : throw new FileNotFoundException($"{Path.Combine(dir, name)} is missing: run notebook {notebook} with RESEARCH_DIRS set to make the research results", name);

    /// <summary>The first <paramref name="count"/> photos of a set the filter allows (null: any), for a sample grid.</summary>
    public static List<int> Pick(IReadOnlyList<string> sources, Func<string, bool>? filter, int count = 4) =>
        Enumerable.Range(0, sources.Count).Where(i => filter?.Invoke(sources[i]) ?? true).Take(count).ToList();

    /// <summary>Writes the grid's photo names, top to bottom, beside <paramref name="gridPath"/> (same name, .txt).</summary>
    public static void SaveSampleNames(string gridPath, IEnumerable<string> sources) =>
        DurableFile.WriteAllText(Path.ChangeExtension(gridPath, ".txt"),
            "Rows, top to bottom (COCO 2017 photos from Flickr, each under the Creative Commons license its COCO record names):\n" +
            string.Join("\n", sources.Select(Path.GetFileName)) + "\n");
}
