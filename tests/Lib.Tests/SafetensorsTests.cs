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

    /// <summary>A file of a hand-written header (padded as the reference writer does) and raw data bytes.</summary>
    private string Hostile(string name, string header, int dataBytes = 0, long? claimedLength = null)
    {
        var json = System.Text.Encoding.UTF8.GetBytes(header);
        var path = Path.Combine(_dir, name);
        using var fs = File.Create(path);
        fs.Write(BitConverter.GetBytes((ulong)(claimedLength ?? json.Length)));
        fs.Write(json);
        fs.Write(new byte[dataBytes]);
        return path;
    }

    public static readonly TheoryData<string, string, int, string> HostileHeaders = new()
    {
        { "overlap", """{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]},"b":{"dtype":"F32","shape":[4],"data_offsets":[8,24]}}""", 24, "overlaps the bytes of another tensor" },
        { "alias", """{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]},"b":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}""", 16, "overlaps" },
        { "gap", """{"a":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}}""", 16, "belong to no tensor" },
        { "unknown-dtype", """{"a":{"dtype":"F8_E4M3","shape":[2],"data_offsets":[0,2]}}""", 2, "unknown dtype 'F8_E4M3'" },
        { "dtype-number", """{"a":{"dtype":32,"shape":[2],"data_offsets":[0,8]}}""", 8, "unknown dtype" },
        { "negative-pair", """{"a":{"dtype":"F32","shape":[-2,-2],"data_offsets":[0,16]}}""", 16, "negative dimension" },
        { "overflowing-shape", """{"a":{"dtype":"F32","shape":[4611686018427387904,4],"data_offsets":[0,0]}}""", 0, "more than 2^63" },
        { "shape-string", """{"a":{"dtype":"F32","shape":"4","data_offsets":[0,16]}}""", 16, "not a list of integers" },
        { "shape-float", """{"a":{"dtype":"F32","shape":[1.5],"data_offsets":[0,4]}}""", 4, "not a list of integers" },
        { "entry-list", """{"a":[1,2]}""", 0, "not an object of dtype, shape and data_offsets" },
        { "header-list", """[1,2,3]""", 0, "not a JSON object" },
        { "metadata-number", """{"__metadata__":{"epoch":3}}""", 0, "not a string" },
        { "metadata-list", """{"__metadata__":[1]}""", 0, "not an object of strings" },
        { "duplicate-name", """{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", 4, "not valid JSON" },
        { "deeply-nested", new string('[', 100_000) + new string(']', 100_000), 0, "not valid JSON" },
    };

    [Theory]
    [MemberData(nameof(HostileHeaders))]
    public void A_hostile_header_is_refused_by_name_before_any_tensor_is_allocated(string name, string header, int dataBytes, string why)
    {
        var path = Hostile(name + ".safetensors", header, dataBytes);
        var before = TestSupport.SettledLiveCount();
        var e = Assert.Throws<InvalidDataException>(() => Safetensors.load(path));
        Assert.Contains(path, e.Message);
        Assert.Contains(why, e.Message);
        Assert.Equal(before, TestSupport.SettledLiveCount());
    }

    [Fact]
    public void A_header_of_invalid_utf8_is_refused_by_name()
    {
        var path = Path.Combine(_dir, "latin1.safetensors");
        byte[] header = [(byte)'{', (byte)'"', 0xE9, (byte)'"', (byte)':', (byte)'{', (byte)'}', (byte)'}'];
        File.WriteAllBytes(path, [.. BitConverter.GetBytes((ulong)header.Length), .. header]);
        Assert.Contains("not valid UTF-8", Assert.Throws<InvalidDataException>(() => Safetensors.load(path)).Message);
    }

    [Fact]
    public void A_header_over_100_MB_is_refused_by_its_length_without_being_read()
    {
        var path = Hostile("huge-header.safetensors", "{}", claimedLength: 100_000_001);
        using (var fs = new FileStream(path, FileMode.Open)) fs.SetLength(8 + 100_000_001); // sparse: the file is as long as it claims
        var e = Assert.Throws<InvalidDataException>(() => Safetensors.metadata(path));
        Assert.Contains("outside 1..100000000 bytes", e.Message);
        // Within the limit but longer than the file: refused by the file's length, also unread.
        e = Assert.Throws<InvalidDataException>(() => Safetensors.load(Hostile("long-header.safetensors", "{}", claimedLength: 50_000_000)));
        Assert.Contains("does not fit in a file of", e.Message);
    }

    [Fact]
    public void Save_streams_the_tensors_and_load_reads_into_them_without_a_managed_copy_of_the_data()
    {
        using var scope = NewDisposeScope();
        var big = randn(10, 1024, 1024); // 40 MB
        var path = Path.Combine(_dir, "big.safetensors");
        Safetensors.save(new Dictionary<string, Tensor> { ["big"] = big }, path); // warm-up: JIT, buffers
        var before = GC.GetAllocatedBytesForCurrentThread();
        Safetensors.save(new Dictionary<string, Tensor> { ["big"] = big }, path);
        var saved = GC.GetAllocatedBytesForCurrentThread() - before;
        before = GC.GetAllocatedBytesForCurrentThread();
        var back = Safetensors.load(path);
        var loaded = GC.GetAllocatedBytesForCurrentThread() - before;
        using var t = back["big"];
        Assert.True(saved < 1 << 20, $"saving 40 MB allocated {saved} managed bytes");
        Assert.True(loaded < 1 << 20, $"loading 40 MB allocated {loaded} managed bytes");
        Assert.Equal(0.0, (t - big).abs().max().item<double>());
    }

    [Fact]
    public void A_save_leaves_no_temporary_and_writes_what_the_reference_layout_says()
    {
        using var scope = NewDisposeScope();
        var path = Path.Combine(_dir, "layout.safetensors");
        Safetensors.save(new Dictionary<string, Tensor> { ["a"] = arange(3, dtype: ScalarType.Float32), ["b"] = tensor(new byte[] { 7 }) }, path);
        Assert.Equal(["layout.safetensors"], Directory.EnumerateFiles(_dir).Select(Path.GetFileName));
        var bytes = File.ReadAllBytes(path);
        var headerLen = (int)BitConverter.ToUInt64(bytes, 0);
        Assert.Equal(0, headerLen % 8);
        Assert.Equal(8 + headerLen + 12 + 1, bytes.Length);
        Assert.Equal(new byte[] { 0, 0, 0, 0, 0, 0, 0x80, 0x3F, 0, 0, 0, 0x40, 7 }, bytes[(8 + headerLen)..]);
    }
}
