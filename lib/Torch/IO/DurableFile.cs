using System.Runtime.InteropServices;

namespace Lib.Torch;

/// <summary>
/// Replacing a file so that a crash or a power loss at any moment leaves either the old file or the
/// complete new one: write a temporary file beside it, fsync it, rename it over the target, fsync the
/// folder. Without the first fsync a power loss after the rename can leave the new name pointing at an
/// empty or partly written file (ext4's delayed allocation); without the second the rename itself may
/// be lost. A crash that only kills the process (SIGKILL, OOM) is covered by the rename alone.
/// </summary>
public static class DurableFile
{
    /// <summary>
    /// Writes <paramref name="path"/> through <paramref name="write"/> into a temporary file, then makes it
    /// durable and renames it into place. A failure or crash leaves the previous file untouched.
    /// </summary>
    public static void Replace(string path, Action<FileStream> write)
    {
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(dir);
        // A name of its own per writer: two processes saving the same file must not share a temporary.
        var tmp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        RemoveStaleTemporaries(dir, Path.GetFileName(full));
        try
        {
            using (var fs = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(fs);
                fs.Flush(flushToDisk: true);
            }
            File.Move(tmp, full, overwrite: true);
        }
        catch (IOException e) when (e is not DiskFullException && DiskFullException.IsDiskFull(e))
        {
            throw DiskFull(full, tmp, e);
        }
        finally
        {
            if (File.Exists(tmp)) File.Delete(tmp);
        }
        SyncDirectory(dir);
    }

    /// <summary>The error for a write that filled the disk: the folder, what the file needs, what is free, and that the old file stands.</summary>
    private static DiskFullException DiskFull(string full, string tmp, IOException e)
    {
        var dir = Path.GetDirectoryName(full)!;
        var written = File.Exists(tmp) ? new FileInfo(tmp).Length : 0;
        var previous = File.Exists(full) ? new FileInfo(full).Length : 0;
        var needed = Math.Max(written + 1, previous);
        long free;
        try { free = new DriveInfo(dir).AvailableFreeSpace; }
        catch (Exception x) when (x is IOException or ArgumentException or UnauthorizedAccessException) { free = -1; }
        var name = Path.GetFileName(full);
        return new DiskFullException(
            $"no space left in {dir} to write {name}: it needs {(previous > written ? "about" : "more than")} {DiskFullException.Megabytes(needed)}" +
            (free >= 0 ? $", {DiskFullException.Megabytes(free)} is free" : "") +
            $". Free space there or write to another folder; {(previous > 0 ? $"the previous {name} is unchanged" : $"no {name} was written")}.",
            dir, needed, free, e);
    }

    /// <summary>
    /// Deletes temporaries of <paramref name="name"/> left by killed writers (their process is gone), so that a run
    /// crashing again and again mid-save does not fill the disk with partial checkpoints.
    /// </summary>
    private static void RemoveStaleTemporaries(string dir, string name)
    {
        foreach (var stale in Directory.EnumerateFiles(dir, $".{name}.*.tmp"))
        {
            var parts = Path.GetFileName(stale)[(name.Length + 2)..].Split('.');
            if (parts.Length != 3 || !int.TryParse(parts[0], out var pid) || pid == Environment.ProcessId || IsRunning(pid)) continue;
            try { File.Delete(stale); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var p = System.Diagnostics.Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException) { return false; }
        catch (InvalidOperationException) { return false; }
    }

    /// <summary>Text written durably, as <see cref="Replace"/>.</summary>
    public static void WriteAllText(string path, string text) =>
        Replace(path, fs =>
        {
            using var w = new StreamWriter(fs, leaveOpen: true);
            w.Write(text);
        });

    /// <summary>A durable copy of <paramref name="source"/> at <paramref name="destination"/>, as <see cref="Replace"/>.</summary>
    public static void Copy(string source, string destination) =>
        Replace(destination, fs =>
        {
            using var src = File.OpenRead(source);
            src.CopyTo(fs);
        });

    /// <summary>fsync of a folder, so a rename into it survives a power loss (POSIX only; Windows has no such call and needs none).</summary>
    public static void SyncDirectory(string dir)
    {
        if (OperatingSystem.IsWindows()) return;
        var fd = open(dir, O_RDONLY | O_DIRECTORY);
        if (fd < 0) throw new IOException($"cannot open folder {dir} to flush it to disk (errno {Marshal.GetLastPInvokeError()})");
        try
        {
            if (fsync(fd) != 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                // EINVAL: the file system cannot sync folders (some FUSE and network mounts); nothing more can be done there.
                if (errno != EINVAL) throw new IOException($"cannot flush folder {dir} to disk (errno {errno})");
            }
        }
        finally { close(fd); }
    }

    private const int O_RDONLY = 0, EINVAL = 22;
    private static readonly int O_DIRECTORY = OperatingSystem.IsMacOS() ? 0x100000 : 0x10000;

    [DllImport("libc", SetLastError = true)] private static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);
    [DllImport("libc", SetLastError = true)] private static extern int fsync(int fd);
    [DllImport("libc")] private static extern int close(int fd);
}
