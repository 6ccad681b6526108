namespace Workbook;

/// <summary>A photo to process and where its output goes, relative to the output folder.</summary>
public sealed record InputPhoto(string Path, string Relative);

/// <summary>The files and folders given on the command line, as photos: folders recursively, in a stable order.</summary>
public static class InputPhotos
{
    private static readonly string[] Extensions = [".jpg", ".jpeg", ".png"];

    /// <summary>The photos under <paramref name="inputs"/>, leaving out what lies in <paramref name="outputDir"/> (an earlier run's outputs).</summary>
    /// <exception cref="UsageException">An input does not exist, or a folder holds no photos.</exception>
    public static IReadOnlyList<InputPhoto> Expand(IEnumerable<string> inputs, string? outputDir = null)
    {
        var exclude = outputDir is null ? null : System.IO.Path.TrimEndingDirectorySeparator(System.IO.Path.GetFullPath(outputDir)) + System.IO.Path.DirectorySeparatorChar;
        var photos = new List<InputPhoto>();
        foreach (var input in inputs)
        {
            if (Directory.Exists(input))
            {
                var files = Directory.EnumerateFiles(input, "*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true })
                    .Where(f => Extensions.Contains(System.IO.Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
                    .Where(f => exclude is null || !System.IO.Path.GetFullPath(f).StartsWith(exclude, StringComparison.Ordinal))
                    .OrderBy(f => f, StringComparer.Ordinal)
                    .ToList();
                if (files.Count == 0) throw new UsageException($"{input}: the folder holds no .jpg, .jpeg or .png files (it is searched recursively)");
                photos.AddRange(files.Select(f => new InputPhoto(f, System.IO.Path.GetRelativePath(input, f))));
            }
            else if (File.Exists(input))
                photos.Add(new InputPhoto(input, System.IO.Path.GetFileName(input)));
            else
                throw new UsageException($"{input}: no such file or folder (give photos or folders of photos)");
        }
        return photos;
    }

    /// <summary>The output file for a photo: its relative path under <paramref name="outputDir"/>, as a PNG (lossless, so the photo's L survives).</summary>
    public static string OutputPath(string outputDir, InputPhoto photo) =>
        System.IO.Path.Combine(outputDir, System.IO.Path.ChangeExtension(photo.Relative, ".png"));
}
