using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Lib.Torch;

/// <summary>
/// Reads and writes the safetensors format (8-byte little-endian header length, a JSON header
/// of dtype/shape/data_offsets per tensor, then raw little-endian data), so state dicts move
/// between this library and PyTorch's safetensors.torch.save_file / load_file.
/// </summary>
public static class Safetensors
{
    private const long MaxHeader = 100_000_000;

    /// <summary>Writes tensors (any device; copied to the CPU) and optional string metadata.</summary>
    public static void save(IReadOnlyDictionary<string, Tensor> tensors, string path, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var header = new JsonObject();
        if (metadata is { Count: > 0 })
        {
            var meta = new JsonObject();
            foreach (var (k, v) in metadata) meta[k] = v;
            header["__metadata__"] = meta;
        }
        var blobs = new List<byte[]>();
        long offset = 0;
        foreach (var (name, t) in tensors)
        {
            var bytes = ToBytes(t);
            header[name] = new JsonObject
            {
                ["dtype"] = DtypeName(t.dtype, name),
                ["shape"] = new JsonArray(t.shape.Select(d => (JsonNode)d).ToArray()),
                ["data_offsets"] = new JsonArray(offset, offset + bytes.Length),
            };
            offset += bytes.Length;
            blobs.Add(bytes);
        }
        var json = Encoding.UTF8.GetBytes(header.ToJsonString());
        // Pad the header with spaces to 8 bytes so the data that follows is aligned, as the reference writer does.
        var padded = (json.Length + 7) / 8 * 8;
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
        var tmp = path + ".tmp";
        using (var fs = new FileStream(tmp, FileMode.Create, FileAccess.Write))
        {
            Span<byte> len = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(len, (ulong)padded);
            fs.Write(len);
            fs.Write(json);
            for (var i = json.Length; i < padded; i++) fs.WriteByte((byte)' ');
            foreach (var b in blobs) fs.Write(b);
        }
        File.Move(tmp, path, overwrite: true);
    }

    /// <summary>Reads every tensor (on the CPU, outside any dispose scope: the caller disposes them).</summary>
    public static Dictionary<string, Tensor> load(string path) => load(path, out _);

