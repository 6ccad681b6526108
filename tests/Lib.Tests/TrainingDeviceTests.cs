using Lib.Torch;
using Lib.Training;

namespace Lib.Tests;

public class TrainingDeviceTests
{
    [Fact]
    public void Device_setting_resolves_and_a_wrong_one_names_the_setting()
    {
        Assert.Equal(torch.cuda.is_available() ? DeviceType.CUDA : DeviceType.CPU, TrainingDevice.Resolve("auto").type);
        Assert.Equal(torch.CPU, TrainingDevice.Resolve("cpu"));
        var unknown = Assert.Throws<ArgumentException>(() => TrainingDevice.Resolve("gpu"));
        Assert.Contains("Device = \"gpu\"", unknown.Message);
        if (!torch.cuda.is_available())
        {
            var noGpu = Assert.Throws<InvalidOperationException>(() => TrainingDevice.Resolve("cuda"));
            Assert.Contains("set Device = \"cpu\"", noGpu.Message);
        }
    }
}
