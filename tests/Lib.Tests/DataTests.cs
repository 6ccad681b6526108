using Lib.Data;
using Lib.Imaging;
using Lib.Torch;
using static Lib.Torch.torch;

namespace Lib.Tests;

public sealed class DataTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("lib-data-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    /// <summary>A smooth random color image (C×H×W float in [0,1]) — something like a photo.</summary>
    private static Tensor Photo(int h, int w, bool gray = false)
    {
        using var scope = NewDisposeScope();
        var small = rand(1, gray ? 1 : 3, 6, 6);
        var img = nn.functional.interpolate(small, (h, w), mode: nn.UpsampleMode.Bilinear).squeeze(0);
        if (gray) img = img.expand(3, h, w);
        return img.contiguous().MoveToOuterDisposeScope();
    }

    private string[] MakeFolder(int color, int gray, bool corrupt)
    {
        manual_seed(3);
        var sub = Directory.CreateDirectory(Path.Combine(_dir, "photos", "nested")).FullName;
        for (var i = 0; i < color; i++)
        {
            using var p = Photo(40, 56);
            Image.write_png(p, Path.Combine(i % 2 == 0 ? sub : Path.Combine(_dir, "photos"), $"color{i}.png"));
        }
        for (var i = 0; i < gray; i++)
        {
            using var p = Photo(48, 48, gray: true);
            Image.write_jpeg(p, Path.Combine(_dir, "photos", $"gray{i}.jpg"), 95);
        }
        if (corrupt) File.WriteAllBytes(Path.Combine(_dir, "photos", "broken.jpg"), [0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3]);
        File.WriteAllText(Path.Combine(_dir, "photos", "notes.txt"), "not an image");
        return ImageFolder.List(Path.Combine(_dir, "photos")).ToArray();
    }

    [Fact]
    public void Folder_listing_is_recursive_sorted_and_images_only()
    {
        var files = MakeFolder(3, 1, false);
        Assert.Equal(4, files.Length);
        Assert.Equal(files.OrderBy(f => f, StringComparer.Ordinal), files);
        Assert.Contains(files, f => f.Contains("nested"));
        Assert.Throws<DirectoryNotFoundException>(() => ImageFolder.List(Path.Combine(_dir, "missing")));
    }

    [Fact]
    public void Split_is_seeded_disjoint_and_keeps_test_stable()
    {
        var files = Enumerable.Range(0, 100).Select(i => $"f{i:D3}.jpg").ToList();
        var a = DataSplit.Create(files, 70, 20, 10, seed: 1);
        var b = DataSplit.Create(files, 70, 20, 10, seed: 1);
        var c = DataSplit.Create(files, 50, 20, 10, seed: 1);
        Assert.Equal(a.Train, b.Train);
        Assert.Equal(a.Test, c.Test);
        Assert.Empty(a.Train.Intersect(a.Val).Concat(a.Train.Intersect(a.Test)).Concat(a.Val.Intersect(a.Test)));
        Assert.NotEqual(a.Train, DataSplit.Create(files, 70, 20, 10, seed: 2).Train);
        var few = DataSplit.Create(files.Take(12).ToList(), 8000, 2000, 20, seed: 1);
        Assert.True(few.Train.Count >= 1 && few.Val.Count >= 1 && few.Test.Count >= 1);
        Assert.Equal(12, few.Train.Count + few.Val.Count + few.Test.Count);
    }

    [Fact]
    public void Held_out_shares_follow_the_folder_with_the_counts_as_floors()
    {
        var shares = new DataSettings { TrainImages = 10_000, ValImages = 2, TestImages = 2, ValFraction = 0.1, TestFraction = 0.25 };
        Assert.Equal((2, 3), shares.HeldOut(12));      // 1.2 → the floor of 2; 3
        Assert.Equal((7, 17), shares.HeldOut(66));     // 6.6 → 7; 16.5 → 17
        Assert.Equal((100, 250), shares.HeldOut(1000));
        var files = Enumerable.Range(0, 66).Select(i => $"f{i:D3}.jpg").ToList();
        var split = shares.Split(files, seed: 1);
        Assert.Equal((42, 7, 17), (split.Train.Count, split.Val.Count, split.Test.Count));
        // The counts alone, as before shares existed: a config saved without them splits as it did.
        var counts = shares with { ValFraction = 0, TestFraction = 0 };
        Assert.Equal((2, 2), counts.HeldOut(1000));
        Assert.Equal(DataSplit.Create(files, 10_000, 2, 2, seed: 1), counts.Split(files, seed: 1), new SplitComparer());
        Assert.Contains("TestFraction", (shares with { TestFraction = 0.5 }).Check(32));
        Assert.Contains("ValFraction", (shares with { ValFraction = -0.1 }).Check(32));
        Assert.Null(shares.Check(32));
    }

    private sealed class SplitComparer : IEqualityComparer<DataSplit>
    {
        public bool Equals(DataSplit? a, DataSplit? b) => a!.Train.SequenceEqual(b!.Train) && a.Val.SequenceEqual(b.Val) && a.Test.SequenceEqual(b.Test);
        public int GetHashCode(DataSplit s) => s.Train.Count;
    }

    [Fact]
    public void Grayscale_photos_are_left_out_and_a_corrupt_file_is_skipped_with_its_name()
    {
        var files = MakeFolder(3, 2, corrupt: true);
        var log = new StringWriter();
        using var prepared = PreparedImages.Prepare(files, new PrepareOptions { LoadSize = 32, Log = log });
        Assert.Equal(3, prepared.Count);
        Assert.Equal(2, prepared.Grayscale.Count);
        Assert.Single(prepared.Failed);
        Assert.Contains("broken.jpg", log.ToString());
        Assert.Equal([3L, 3L, 32L, 32L], prepared.Images.shape);
        Assert.Equal(ScalarType.Byte, prepared.Images.dtype);
    }

    [Fact]
    public void Tiles_and_the_cache()
    {
        var files = MakeFolder(2, 0, false);
        var cache = Path.Combine(_dir, "cache");
        var options = new PrepareOptions { LoadSize = 16, TilesPerSide = 2, CacheDir = cache, Log = TextWriter.Null };
        using var first = PreparedImages.Prepare(files, options);
        // 40×56 → 32×45: 2 rows × 2 columns of whole 16-pixel tiles per photo
        Assert.Equal(8, first.Count);
        Assert.False(first.FromCache);
        using var second = PreparedImages.Prepare(files, options);
        Assert.True(second.FromCache);
        Assert.Equal(first.Sources, second.Sources);
        Assert.Equal(first.Images.ToArray<byte>(), second.Images.ToArray<byte>());
    }

    [Fact]
    public void Loader_crops_flips_and_repeats_per_epoch()
    {
        var files = MakeFolder(5, 0, false);
        using var prepared = PreparedImages.Prepare(files, new PrepareOptions { LoadSize = 24, Log = TextWriter.Null });
        var loader = new BatchLoader(prepared, batchSize: 2, cropSize: 16, train: true, seed: 9);
        Assert.Equal(3, loader.BatchesPerEpoch);
        float[] Flat(int epoch)
        {
            var all = new List<float>();
            foreach (var b in loader.Epoch(epoch))
                using (b)
                {
                    Assert.Equal(16, b[0].size(2));
                    all.AddRange(b[0].ToArray<float>());
                }
            return all.ToArray();
        }
        var before = TestSupport.SettledLiveCount();
        Assert.Equal(Flat(0), Flat(0));
        Assert.NotEqual(Flat(0), Flat(1));
        foreach (var b in loader.Epoch(2)) { b.Dispose(); break; } // stopping early frees the prefetched batches
        Assert.Equal(before, LiveTensorCount);
        var eval = new BatchLoader(prepared, 5, 16, train: false, seed: 9, transform: rgb => [rgb.mean([1], keepdim: true), rgb]);
        foreach (var b in eval.Epoch(0))
            using (b)
            {
                Assert.Equal(2, b.Length);
                Assert.Equal([5L, 1L, 16L, 16L], b[0].shape);
            }
    }

    [Fact]
    public void Resized_crops_show_the_photo_at_many_scales_repeat_per_epoch_and_resume_mid_epoch()
    {
        var files = MakeFolder(6, 0, false);
        using var prepared = PreparedImages.Prepare(files, new PrepareOptions { LoadSize = 32, Log = TextWriter.Null });
        var loader = new BatchLoader(prepared, batchSize: 2, cropSize: 16, train: true, seed: 9, minCropScale: 0.5);
        float[][] Batches(int epoch, int skip = 0)
        {
            var all = new List<float[]>();
            foreach (var b in loader.Epoch(epoch, skip))
                using (b)
                {
                    Assert.Equal([2L, 3L, 16L, 16L], b[0].shape);
                    var v = b[0].ToArray<float>();
                    Assert.All(v, x => Assert.InRange(x, 0f, 1f));
                    all.Add(v);
                }
            return all.ToArray();
        }
        var first = Batches(0);
        Assert.Equal(first, Batches(0));
        Assert.Equal(first.Skip(1), Batches(0, skip: 1)); // a resumed epoch draws the skipped crops' sides too
        Assert.NotEqual(first, Batches(1));
        // Not plain crops: a 16-pixel crop of the 32-pixel square would be one of its windows, pixel for pixel.
        var plain = new BatchLoader(prepared, batchSize: 2, cropSize: 16, train: true, seed: 9);
        foreach (var b in plain.Epoch(0)) using (b) Assert.NotEqual(first[0], b[0].ToArray<float>());
        Assert.Throws<ArgumentOutOfRangeException>(() => new BatchLoader(prepared, 2, 16, true, 9, minCropScale: 1.5));
        Assert.Contains("MinCropScale", new DataSettings { MinCropScale = -1 }.Check(16));
    }
}