    public static Dictionary<string, Tensor> load(string path, out Dictionary<string, string> metadata)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"safetensors file not found: {path}", path);
        var bytes = File.ReadAllBytes(path);
        var headerLen = HeaderLength(bytes, bytes.Length, path);
        var header = ParseHeader(bytes.AsSpan(8, (int)headerLen), path);
        var dataStart = 8 + headerLen;
        var dataLen = bytes.Length - dataStart;
        metadata = Metadata(header);
        var result = new Dictionary<string, Tensor>();
        try
        {
            foreach (var (name, node) in header)
            {
                if (name == "__metadata__") continue;
                var entry = node?.AsObject() ?? throw Bad(path, $"tensor '{name}' has no description");
                var dtype = ParseDtype(entry["dtype"]?.GetValue<string>(), path, name);
                var shape = entry["shape"]?.AsArray().Select(d => d!.GetValue<long>()).ToArray() ?? throw Bad(path, $"tensor '{name}' has no shape");
                var offs = entry["data_offsets"]?.AsArray().Select(d => d!.GetValue<long>()).ToArray() ?? throw Bad(path, $"tensor '{name}' has no data_offsets");
                if (offs.Length != 2 || offs[0] < 0 || offs[1] < offs[0] || offs[1] > dataLen)
                    throw Bad(path, $"tensor '{name}' has data_offsets [{string.Join(", ", offs)}] outside the {dataLen} data bytes (truncated file?)");
                var numel = shape.Aggregate(1L, (a, b) => a * b);
                if (numel * dtype.ElementSize() != offs[1] - offs[0])
                    throw Bad(path, $"tensor '{name}' of shape [{string.Join(", ", shape)}] and dtype {dtype.TorchName()} needs {numel * dtype.ElementSize()} bytes but data_offsets span {offs[1] - offs[0]}");
                var t = FromBytes(bytes.AsSpan((int)(dataStart + offs[0]), (int)(offs[1] - offs[0])), shape, dtype);
                result[name] = t.DetachFromDisposeScope();
            }
        }
        catch
        {
            foreach (var t in result.Values) t.Dispose();
            throw;
        }
        return result;
    }

    /// <summary>The string metadata alone (e.g. a checkpoint's epoch and config), read from the header without loading a tensor.</summary>
    public static Dictionary<string, string> metadata(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"safetensors file not found: {path}", path);
        using var file = File.OpenRead(path);
        var prefix = new byte[8];
        var got = file.ReadAtLeast(prefix, 8, throwOnEndOfStream: false);
        var headerLen = HeaderLength(prefix.AsSpan(0, got), file.Length, path);
        var header = new byte[headerLen];
        file.ReadExactly(header);
        return Metadata(ParseHeader(header, path));
    }

    private static long HeaderLength(ReadOnlySpan<byte> prefix, long fileLength, string path)
    {
        if (prefix.Length < 8) throw Bad(path, "the file is shorter than the 8-byte header length");
        var headerLen = (long)BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (headerLen <= 0 || headerLen > MaxHeader || 8 + headerLen > fileLength)
            throw Bad(path, $"header length {headerLen} does not fit in a file of {fileLength} bytes");
        return headerLen;
    }

    private static JsonObject ParseHeader(ReadOnlySpan<byte> json, string path)
    {
        try { return JsonNode.Parse(json)?.AsObject() ?? throw Bad(path, "empty header"); }
        catch (JsonException e) { throw Bad(path, "the header is not valid JSON: " + e.Message); }
    }

    private static Dictionary<string, string> Metadata(JsonObject header) =>
        header["__metadata__"]?.AsObject().ToDictionary(kv => kv.Key, kv => kv.Value?.GetValue<string>() ?? "") ?? [];

    private static InvalidDataException Bad(string path, string why) => new($"{path} is not a valid safetensors file: {why}");

    private static string DtypeName(ScalarType t, string name) => t switch
    {
        ScalarType.Float32 => "F32",
        ScalarType.Float64 => "F64",
        ScalarType.Float16 => "F16",
        ScalarType.BFloat16 => "BF16",
        ScalarType.Int64 => "I64",
        ScalarType.Int32 => "I32",
        ScalarType.Int16 => "I16",
        ScalarType.Int8 => "I8",
        ScalarType.Byte => "U8",
        ScalarType.Bool => "BOOL",
        _ => throw new NotSupportedException($"tensor '{name}': dtype {t} cannot be stored in safetensors"),
    };

    private static ScalarType ParseDtype(string? s, string path, string name) => s switch
    {
        "F32" => ScalarType.Float32,
        "F64" => ScalarType.Float64,
        "F16" => ScalarType.Float16,
        "BF16" => ScalarType.BFloat16,
        "I64" => ScalarType.Int64,
        "I32" => ScalarType.Int32,
        "I16" => ScalarType.Int16,
        "I8" => ScalarType.Int8,
        "U8" => ScalarType.Byte,
        "BOOL" => ScalarType.Bool,
        _ => throw Bad(path, $"tensor '{name}' has unsupported dtype '{s}'"),
    };

    private static unsafe byte[] ToBytes(Tensor t)
    {
        using var cpu = t.detach().cpu().contiguous();
        var n = checked((int)(cpu.numel() * cpu.element_size()));
        var bytes = new byte[n];
        if (n > 0) new ReadOnlySpan<byte>(Native.LibNative.ts_data_ptr(cpu.Handle), n).CopyTo(bytes);
        return bytes;
    }

    private static unsafe Tensor FromBytes(ReadOnlySpan<byte> data, long[] shape, ScalarType dtype)
    {
        fixed (byte* p = data)
        fixed (long* s = shape)
            return new Tensor(Native.LibNative.ts_from_data(p, data.Length, s, shape.Length, (int)dtype));
    }
}

public static partial class torch
{
    /// <summary>Saves a module's state_dict (PyTorch key names) as safetensors.</summary>
    public static void save(nn.Module module, string path, IReadOnlyDictionary<string, string>? metadata = null) =>
        Safetensors.save(module.state_dict(), path, metadata);

    /// <summary>Loads a safetensors state_dict into a module (strict: keys and shapes must match).</summary>
    public static void load(nn.Module module, string path)
    {
        var state = Safetensors.load(path);
        try { module.load_state_dict(state); }
        catch (InvalidOperationException e) { throw new InvalidOperationException($"{path}: {e.Message}", e); }
        finally { foreach (var t in state.Values) t.Dispose(); }
    }
}
