namespace Lib.Data;

/// <summary>
/// A seeded, deterministic train/validation/test split of files. The same files and seed give the
/// same split on every machine (System.Random with a seed is stable across .NET versions).
/// </summary>
public sealed record DataSplit(IReadOnlyList<string> Train, IReadOnlyList<string> Val, IReadOnlyList<string> Test)
{
    /// <summary>
    /// Shuffles and takes counts in the order test, val, train (so the held-out test images do not
    /// change when train grows); train gets at most what is left. When even test and val do not
    /// fit, they shrink in proportion.
    /// </summary>
    public static DataSplit Create(IReadOnlyList<string> files, int train, int val, int test, int seed)
    {
        if (train < 1 || val < 0 || test < 0) throw new ArgumentException($"split sizes must be train ≥ 1, val ≥ 0, test ≥ 0 (got {train}, {val}, {test})");
        var shuffled = files.OrderBy(f => f, StringComparer.Ordinal).ToArray();
        var rng = new Random(seed);
        for (var i = shuffled.Length - 1; i > 0; i--)
        {
            var j = rng.Next(i + 1);
            (shuffled[i], shuffled[j]) = (shuffled[j], shuffled[i]);
        }
        if (test + val + 1 > shuffled.Length)
        {
            // Too few files even for the held-out sets: shrink them in proportion, keep at least one each.
            var scale = shuffled.Length / (double)(test + val + train);
            test = test > 0 ? Math.Max(1, (int)Math.Floor(test * scale)) : 0;
            val = val > 0 ? Math.Max(1, (int)Math.Floor(val * scale)) : 0;
            if (test + val >= shuffled.Length) throw new InvalidDataException($"only {shuffled.Length} images: too few for a train/val/test split");
        }
        train = Math.Min(train, shuffled.Length - test - val);
        return new DataSplit(shuffled[(test + val)..(test + val + train)], shuffled[test..(test + val)], shuffled[..test]);
    }

    public override string ToString() => $"{Train.Count} train, {Val.Count} val, {Test.Count} test";
}
