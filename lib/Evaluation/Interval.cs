using System.Globalization;

namespace Lib.Evaluation;

/// <summary>
/// A mean over images and its 95 % confidence interval (a bootstrap over the images, <see cref="Bootstrap"/>): what a
/// table cell says when it says how sure it is.
/// </summary>
public readonly record struct Interval(double Mean, double Low, double High)
{
    /// <summary>Half the interval's width: the ± a table shows.</summary>
    public double HalfWidth => (High - Low) / 2;

    public bool Contains(double value) => value >= Low && value <= High;

    /// <summary>Whether the whole interval lies above (or below) zero: a difference the data can tell from none.</summary>
    public bool ExcludesZero => Low > 0 || High < 0;

    /// <summary>"23.44 [23.13, 23.75]" with <paramref name="format"/> for each number.</summary>
    public string ToString(string format) =>
        $"{Mean.ToString(format, CultureInfo.InvariantCulture)} [{Low.ToString(format, CultureInfo.InvariantCulture)}, {High.ToString(format, CultureInfo.InvariantCulture)}]";

    public override string ToString() => ToString("0.####");
}
