namespace Lib.Torch;

/// <summary>
/// A file could not be written for lack of space (ENOSPC, or Windows' disk-full errors). The message names the folder, the
/// space the file needs (at least what was written before the disk filled, or the size of the file it replaces) and the space
/// free; the file it was to replace, if any, is unchanged and its temporary removed (<see cref="DurableFile.Replace"/>).
/// </summary>
public sealed class DiskFullException(string message, string folder, long bytesNeeded, long bytesFree, Exception inner) : IOException(message, inner)
{
    public string Folder { get; } = folder;
    public long BytesNeeded { get; } = bytesNeeded;
    public long BytesFree { get; } = bytesFree;

    /// <summary>True for the operating system's "no space left" errors.</summary>
    public static bool IsDiskFull(IOException e) =>
        OperatingSystem.IsWindows() ? (e.HResult & 0xFFFF) is 0x27 or 0x70 : e.HResult == 28 /* ENOSPC */ || e.Message.Contains("No space left on device", StringComparison.Ordinal);

    internal static string Megabytes(long bytes) => bytes >= 10_000_000 ? $"{bytes / 1e6:0} MB" : $"{bytes / 1e6:0.0} MB";
}
