using Lib.Imaging;
using Lib.Pipelines;
using Lib.Torch;
using Spectre.Console;
using static Lib.Torch.torch;

namespace Workbook;

/// <summary>
/// The loop every photo verb shares: read each photo upright (EXIF orientation), process it, write the PNG under
/// the output folder at the photo's relative path. Existing outputs are kept unless forced; a photo that cannot be
/// read is reported by name, skipped and counted. Progress (photos/s, ETA) goes to the log through Spectre.Console.
/// </summary>
public sealed class PhotoRunner(TextWriter log, bool force)
{
    private readonly HashSet<string> _notes = [];

    /// <summary>Writes <paramref name="message"/> the first time a note of this <paramref name="key"/> comes up (e.g. "color photos are converted to gray").</summary>
    public void NoteOnce(string key, string message)
    {
        if (_notes.Add(key)) log.WriteLine(message);
    }

    /// <summary>A gray → color stage (a colorizer or a restoring pipeline) on one decoded photo; a color photo is made gray first, said once.</summary>
    public Tensor GrayToColor(InputPhoto photo, Tensor image, Stage stage)
    {
        if (image.size(0) >= 3) NoteOnce("color", $"{photo.Path} is a color photo: color photos are converted to gray first (the stage sees their lightness only)");
        using var l = PhotoTensors.to_stage_input(image, ImageKind.Gray);
        using var rgb = stage.call(l);
        return PhotoTensors.to_image(rgb, ImageKind.Color);
    }

    /// <summary>
    /// Fails before any photo is read when the outputs cannot be written: a photo that would be counted "unreadable" for a
    /// problem of the output path was no problem of the photo's.
    /// </summary>
    private static void CheckOutputFolder(string outputDir)
    {
        if (File.Exists(outputDir))
            throw new UsageException($"-o {outputDir} is a file, not a folder: give a folder for the outputs (it is created when missing), e.g. -o {outputDir}-out");
        try
        {
            Directory.CreateDirectory(outputDir);
            var probe = Path.Combine(outputDir, $".write-test-{Environment.ProcessId}");
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"-o {outputDir}: the outputs cannot be written there ({e.Message}); give a folder you can write to");
        }
    }

    /// <summary>Runs <paramref name="process"/> (decoded uint8 C×H×W → the C×H×W image to write: uint8, or floats in [0, 1]) on every photo; returns the exit code.</summary>
    /// <exception cref="UsageException">The output folder is a file, or cannot be made or written to.</exception>
    public int Run(IReadOnlyList<InputPhoto> photos, string outputDir, string verb, Func<InputPhoto, Tensor, Tensor> process)
    {
        CheckOutputFolder(outputDir);
        int done = 0, existing = 0;
        var failed = new List<string>();
        var written = new Dictionary<string, string>(StringComparer.Ordinal);
        // Live bars and colors only on a terminal; a redirected or captured log gets plain lines.
        var terminal = ReferenceEquals(log, Console.Error) && !Console.IsErrorRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(log),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            Interactive = terminal ? InteractionSupport.Detect : InteractionSupport.No,
        });
        console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask(verb, maxValue: photos.Count);
                foreach (var photo in photos)
                {
                    var target = InputPhotos.OutputPath(outputDir, photo);
                    task.Description = $"{verb} {Markup.Escape(photo.Relative)}";
                    if (written.TryGetValue(target, out var first))
                    {
                        failed.Add(photo.Path);
                        console.WriteLine($"skipped {photo.Path}: its output {target} is already written from {first} (rename one of them)");
                    }
                    else if (File.Exists(target) && !force)
                    {
                        existing++;
                        console.WriteLine($"kept {target}: it exists (--force overwrites)");
                    }
                    else
                    {
                        using var scope = NewDisposeScope();
                        Tensor? result = null;
                        try
                        {
                            var image = Image.read(photo.Path, ImageReadMode.Unchanged, apply_exif_orientation: true);
                            result = process(photo, image);
                        }
                        catch (Exception e) when (e is TorchException or IOException or InvalidDataException or UnauthorizedAccessException)
                        {
                            failed.Add(photo.Path);
                            console.WriteLine($"skipped {photo.Path}: {e.Message}");
                        }
                        if (result is not null)
                        {
                            // A photo that was read but whose output cannot be written stops the batch: the next would fail alike.
                            try { Image.write_png(result, target); }
                            catch (DiskFullException e) { throw new OutputFailedException($"{e.Message} {done} photos were written before it.", e); }
                            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                            {
                                throw new OutputFailedException($"cannot write {target}: {e.Message} ({done} photos were written before it; check the folder given with -o)", e);
                            }
                            written[target] = photo.Path;
                            done++;
                        }
                    }
                    task.Increment(1);
                }
                task.Description = verb;
            });
        log.WriteLine($"{verb}: {done} written to {outputDir}, {existing} kept (already there), {failed.Count} unreadable" +
                      (failed.Count > 0 ? $": {string.Join(", ", failed.Select(Path.GetFileName))}" : ""));
        if (done > 0) return ExitCodes.Success;
        log.WriteLine(existing > 0 && failed.Count == 0
            ? $"nothing processed: every output already exists in {outputDir}; pass --force to write them again"
            : $"nothing processed: none of the {photos.Count} photos could be read (see the messages above)");
        return ExitCodes.NothingProcessed;
    }
}
