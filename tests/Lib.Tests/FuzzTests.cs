using System.Runtime.InteropServices;
using System.Text;
using Lib.Imaging;
using Lib.Torch;
using Lib.Training;
using NotebookRunner;
using static Lib.Torch.torch;

namespace Lib.Tests;

/// <summary>
/// Seeded, bounded mutation fuzzing of every file format the workbook reads: safetensors, PNG, JPEG, config.json
/// and notebooks. Each case must load or fail with the reader's own named exception — no other exception type, no
/// crash of the process. Images are decoded from a buffer that ends at an inaccessible page, so a read past the
/// file's last byte kills the test run instead of passing unseen. A failing case is reported with its seed.
/// LIB_FUZZ_CASES scales the case counts (1 in CI: 6,200 cases in all, about 8 s).
/// </summary>
public sealed class FuzzTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("lib-fuzz-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private static int Cases(int baseline) =>
        baseline * (int.TryParse(Environment.GetEnvironmentVariable("LIB_FUZZ_CASES"), out var k) && k > 0 ? k : 1);

    /// <summary>One mutation of <paramref name="valid"/>: bit flips, byte overwrites with boundary values, a cut, a spliced copy, an insertion.</summary>
    internal static byte[] Mutate(byte[] valid, Random r, int focus)
    {
        var b = new List<byte>(valid);
        var edits = 1 + r.Next(4);
        for (var e = 0; e < edits && b.Count > 0; e++)
        {
            // Half the edits land in the first `focus` bytes, where the headers are.
            var at = r.Next(2) == 0 ? r.Next(Math.Min(focus, b.Count)) : r.Next(b.Count);
            switch (r.Next(6))
            {
                case 0: b[at] ^= (byte)(1 << r.Next(8)); break;
                case 1: b[at] = (byte)new[] { 0, 0xFF, 0x7F, 0x80, 1 }[r.Next(5)]; break;
                case 2: b[at] = (byte)r.Next(256); break;
                case 3: b.RemoveRange(at, b.Count - at); break;
                case 4:
                    var from = r.Next(b.Count);
                    var len = Math.Min(r.Next(1, 64), b.Count - from);
                    b.InsertRange(at, b.GetRange(from, len));
                    break;
                default: b.Insert(at, (byte)r.Next(256)); break;
            }
        }
        return b.ToArray();
    }

    [Fact]
    public void Mutated_safetensors_files_load_or_raise_InvalidDataException_naming_the_file()
    {
        var valid = Path.Combine(_dir, "valid.safetensors");
        using (var scope = NewDisposeScope())
        {
            manual_seed(0);
            Safetensors.save(new Dictionary<string, Tensor>
            {
                ["weight"] = randn(4, 3), ["bias"] = zeros(3), ["steps"] = tensor(new long[] { 7 }, 1), ["mask"] = ones([2, 2], ScalarType.Bool),
                ["half"] = ones([3], ScalarType.Float16),
            }, valid, new Dictionary<string, string> { ["epoch"] = "3", ["config"] = "{\"a\": 1}" });
        }
        var bytes = File.ReadAllBytes(valid);
        var headerEnd = 8 + (int)BitConverter.ToUInt64(bytes, 0);
        var n = Cases(600);
        var loaded = 0;
        for (var i = 0; i < n; i++)
        {
            var r = new Random(i);
            var path = Path.Combine(_dir, $"case{i}.safetensors");
            File.WriteAllBytes(path, i % 3 == 0 ? MutateJsonHeader(bytes, headerEnd, r) : Mutate(bytes, r, headerEnd));
            try
            {
                var tensors = Safetensors.load(path, out _);
                foreach (var t in tensors.Values) t.Dispose();
                loaded++;
            }
            catch (InvalidDataException e) when (e.Message.Contains(path)) { }
            catch (Exception e) { Assert.Fail($"safetensors case {i} (new Random({i})): {e.GetType().Name}: {e.Message}"); }
            try { Safetensors.metadata(path); }
            catch (InvalidDataException e) when (e.Message.Contains(path)) { }
            catch (Exception e) { Assert.Fail($"safetensors metadata case {i}: {e.GetType().Name}: {e.Message}"); }
            File.Delete(path);
        }
        Console.WriteLine($"safetensors: {n} cases, {loaded} loaded");
    }

    /// <summary>Rewrites one value of the JSON header (a number, a dtype, a shape) into another kind or a boundary number.</summary>
    private static byte[] MutateJsonHeader(byte[] file, int headerEnd, Random r)
    {
        var json = Encoding.UTF8.GetString(file, 8, headerEnd - 8).TrimEnd();
        string[] replacements = ["-1", "0", "9223372036854775807", "18446744073709551615", "1e308", "1.5", "null", "\"F32\"", "\"X9\"", "[]", "{}",
                                 "[1,2,3]", "[-4,-4]", "[4611686018427387904,4]", "[0,0]", "[0,48]", "\"\"", "true"];
        var tokens = System.Text.RegularExpressions.Regex.Matches(json, "\"[A-Z0-9]+\"|-?\\d+|\\[[^\\[\\]]*\\]").ToList();
        var pick = tokens[r.Next(tokens.Count)];
        json = json[..pick.Index] + replacements[r.Next(replacements.Length)] + json[(pick.Index + pick.Length)..];
        var header = Encoding.UTF8.GetBytes(json);
        var result = new byte[8 + header.Length + file.Length - headerEnd];
        BitConverter.TryWriteBytes(result.AsSpan(0, 8), (ulong)header.Length);
        header.CopyTo(result, 8);
        file.AsSpan(headerEnd).CopyTo(result.AsSpan(8 + header.Length));
        return result;
    }

    [Fact]
    public void Mutated_pngs_and_jpegs_decode_or_raise_TorchException_naming_them_without_reading_past_the_end()
    {
        byte[] png, jpeg, grayJpeg, png16;
        using (var scope = NewDisposeScope())
        {
            manual_seed(0);
            var img = (rand(3, 24, 20) * 255).to(ScalarType.Byte);
            png = Image.encode_png(img);
            jpeg = Image.encode_jpeg(img);
            grayJpeg = Image.encode_jpeg(img.narrow(0, 0, 1));
            png16 = Image.encode_png(img.to(ScalarType.Int32) * 257);
        }
        var seeds = new (string name, byte[] bytes)[]
        {
            ("png", png), ("jpeg", jpeg), ("gray.jpg", grayJpeg), ("png16", png16),
            ("palette.png", File.ReadAllBytes(TestSupport.Fixture("images/palette4_trns.png"))),
            ("adam7.png", File.ReadAllBytes(TestSupport.Fixture("images/rgb8_adam7.png"))),
            ("cmyk.jpg", File.ReadAllBytes(TestSupport.Fixture("images/cmyk16.jpg"))),
        };
        var n = Cases(4000);
        var decoded = 0;
        using var guarded = new GuardedBuffer(64 * 1024);
        for (var i = 0; i < n; i++)
        {
            var (kind, seed) = seeds[i % seeds.Length];
            var data = Mutate(seed, new Random(i), kind.Contains("jp") ? 700 : 60);
            if (data.Length > guarded.Capacity) continue;
            var name = $"{kind} case {i}";
            try
            {
                using var scope = NewDisposeScope();
                Image.decode(guarded.EndingWith(data), ImageReadMode.Unchanged, name);
                Image.decode(guarded.EndingWith(data), (ImageReadMode)(i % 4), name);
                decoded++;
            }
            catch (TorchException e) when (e.Message.StartsWith(name + ": ", StringComparison.Ordinal)) { }
            catch (Exception e) { Assert.Fail($"{name} (new Random({i})): {e.GetType().Name}: {e.Message}"); }
        }
        Console.WriteLine($"images: {n} cases, {decoded} decoded");
    }

    [Fact]
    public void Mutated_and_mistyped_config_files_load_or_raise_InvalidDataException()
    {
        var valid = ColorizerConfig.Quick.ToJson();
        var bytes = Encoding.UTF8.GetBytes(valid);
        string[] values = ["\"sixteen\"", "null", "[]", "{}", "-1", "0", "1e400", "2147483648", "true", "\"\"", "\"NaN\"", "1.5", "\"colorization\""];
        var settings = System.Text.RegularExpressions.Regex.Matches(valid, "\"(\\w+)\": ([^,\\n]+)").ToList();
        var n = Cases(1000);
        for (var i = 0; i < n; i++)
        {
            var r = new Random(i);
            string json;
            if (i % 2 == 0)
            {
                var s = settings[r.Next(settings.Count)];
                var value = s.Groups[2];
                json = valid[..value.Index] + values[r.Next(values.Length)] + valid[(value.Index + value.Length)..];
            }
            else json = Encoding.UTF8.GetString(Mutate(bytes, r, bytes.Length));
            try { RunConfig.FromJson(json, $"case {i}"); }
            catch (InvalidDataException e) when (e.Message.StartsWith($"case {i}", StringComparison.Ordinal)) { }
            catch (Exception e) { Assert.Fail($"config case {i} (new Random({i})): {e.GetType().Name}: {e.Message}\n{json}"); }
        }
    }

    [Fact]
    public void A_config_setting_of_the_wrong_type_is_named()
    {
        var e = Assert.Throws<InvalidDataException>(() => RunConfig.FromJson("{\"task\": \"colorization\", \"BatchSize\": \"sixteen\"}", "config.json"));
        Assert.Contains("config.json", e.Message);
        Assert.Contains("BatchSize", e.Message);
        e = Assert.Throws<InvalidDataException>(() => RunConfig.FromJson("{\"task\": \"painting\"}", "config.json"));
        Assert.Contains("painting", e.Message);
    }

    [Fact]
    public void Mutated_notebooks_load_or_raise_FormatException_naming_the_file()
    {
        var valid = File.ReadAllBytes(Path.Combine(TestSupport.RepoRoot, "notebooks", "00-environment.ipynb"));
        var n = Cases(600);
        var loaded = 0;
        for (var i = 0; i < n; i++)
        {
            var path = Path.Combine(_dir, $"case{i}.ipynb");
            File.WriteAllBytes(path, Mutate(valid, new Random(i), 2000));
            try
            {
                var doc = NotebookDocument.Load(path);
                _ = doc.DefaultKernelName;
                foreach (var cell in doc.Cells) _ = (cell.CellType, cell.Source, cell.Id, cell.KernelName, cell.ExecutionCount, cell.Outputs.Count);
                loaded++;
            }
            catch (FormatException e) when (e.Message.Contains(path)) { }
            catch (Exception e) { Assert.Fail($"notebook case {i} (new Random({i})): {e.GetType().Name}: {e.Message}"); }
        }
        Console.WriteLine($"notebooks: {n} cases, {loaded} loaded");
    }

    /// <summary>Memory whose last byte sits just before a page the process may not touch (mmap + mprotect).</summary>
    private sealed unsafe class GuardedBuffer : IDisposable
    {
        private readonly byte* _base;
        private readonly nuint _size;

        public int Capacity { get; }

        public GuardedBuffer(int capacity)
        {
            var page = Environment.SystemPageSize;
            Capacity = (capacity + page - 1) / page * page;
            _size = (nuint)(Capacity + page);
            _base = (byte*)mmap(null, _size, ProtRead | ProtWrite, MapPrivate | MapAnonymous, -1, 0);
            if ((nint)_base == -1) throw new InvalidOperationException("mmap failed");
            if (mprotect(_base + Capacity, (nuint)page, ProtNone) != 0) throw new InvalidOperationException("mprotect failed");
        }

        /// <summary>A span holding <paramref name="data"/> whose next byte is the guard page.</summary>
        public ReadOnlySpan<byte> EndingWith(byte[] data)
        {
            var span = new Span<byte>(_base + Capacity - data.Length, data.Length);
            data.CopyTo(span);
            return span;
        }

        public void Dispose() => munmap(_base, _size);

        private const int ProtNone = 0, ProtRead = 1, ProtWrite = 2, MapPrivate = 2, MapAnonymous = 0x20;

        [DllImport("libc")] private static extern void* mmap(void* addr, nuint length, int prot, int flags, int fd, nint offset);
        [DllImport("libc")] private static extern int mprotect(void* addr, nuint length, int prot);
        [DllImport("libc")] private static extern int munmap(void* addr, nuint length);
    }
}
