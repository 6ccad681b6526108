namespace Lib.Torch;

/// <summary>How a 4-d tensor lays out its elements, numbered as c10::MemoryFormat so they cross the C ABI unchanged.</summary>
/// <remarks>
/// <see cref="ChannelsLast"/> keeps each pixel's channels side by side (N, H, W, C in memory, shape still N×C×H×W):
/// oneDNN's own layout for convolutions, which NCHW inputs are reordered into and out of at every layer.
/// </remarks>
public enum MemoryFormat
{
    Contiguous = 0,
    Preserve = 1,
    ChannelsLast = 2,
    ChannelsLast3d = 3,
}

public static partial class torch
{
    /// <summary>PyTorch's torch.contiguous_format.</summary>
    public const MemoryFormat contiguous_format = MemoryFormat.Contiguous;

    /// <summary>PyTorch's torch.channels_last.</summary>
    public const MemoryFormat channels_last = MemoryFormat.ChannelsLast;

    /// <summary>PyTorch's torch.preserve_format.</summary>
    public const MemoryFormat preserve_format = MemoryFormat.Preserve;
}
