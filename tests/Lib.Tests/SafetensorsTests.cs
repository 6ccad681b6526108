using Lib.Torch;
using static Lib.Torch.torch;

namespace Lib.Tests;

public sealed class SafetensorsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("lib-st-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    [Fact]
    public void Round_trip_keeps_names_dtypes_shapes_values_and_metadata()
    {
        using var scope = NewDisposeScope();
        var tensors = new Dictionary<string, Tensor>
        {
            ["a.weight"] = randn(3, 4),
            ["b"] = arange(5),
            ["c"] = tensor(new byte[] { 1, 2, 255 }),
            ["d"] = randn([2, 2], float64),
            ["e"] = tensor(new[] { true, false }),
            ["scalar"] = full([], 3.5, float32),
        };
        var path = Path.Combine(_dir, "sub", "t.safetensors");
        Safetensors.save(tensors, path, new Dictionary<string, string> { ["epoch"] = "3" });
        var back = Safetensors.load(path, out var meta);
        try
        {
            Assert.Equal("3", meta["epoch"]);
            Assert.Equal(meta, Safetensors.metadata(path));
            Assert.Equal(tensors.Keys.OrderBy(k => k), back.Keys.OrderBy(k => k));
            foreach (var (k, t) in tensors)
            {
                Assert.Equal(t.dtype, back[k].dtype);
                Assert.Equal(t.shape, back[k].shape);
                Assert.Equal(t.ToArray<double>(), back[k].ToArray<double>());
            }
        }
        finally { foreach (var t in back.Values) t.Dispose(); }
    }

    [Fact]
    public void Reads_a_file_written_by_pytorch()
    {
        var fx = Safetensors.load(TestSupport.Fixture("parity_net.safetensors"), out var meta);
        try
        {
            Assert.StartsWith("1.13", meta["torch"]);
            Assert.Equal([8L, 3L, 3L, 3L], fx["init.conv1.weight"].shape);
            Assert.Equal(ScalarType.Int64, fx["init.bn.num_batches_tracked"].dtype);
            Assert.Equal([2L, 3L, 16L, 16L], fx["x"].shape);
        }
        finally { foreach (var t in fx.Values) t.Dispose(); }
    }

    [Fact]
    public void Module_weights_round_trip_through_a_file()
    {
        using var a = nn.Sequential(nn.Conv2d(3, 4, 3), nn.BatchNorm2d(4));
        using var b = nn.Sequential(nn.Conv2d(3, 4, 3), nn.BatchNorm2d(4));
        var path = Path.Combine(_dir, "m.safetensors");
        save(a, path);
        load(b, path);
        foreach (var (k, t) in a.state_dict())
            Assert.Equal(t.ToArray<double>(), b.state_dict()[k].ToArray<double>());
        Assert.Equal(["0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean", "1.running_var", "1.num_batches_tracked"], a.state_dict().Keys);
    }

    [Fact]
    public void Loading_into_a_different_architecture_names_the_key_and_shapes()
    {
        using var a = nn.Sequential(nn.Conv2d(3, 4, 3));
        using var b = nn.Sequential(nn.Conv2d(3, 5, 3));
        var path = Path.Combine(_dir, "m.safetensors");
        save(a, path);
        var e = Assert.Throws<InvalidOperationException>(() => load(b, path));
        Assert.Contains("size mismatch for 0.weight: copying a param with shape [4, 3, 3, 3] from checkpoint, the shape in current model is [5, 3, 3, 3]", e.Message);
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void A_truncated_file_gives_a_named_error()
    {
        using var t = ones(100);
        var path = Path.Combine(_dir, "t.safetensors");
        Safetensors.save(new Dictionary<string, Tensor> { ["t"] = t }, path);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^40]);
        var e = Assert.Throws<InvalidDataException>(() => Safetensors.load(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("truncated", e.Message);
    }

    [Fact]
    public void Metadata_reads_the_header_alone_and_names_a_file_too_short()
    {
        var path = Path.Combine(_dir, "short.safetensors");
        File.WriteAllBytes(path, [1, 2, 3]);
        Assert.Contains(path, Assert.Throws<InvalidDataException>(() => Safetensors.metadata(path)).Message);
        using var t = ones(10);
        Safetensors.save(new Dictionary<string, Tensor> { ["t"] = t }, path);
        Assert.Empty(Safetensors.metadata(path));
    }
}
