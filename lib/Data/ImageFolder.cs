namespace Lib.Data;

/// <summary>The JPEG and PNG files under a folder, recursively, in a stable (ordinal) order.</summary>
public static class ImageFolder
{
    private static readonly string[] Extensions = [".jpg", ".jpeg", ".png"];

    public static IReadOnlyList<string> List(string root)
    {
        if (!Directory.Exists(root))
            throw new DirectoryNotFoundException($"image folder not found: {Path.GetFullPath(root)} (data/README.md says how to get the data sets)");
        var files = Directory.EnumerateFiles(root, "*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true })
            .Where(f => Extensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
            .Select(Path.GetFullPath)
            .OrderBy(f => f, StringComparer.Ordinal)
            .ToList();
        if (files.Count == 0)
            throw new InvalidDataException($"no .jpg, .jpeg or .png files under {Path.GetFullPath(root)}");
        return files;
    }
}
