using Lib.Torch;

namespace Lib.Training;

/// <summary>The configs' Device setting: "auto" (a GPU when libtorch sees one, else the CPU), "cpu", "cuda", "cuda:1".</summary>
public static class TrainingDevice
{
    public const string Auto = "auto";

    public static Device Resolve(string setting)
    {
        if (string.Equals(setting, Auto, StringComparison.OrdinalIgnoreCase))
            return torch.cuda.is_available() ? new Device(DeviceType.CUDA, 0) : torch.CPU;
        Device device;
        try { device = Device.Parse(setting); }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"Device = \"{setting}\" is not a device: use \"auto\", \"cpu\", \"cuda\" or \"cuda:N\" ({e.Message})", nameof(setting), e);
        }
        if (device.type == DeviceType.CUDA && !torch.cuda.is_available())
            throw new InvalidOperationException(
                $"Device = \"{setting}\" but this libtorch sees no GPU (CPU-only build or no driver): set Device = \"cpu\", or build " +
                "the shim against a CUDA libtorch (environment.md, \"Pointing the shim at another libtorch\")");
        if (device.type == DeviceType.CUDA && device.index >= torch.cuda.device_count())
            throw new InvalidOperationException($"Device = \"{setting}\" but only {torch.cuda.device_count()} GPU(s) are visible");
        return device;
    }
}
