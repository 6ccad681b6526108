using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using static Lib.Torch.torch;

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
        // The header needs only shapes and dtypes; the bytes are streamed from each tensor's own memory
        // afterwards, so a save never holds a second copy of the state dict.
        long offset = 0;
        foreach (var (name, t) in tensors)
        {
            var nbytes = t.numel() * t.element_size();
            header[name] = new JsonObject
            {
                ["dtype"] = DtypeName(t.dtype, name),
                ["shape"] = new JsonArray(t.shape.Select(d => (JsonNode)d).ToArray()),
                ["data_offsets"] = new JsonArray(offset, offset + nbytes),
            };
            offset += nbytes;
        }
        var json = Encoding.UTF8.GetBytes(header.ToJsonString());
        // Pad the header with spaces to 8 bytes so the data that follows is aligned, as the reference writer does.
        var padded = (json.Length + 7) / 8 * 8;
        DurableFile.Replace(path, fs =>
        {
            Span<byte> len = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(len, (ulong)padded);
            fs.Write(len);
            fs.Write(json);
            for (var i = json.Length; i < padded; i++) fs.WriteByte((byte)' ');
            foreach (var t in tensors.Values) WriteData(fs, t);
        });
    }

    /// <summary>Reads every tensor (on the CPU, outside any dispose scope: the caller disposes them).</summary>
    public static Dictionary<string, Tensor> load(string path) => load(path, out _);

    /// <summary>
    /// Reads every tensor and the string metadata. The header is checked whole before any tensor is
    /// allocated — dtypes known, dimensions non-negative, each tensor's bytes inside the file and no two
    /// tensors sharing bytes (the reference reader's rules) — so a hostile or damaged file gives an
    /// <see cref="InvalidDataException"/> naming it, and nothing is allocated beyond the file's own size.
    /// Each tensor's bytes are read from the file straight into its memory.
    /// </summary>
    public static Dictionary<string, Tensor> load(string path, out Dictionary<string, string> metadata)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"safetensors file not found: {path}", path);
        using var file = File.OpenRead(path);
        var header = ReadHeader(file, path, out var headerLen);
        var dataStart = 8 + headerLen;
        var entries = Entries(header, file.Length - dataStart, path);
        metadata = Metadata(header, path);
        var result = new Dictionary<string, Tensor>();
        try
        {
            foreach (var e in entries)
            {
                var t = empty(e.Shape, e.Dtype).DetachFromDisposeScope();
                result[e.Name] = t;
                file.Position = dataStart + e.Begin;
                ReadInto(file, t, e.End - e.Begin, path);
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
        return Metadata(ReadHeader(file, path, out _), path);
    }

    private static JsonObject ReadHeader(FileStream file, string path, out long headerLen)
    {
        var prefix = new byte[8];
        var got = file.ReadAtLeast(prefix, 8, throwOnEndOfStream: false);
        headerLen = HeaderLength(prefix.AsSpan(0, got), file.Length, path);
        var json = new byte[headerLen];
        file.ReadExactly(json);
        return ParseHeader(json, path);
    }

    private static long HeaderLength(ReadOnlySpan<byte> prefix, long fileLength, string path)
    {
        if (prefix.Length < 8) throw Bad(path, $"the file is {fileLength} bytes, shorter than the 8-byte header length (empty or truncated)");
        var headerLen = (long)BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (headerLen is <= 0 or > MaxHeader)
            throw Bad(path, $"its header length {(ulong)headerLen} is outside 1..{MaxHeader} bytes (the reference reader's limit; a damaged file, or not safetensors)");
        if (8 + headerLen > fileLength)
            throw Bad(path, $"header length {headerLen} does not fit in a file of {fileLength} bytes (truncated file?)");
        return headerLen;
    }

    private static JsonObject ParseHeader(ReadOnlySpan<byte> json, string path)
    {
        // JsonNode decodes strings lazily: invalid UTF-8 would surface later as an InvalidOperationException.
        if (!System.Text.Unicode.Utf8.IsValid(json)) throw Bad(path, "the header is not valid UTF-8 text");
        try
        {
            // A name given twice would otherwise throw ArgumentException at first use of the object.
            return JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { AllowDuplicateProperties = false }) as JsonObject
                   ?? throw Bad(path, "the header is not a JSON object");
        }
        catch (JsonException e) { throw Bad(path, "the header is not valid JSON: " + e.Message); }
    }

    private sealed record Entry(string Name, ScalarType Dtype, long[] Shape, long Begin, long End);

    /// <summary>Every tensor's description, checked against the data's length and each other.</summary>
    private static List<Entry> Entries(JsonObject header, long dataLen, string path)
    {
        var entries = new List<Entry>();
        foreach (var (name, node) in header)
        {
            if (name == "__metadata__") continue;
            if (node is not JsonObject entry) throw Bad(path, $"tensor '{name}' is described by {Kind(node)}, not an object of dtype, shape and data_offsets");
            var dtype = ParseDtype(entry["dtype"] is JsonValue v && v.TryGetValue(out string? s) ? s : Kind(entry["dtype"]), path, name);
            var shape = Integers(entry["shape"], path, name, "shape");
            var offs = Integers(entry["data_offsets"], path, name, "data_offsets");
            if (shape.Any(d => d < 0)) throw Bad(path, $"tensor '{name}' has a negative dimension in its shape [{string.Join(", ", shape)}]");
            if (offs.Length != 2 || offs[0] < 0 || offs[1] < offs[0] || offs[1] > dataLen)
                throw Bad(path, $"tensor '{name}' has data_offsets [{string.Join(", ", offs)}] outside the {dataLen} data bytes (truncated file?)");
            long nbytes;
            try { nbytes = checked(shape.Aggregate(1L, (a, b) => a * b) * dtype.ElementSize()); }
            catch (OverflowException) { nbytes = -1; }
            if (nbytes != offs[1] - offs[0])
                throw Bad(path, $"tensor '{name}' of shape [{string.Join(", ", shape)}] and dtype {dtype.TorchName()} needs " +
                                (nbytes < 0 ? "more than 2^63" : nbytes.ToString()) + $" bytes but data_offsets span {offs[1] - offs[0]}");
            entries.Add(new Entry(name, dtype, shape, offs[0], offs[1]));
        }
        // Tensors tile the data exactly, in order, as the reference reader requires: shared bytes would
        // let a small file claim many large tensors, and a gap is a sign of a damaged file.
        long end = 0;
        foreach (var e in entries.OrderBy(e => e.Begin).ThenBy(e => e.End))
        {
            if (e.Begin < end) throw Bad(path, $"tensor '{e.Name}' (data_offsets [{e.Begin}, {e.End}]) overlaps the bytes of another tensor, which end at {end}");
            if (e.Begin > end) throw Bad(path, $"the data bytes {end}..{e.Begin} before tensor '{e.Name}' belong to no tensor");
            end = e.End;
        }
        if (end != dataLen) throw Bad(path, $"{dataLen - end} data bytes after the last tensor belong to no tensor");
        return entries;
    }

    private static long[] Integers(JsonNode? node, string path, string name, string field)
    {
        if (node is not JsonArray array)
            throw Bad(path, $"tensor '{name}' has " + (node is null ? $"no {field}" : $"{field} {Kind(node)}, not a list of integers"));
        var values = new long[array.Count];
        for (var i = 0; i < values.Length; i++)
            if (array[i] is not JsonValue v || !v.TryGetValue(out values[i]))
                throw Bad(path, $"tensor '{name}' has {field} {Shorten(array.ToJsonString())}, not a list of integers");
        return values;
    }

    private static Dictionary<string, string> Metadata(JsonObject header, string path)
    {
        if (header["__metadata__"] is not { } node) return [];
        if (node is not JsonObject meta) throw Bad(path, $"__metadata__ is {Kind(node)}, not an object of strings");
        var result = new Dictionary<string, string>();
        foreach (var (k, v) in meta)
            result[k] = v is JsonValue value && value.TryGetValue(out string? s) ? s : throw Bad(path, $"__metadata__ '{k}' is {Kind(v)}, not a string");
        return result;
    }

    private static string Kind(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "an object",
        JsonArray => "a list",
        _ => Shorten(node.ToJsonString()),
    };

    private static string Shorten(string s) => s.Length <= 40 ? s : s[..40] + "…";

    private static unsafe void ReadInto(FileStream file, Tensor t, long nbytes, string path)
    {
        var p = (byte*)Native.LibNative.ts_data_ptr(t.Handle);
        for (long done = 0; done < nbytes;)
        {
            var n = file.Read(new Span<byte>(p + done, (int)Math.Min(nbytes - done, 1 << 26)));
            if (n == 0) throw Bad(path, "the file ended while its tensor data was read (was it changed meanwhile?)");
            done += n;
        }
    }

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
        _ => throw Bad(path, $"tensor '{name}' has unknown dtype {(s is null ? "(none)" : "'" + Shorten(s) + "'")}; this reader knows F64, F32, F16, BF16, I64, I32, I16, I8, U8 and BOOL"),
    };

    /// <summary>A tensor's bytes into the stream, in chunks (a span is limited to 2 GiB); only a non-CPU or strided tensor is copied first.</summary>
    private static unsafe void WriteData(Stream stream, Tensor t)
    {
        using var cpu = t.detach().cpu().contiguous();
        var n = cpu.numel() * cpu.element_size();
        if (n == 0) return;
        var p = (byte*)Native.LibNative.ts_data_ptr(cpu.Handle);
        for (long done = 0; done < n;)
        {
            var chunk = (int)Math.Min(n - done, 1 << 26);
            stream.Write(new ReadOnlySpan<byte>(p + done, chunk));
            done += chunk;
        }
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
