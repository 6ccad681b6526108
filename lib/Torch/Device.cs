namespace Lib.Torch;

/// <summary>Device kinds, numbered as c10::DeviceType.</summary>
public enum DeviceType
{
    CPU = 0,
    CUDA = 1,
}

/// <summary>Where a tensor lives: <c>cpu</c>, <c>cuda</c> or <c>cuda:1</c>, as in PyTorch.</summary>
public sealed record Device(DeviceType type, int index = -1)
{
    /// <summary>Parses PyTorch's spelling: "cpu", "cuda", "cuda:0".</summary>
    public Device(string description) : this(Parse(description).type, Parse(description).index) { }

    public static Device Parse(string description)
    {
        var s = description.Trim().ToLowerInvariant();
        var colon = s.IndexOf(':');
        var kind = colon < 0 ? s : s[..colon];
        var index = -1;
        if (colon >= 0 && !int.TryParse(s[(colon + 1)..], out index))
            throw new ArgumentException($"device '{description}': the index after ':' must be a number, e.g. 'cuda:0'");
        return kind switch
        {
            "cpu" => new Device(DeviceType.CPU, index),
            "cuda" => new Device(DeviceType.CUDA, index),
            _ => throw new ArgumentException($"device '{description}' is not known; use 'cpu' or 'cuda[:index]'"),
        };
    }

    public static implicit operator Device(string description) => Parse(description);

    public override string ToString() =>
        (type == DeviceType.CPU ? "cpu" : "cuda") + (index >= 0 ? $":{index}" : "");
}
