namespace Lib.Torch;

/// <summary>
/// A number passed to an operation. Integral values stay integral, so an int64 tensor plus 1 stays
/// int64 and a float tensor times 2 stays float32, as in PyTorch.
/// </summary>
public readonly record struct Scalar(double Value, bool IsIntegral)
{
    public static implicit operator Scalar(int v) => new(v, true);
    public static implicit operator Scalar(long v) => new(v, true);
    public static implicit operator Scalar(float v) => new(v, false);
    public static implicit operator Scalar(double v) => new(v, false);
    public static implicit operator Scalar(bool v) => new(v ? 1 : 0, true);

    internal int IntFlag => IsIntegral ? 1 : 0;

    public override string ToString() => IsIntegral ? ((long)Value).ToString() : Value.ToString("R");
}
