using Lib.Evaluation;

namespace Lib.Tests;

/// <summary>
/// The bootstrap intervals a table shows: they cover a known mean as often as they claim, a method compared with itself
/// differs by nothing, pairing sees a small steady gain that image-to-image spread hides, and the per-image scores they
/// are computed from survive a save and a load.
/// </summary>
public sealed class IntervalTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("intervals-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static double[] Normal(Random rng, int n, double mean, double sd) =>
        Enumerable.Range(0, n).Select(_ => mean + sd * Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble())).ToArray();

    private static ScoreRow Row(string method, IReadOnlyList<double> psnr, IReadOnlyList<double>? ssim = null) =>
        new("test", method, psnr.Count, new Dictionary<string, double> { [Score.Psnr] = psnr.Average() },
            psnr.Select((v, i) => ($"img{i:D3}.png", (IReadOnlyDictionary<string, double>)new Dictionary<string, double>
            {
                [Score.Psnr] = v, [Score.Ssim] = ssim?[i] ?? 0.5,
            })).ToList());

    [Fact]
    public void The_95_percent_interval_covers_a_known_mean_in_93_to_97_percent_of_1000_trials()
    {
        var rng = new Random(2026);
        var covered = 0;
        for (var trial = 0; trial < 1000; trial++)
            if (Bootstrap.Mean(Normal(rng, 100, 23.4, 2.5), seed: trial).Contains(23.4)) covered++;
        Assert.InRange(covered, 930, 970);
    }

    [Fact]
    public void A_method_compared_with_itself_differs_by_an_interval_around_zero()
    {
        var table = new ScoreTable().Add(Row("a", Normal(new Random(1), 50, 20, 3)));
        var d = table.Compare("test", "a", "a", Score.Psnr);
        Assert.True(d.Contains(0));
        Assert.False(d.ExcludesZero);
        Assert.StartsWith("no difference detected between a and a on PSNR", Comparison.Describe(table, "test", "a", "a", Score.Psnr));
    }

    [Fact]
    public void Pairing_sees_a_steady_gain_that_the_spread_between_images_hides()
    {
        var rng = new Random(7);
        var b = Normal(rng, 60, 22, 4);                               // photos differ by several dB
        var a = b.Select(v => v + 0.3 + 0.1 * (rng.NextDouble() - 0.5)).ToArray(); // a is 0.3 dB better on every one
        var table = new ScoreTable().Add(Row("a", a), Row("b", b));
        var (ia, ib) = (table["test", "a"].IntervalOf(Score.Psnr)!.Value, table["test", "b"].IntervalOf(Score.Psnr)!.Value);
        Assert.True(ia.Low < ib.High, "the unpaired intervals should overlap");
        var d = table.Compare("test", "a", "b", Score.Psnr);
        Assert.True(d.Low > 0.25 && d.High < 0.35, $"paired {d}");
        Assert.Matches(@"^a beats b by 0\.3\d dB \[0\.\d\d, 0\.\d\d\] on PSNR \(60 images\)$", Comparison.Describe(table, "test", "a", "b", Score.Psnr));
        Assert.Equal(Comparison.Describe(table, "test", "a", "b", Score.Psnr), Comparison.Describe(table, "test", "b", "a", Score.Psnr)); // said the same either way round
        Assert.Contains("±", table.ToMarkdown());
        Assert.Contains("| test | a | +0.3", table.DifferencesMarkdown("b", Score.Psnr));
    }

    [Fact]
    public void Squares_of_one_photo_are_resampled_together_not_as_independent_images()
    {
        var photos = Normal(new Random(11), 20, 22, 3);
        // Six squares per photo, each its photo's score: no more information than the 20 photos themselves.
        var squares = photos.SelectMany(v => Enumerable.Repeat(v, 6)).ToList();
        var ids = photos.SelectMany((_, p) => Enumerable.Range(0, 6).Select(k => Lib.Data.PreparedImages.TileId($"photo{p}.jpg", k))).ToList();
        Assert.Equal("photo3.jpg", Lib.Data.PreparedImages.PhotoOf(ids[20]));
        Assert.Equal("set#3", Lib.Data.PreparedImages.PhotoOf("set#3"));       // an image named by its index is its own photo
        Assert.Equal("a#tilex", Lib.Data.PreparedImages.PhotoOf("a#tilex"));
        var byPhoto = Bootstrap.Mean(squares, ids.Select(Lib.Data.PreparedImages.PhotoOf).ToList());
        var alone = Bootstrap.Mean(photos);                                     // the same draws of the same 20 photos
        Assert.Equal((alone.Mean, alone.Low, alone.High), (byPhoto.Mean, byPhoto.Low, byPhoto.High), new Near());
        var naive = Bootstrap.Mean(squares);
        Assert.True(byPhoto.High - byPhoto.Low > 2 * (naive.High - naive.Low), $"by photo {byPhoto}, square by square {naive}");
        // Tables pair and show intervals by photo when their image names say which photo a square came from.
        var row = new ScoreRow("test", "a", squares.Count, new Dictionary<string, double> { [Score.Psnr] = squares.Average() },
            squares.Select((v, i) => (ids[i], (IReadOnlyDictionary<string, double>)new Dictionary<string, double> { [Score.Psnr] = v })).ToList());
        var gray = row with { Method = "b", PerImage = row.PerImage.Select(p => (p.id, (IReadOnlyDictionary<string, double>)new Dictionary<string, double> { [Score.Psnr] = p.values[Score.Psnr] - 0.5 })).ToList() };
        var table = new ScoreTable().Add(row, gray);
        Assert.Equal(byPhoto, table["test", "a"].IntervalOf(Score.Psnr)!.Value);
        Assert.Equal(0.5, table.Compare("test", "a", "b", Score.Psnr).Mean, 9);
    }

    private sealed class Near : IEqualityComparer<(double, double, double)>
    {
        public bool Equals((double, double, double) a, (double, double, double) b) =>
            Math.Abs(a.Item1 - b.Item1) < 1e-9 && Math.Abs(a.Item2 - b.Item2) < 1e-9 && Math.Abs(a.Item3 - b.Item3) < 1e-9;
        public int GetHashCode((double, double, double) v) => 0;
    }

    [Fact]
    public void Per_image_scores_round_trip_through_the_CSV_beside_the_table()
    {
        var rng = new Random(3);
        var table = new ScoreTable().Add(Row("gray photo, ab = 0", Normal(rng, 30, 23, 2), Normal(rng, 30, 0.9, 0.05)), Row("c. joint GAN", Normal(rng, 30, 23.5, 2)));
        table.Save(_dir, "t");
        Assert.True(File.Exists(Path.Combine(_dir, "t_per_image.csv")));
        var back = ScoreTable.Load(Path.Combine(_dir, "t.csv"));
        foreach (var row in table.Rows)
        {
            var read = back["test", row.Method];
            Assert.Equal(row.PerImage.Select(p => p.id), read.PerImage.Select(p => p.id));
            Assert.Equal(row.ValuesOf(Score.Psnr), read.ValuesOf(Score.Psnr));
            Assert.Equal(row.ValuesOf(Score.Ssim), read.ValuesOf(Score.Ssim));
            Assert.Equal(row.IntervalOf(Score.Psnr), read.IntervalOf(Score.Psnr));
        }
        Assert.Equal(table.Compare("test", "c. joint GAN", "gray photo, ab = 0", Score.Psnr), back.Compare("test", "c. joint GAN", "gray photo, ab = 0", Score.Psnr));
    }

    [Fact]
    public void A_row_without_per_image_scores_shows_its_mean_alone_and_cannot_be_paired()
    {
        var table = new ScoreTable().Add(
            new ScoreRow("test", "old", 10, new Dictionary<string, double> { [Score.Psnr] = 20 }, []),
            Row("new", Normal(new Random(4), 10, 21, 1)));
        Assert.Contains("| test | old | 10 | 20.00 |", table.ToMarkdown());
        Assert.Contains("per-image", Assert.Throws<InvalidOperationException>(() => table.Compare("test", "new", "old", Score.Psnr)).Message);
    }

    [Fact]
    public void A_verdict_across_seeds_holds_only_when_every_seed_agrees()
    {
        ScoreTable Seed(int seed, double gain)
        {
            var rng = new Random(seed);
            var b = Normal(rng, 40, 22, 3);
            return new ScoreTable().Add(Row("a", b.Select(v => v + gain + 0.05 * (rng.NextDouble() - 0.5)).ToArray()), Row("b", b));
        }
        var agree = new[] { Seed(1, 0.5), Seed(2, 0.3) };
        Assert.True(SeedAgreement.HoldsInEverySeed(agree, "test", "a", "b", Score.Psnr));
        Assert.StartsWith("a beats b on PSNR in all 2 seeds: by 0.5", SeedAgreement.Describe(agree, "test", "a", "b", Score.Psnr));
        Assert.StartsWith("a beats b on PSNR in all 2 seeds: by 0.5", SeedAgreement.Describe(agree, "test", "b", "a", Score.Psnr)); // either way round
        var split = new[] { Seed(1, 0.5), Seed(2, -0.3) };
        Assert.False(SeedAgreement.HoldsInEverySeed(split, "test", "a", "b", Score.Psnr));
        Assert.Contains("do not agree", SeedAgreement.Describe(split, "test", "a", "b", Score.Psnr));
        var (mean, min, max) = SeedAgreement.Spread(split, "test", "a", Score.Psnr);
        Assert.True(min < mean && mean < max);
    }
}
