using System.Collections.Concurrent;
using Lib.Imaging;
using Lib.Torch;
using static Lib.Torch.torch;

namespace Lib.Data;

/// <summary>A batch of tensors (e.g. L and ab) that the consumer owns: dispose it, or Include it in a scope.</summary>
public sealed class Batch(Tensor[] items) : IDisposable
{
    public Tensor this[int index] => items[index];
    public int Length => items.Length;
    public long Size => items[0].size(0);

    /// <summary>Hands every tensor to the current dispose scope.</summary>
    public Batch IncludeIn(DisposeScope scope)
    {
        foreach (var t in items) scope.Include(t);
        return this;
    }

    public void Dispose()
    {
        foreach (var t in items) t.Dispose();
    }
}

/// <summary>
/// Serves batches of random (training) or center (evaluation) crops from prepared images, with
/// optional horizontal flips, and runs a transform (e.g. RGB → L, ab) — all on a background thread,
/// a bounded number of batches ahead, so the training step does not wait for data. The order and
/// the augmentations depend only on (seed, epoch), so a resumed run sees the same batches.
/// With <paramref name="minCropScale"/> &gt; 0 a training crop is a random square of a random side between
/// minCropScale and all of the prepared side, resized to <paramref name="cropSize"/> (antialiased bicubic): torchvision's
/// RandomResizedCrop with square crops, which shows every photo at many scales and positions instead of nearly one view.
/// </summary>
public sealed class BatchLoader(PreparedImages data, int batchSize, int cropSize, bool train, int seed,
    Func<Tensor, Tensor[]>? transform = null, int prefetch = 2, bool dropLast = false, double minCropScale = 0)
{
    public int BatchSize { get; } = batchSize > 0 ? batchSize : throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "batch size must be positive");
    public int CropSize { get; } = cropSize <= data.Size ? cropSize : throw new ArgumentException($"crop size {cropSize} is larger than the prepared images ({data.Size}); raise PrepareOptions.LoadSize");
    public int Count => data.Count;

    /// <summary>The least side of a training crop as a share of the prepared side (0: crops of <see cref="CropSize"/>, not resized).</summary>
    public double MinCropScale { get; } = minCropScale is >= 0 and <= 1 ? minCropScale
        : throw new ArgumentOutOfRangeException(nameof(minCropScale), minCropScale, "the least crop scale must be in [0, 1] (0: plain crops)");

    public int BatchesPerEpoch => dropLast ? data.Count / BatchSize : (data.Count + BatchSize - 1) / BatchSize;

    /// <summary>The batches of one epoch. Each is the caller's to dispose.</summary>
    public IEnumerable<Batch> Epoch(int epoch, CancellationToken ct = default) => Epoch(epoch, 0, ct);

    /// <summary>
    /// The batches of one epoch after its first <paramref name="skip"/> (a run resumed in the middle of an epoch):
    /// the same batches, crops and flips as the uninterrupted epoch, without preparing the skipped ones.
    /// </summary>
    public IEnumerable<Batch> Epoch(int epoch, int skip, CancellationToken ct = default)
    {
        if (skip < 0) throw new ArgumentOutOfRangeException(nameof(skip), skip, "cannot skip a negative number of batches");
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var queue = new BlockingCollection<Batch>(Math.Max(1, prefetch));
        var producer = Task.Run(() => Produce(epoch, skip, queue, cts.Token));
        try
        {
            foreach (var batch in queue.GetConsumingEnumerable(cts.Token))
                yield return batch;
            producer.GetAwaiter().GetResult(); // rethrows a producer failure
        }
        finally
        {
            cts.Cancel();
            try { producer.Wait(); } catch (AggregateException) { }
            while (queue.TryTake(out var left)) left.Dispose();
        }
    }

    private void Produce(int epoch, int skip, BlockingCollection<Batch> queue, CancellationToken ct)
    {
        try
        {
            // Plain arithmetic, not HashCode (randomized per process): the stream must repeat across runs.
            var rng = new Random(unchecked(seed * 1_000_003 + epoch * 2 + (train ? 1 : 0)));
            var order = Enumerable.Range(0, data.Count).ToArray();
            if (train) rng.Shuffle(order);
            var margin = data.Size - CropSize;
            var resized = train && MinCropScale > 0;
            var leastSide = Math.Clamp((int)Math.Ceiling(MinCropScale * data.Size), 1, data.Size);
            // One crop's random draws, in one order for the served and the skipped batches alike (a resume depends on it).
            (int side, int top, int left, bool flip) Draw()
            {
                if (!train) return (CropSize, margin / 2, margin / 2, false);
                var side = resized ? rng.Next(leastSide, data.Size + 1) : CropSize;
                return (side, rng.Next(data.Size - side + 1), rng.Next(data.Size - side + 1), rng.Next(2) == 1);
            }
            for (var start = 0; start < order.Length; start += BatchSize)
            {
                var n = Math.Min(BatchSize, order.Length - start);
                if (dropLast && n < BatchSize) break;
                ct.ThrowIfCancellationRequested();
                if (start / BatchSize < skip)
                {
                    // Draw what the skipped batch would have drawn, so the batches after it are the same.
                    for (var k = 0; k < n; k++) Draw();
                    continue;
                }
                Tensor[] items;
                using (var scope = NewDisposeScope())
                {
                    var crops = new List<Tensor>(n);
                    for (var k = 0; k < n; k++)
                    {
                        var img = data.Images.select(0, order[start + k]);
                        var (side, top, left, flip) = Draw();
                        var crop = img.narrow(1, top, side).narrow(2, left, side);
                        if (resized) crop = Resize.bicubic(crop.to(ScalarType.Float32), CropSize, CropSize).clamp_(0, 255);
                        crops.Add(flip ? crop.flip(2) : crop);
                    }
                    var rgb = stack(crops, 0).to(ScalarType.Float32).div_(255);
                    items = transform is null ? [rgb] : transform(rgb);
                    foreach (var t in items) t.DetachFromDisposeScope();
                }
                var batch = new Batch(items);
                try { queue.Add(batch, ct); }
                catch (OperationCanceledException) { batch.Dispose(); throw; }
            }
        }
        catch (OperationCanceledException) { }
        finally { queue.CompleteAdding(); }
    }
}
