using Lib.Torch;
using Lib.Torch.Native;
using static Lib.Torch.Native.LibNative;

namespace Lib.Imaging;

/// <summary>
/// PNG and JPEG files to and from tensors, with torchvision.io's conventions: images are uint8
/// C×H×W (channels first), and 16-bit PNGs are int32 C×H×W holding 0..65535 (torchvision 0.12–0.20
/// did the same; this libtorch has no uint16). Decoding uses libpng and libjpeg-turbo inside the
/// native shim and recognises the format by its signature, not the file name. Every decode error
/// names the file and says what is wrong (corrupt, truncated, not PNG/JPEG) and is thrown as a
/// <see cref="TorchException"/>. EXIF orientation is applied only when asked (apply_exif_orientation, as in
/// torchvision; off by default there and here): the CLI and the data loaders ask.
/// </summary>
public static class Image
{
    private const string Memory = "<memory>";

    /// <summary>
    /// The largest width × height decoded or encoded, for the whole process (default 2^28, 16384 × 16384).
    /// A header claiming more is refused before any pixel memory is allocated, naming this setting: a
    /// 60000 × 60000 JPEG would need 10 GiB, and a damaged or hostile file can claim that in a few bytes.
    /// </summary>
    public static long MaxPixels
    {
        get => ImageNative.ts_image_get_max_pixels();
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1, nameof(MaxPixels));
            ImageNative.ts_image_set_max_pixels(value);
        }
    }

    /// <summary>
    /// Reads a PNG or JPEG file into a new contiguous C×H×W tensor (torchvision.io.read_image):
    /// uint8, or int32 for a 16-bit PNG. Throws <see cref="FileNotFoundException"/> when the file
    /// does not exist and <see cref="TorchException"/> naming the file when it cannot be decoded.
    /// With <paramref name="apply_exif_orientation"/>, a JPEG is turned upright by its EXIF tag (<see cref="ExifOrientation"/>).
    /// </summary>
    public static Tensor read(string path, ImageReadMode mode = ImageReadMode.Unchanged, bool apply_exif_orientation = false)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (Directory.Exists(path))
            throw new IOException($"{path}: is a folder, not an image file");
        if (!File.Exists(path))
            throw new FileNotFoundException($"image file not found: {path}", path);
        byte[] data;
        try
        {
            data = File.ReadAllBytes(path);
        }
        catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException)
        {
            throw new IOException($"{path}: cannot read the file ({e.Message})", e);
        }
        return decode(data, mode, path, apply_exif_orientation);
    }

    /// <summary>
    /// Decodes PNG or JPEG bytes into a new contiguous C×H×W tensor (torchvision.io.decode_image);
    /// <paramref name="name"/> starts every error message; <paramref name="apply_exif_orientation"/> as in <see cref="read"/>.
    /// </summary>
    public static unsafe Tensor decode(ReadOnlySpan<byte> data, ImageReadMode mode = ImageReadMode.Unchanged, string name = Memory, bool apply_exif_orientation = false)
    {
        if (!Enum.IsDefined(mode))
            throw new ArgumentOutOfRangeException(nameof(mode), mode, $"{name}: unknown image read mode");
        IntPtr handle;
        fixed (byte* p = data)
            handle = ImageNative.ts_image_decode(p, data.Length, (int)mode, name ?? Memory);
        using var hwc = new Tensor(handle);
        using var chw = hwc.permute(2, 0, 1);
        // Contiguous, unlike torchvision's permuted view, so AsSpan and data_ptr-style access work.
        if (!apply_exif_orientation) return chw.contiguous();
        return ExifOrientation.apply(chw, ExifOrientation.read(data, name ?? Memory));
    }

    /// <summary>
    /// Writes a PNG (torchvision.io.write_png), creating the parent folder. The file is replaced
    /// atomically (written beside it, then renamed). <paramref name="image"/> is C×H×W (or H×W for
    /// gray) with 1 (gray), 2 (gray+alpha), 3 (RGB) or 4 (RGBA) channels, on any device:
    /// uint8 is written as is, int32 (0..65535) as a 16-bit PNG, and a floating-point tensor is
    /// taken as [0, 1] and stored as round(clamp(x, 0, 1)·255) in 8 bits (round half to even, as
    /// torch.round; NaN gives an unspecified value).
    /// </summary>
    public static void write_png(Tensor image, string path, int compression_level = 6)
    {
        CheckLevel(compression_level, path);
        ArgumentNullException.ThrowIfNull(path);
        WriteFile(path, Named(path, () => EncodePng(image, compression_level, path)));
    }

    /// <summary>
    /// Writes a baseline JPEG (torchvision.io.write_jpeg) with libjpeg's defaults for
    /// <paramref name="quality"/> (1..100; 4:2:0 chroma subsampling), creating the parent folder
    /// and replacing the file atomically. <paramref name="image"/> is C×H×W (or H×W) with 1 or 3
    /// channels: uint8 as is, floating point taken as [0, 1] as in <see cref="write_png"/>.
    /// </summary>
    public static void write_jpeg(Tensor image, string path, int quality = 90)
    {
        CheckQuality(quality, path);
        ArgumentNullException.ThrowIfNull(path);
        WriteFile(path, Named(path, () => EncodeJpeg(image, quality, path)));
    }

    /// <summary>The encoder's errors name the file being written, not the memory buffer it encodes into first.</summary>
    private static byte[] Named(string path, Func<byte[]> encode)
    {
        try { return encode(); }
        catch (TorchException e) when (e.Message.Contains(Memory, StringComparison.Ordinal)) { throw new TorchException(e.Message.Replace(Memory, path)); }
    }

    /// <summary>
    /// Encoded bytes into a file whose folder is made first, through <see cref="DurableFile"/>: one place for every file the
    /// library writes to fail safely (a full disk leaves the old file and says how much space is needed).
    /// </summary>
    private static void WriteFile(string path, byte[] encoded)
    {
        ArgumentNullException.ThrowIfNull(path);
        CreateParent(path);
        DurableFile.Replace(path, fs => fs.Write(encoded));
    }

    /// <summary>PNG file bytes (torchvision.io.encode_png), e.g. for a notebook's image/png output; the image as in <see cref="write_png"/>.</summary>
    public static byte[] encode_png(Tensor image, int compression_level = 6) => EncodePng(image, compression_level, Memory);

    /// <summary>encode_png, its errors naming <paramref name="name"/> (the file it is for).</summary>
    private static byte[] EncodePng(Tensor image, int compression_level, string name)
    {
        CheckLevel(compression_level, name);
        using var hwc = ToHwc(image, name, "PNG");
        Check(ImageNative.ts_image_encode_png_buffer(hwc.Handle, compression_level, out var data, out var nbytes));
        return TakeBuffer(data, nbytes);
    }

    /// <summary>JPEG file bytes (torchvision.io.encode_jpeg); the image as in <see cref="write_jpeg"/>.</summary>
    public static byte[] encode_jpeg(Tensor image, int quality = 90) => EncodeJpeg(image, quality, Memory);

    private static byte[] EncodeJpeg(Tensor image, int quality, string name)
    {
        CheckQuality(quality, name);
        using var hwc = ToHwc(image, name, "JPEG");
        Check(ImageNative.ts_image_encode_jpeg_buffer(hwc.Handle, quality, out var data, out var nbytes));
        return TakeBuffer(data, nbytes);
    }

    private static unsafe byte[] TakeBuffer(IntPtr data, long nbytes)
    {
        try { return new ReadOnlySpan<byte>((void*)data, checked((int)nbytes)).ToArray(); }
        finally { ImageNative.ts_buffer_free(data); }
    }

    private static void CheckLevel(int level, string name)
    {
        if (level is < 0 or > 9)
            throw new ArgumentOutOfRangeException(nameof(level), level, $"{name}: PNG compression level must be 0..9");
    }

    private static void CheckQuality(int quality, string name)
    {
        if (quality is < 1 or > 100)
            throw new ArgumentOutOfRangeException(nameof(quality), quality, $"{name}: JPEG quality must be 1..100");
    }

    private static void CreateParent(string path)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
    }

    /// <summary>
    /// Validates a C×H×W (or H×W) image and returns it as the contiguous CPU H×W×C tensor the
    /// encoders take: uint8, or int32 for a 16-bit PNG.
    /// </summary>
    private static Tensor ToHwc(Tensor image, string name, string format)
    {
        ArgumentNullException.ThrowIfNull(image);
        var shape = image.shape;
        var shown = $"[{string.Join(", ", shape)}]";
        if (shape.Length is not (2 or 3))
            throw new ArgumentException($"{name}: {format} encoding needs a C×H×W image tensor (or H×W for gray) but got shape {shown}" +
                (shape.Length == 4 ? "; select one image of the batch, or tile the batch into one grid first" : ""), nameof(image));
        var channels = shape.Length == 2 ? 1 : shape[0];
        var png = format == "PNG";
        var channelsOk = png ? channels is >= 1 and <= 4 : channels is 1 or 3;
        if (!channelsOk)
        {
            var allowed = png ? "1 (gray), 2 (gray+alpha), 3 (RGB) or 4 (RGBA)" : "1 (gray) or 3 (RGB)";
            var hint = shape.Length == 3 && shape[2] is >= 1 and <= 4 ? "; if the tensor is H×W×C, permute(2, 0, 1) it first"
                : !png && channels is 2 or 4 ? "; JPEG has no alpha channel" : "";
            throw new ArgumentException($"{name}: {format} encoding takes {allowed} channels but the image of shape {shown} has {channels}{hint}", nameof(image));
        }
        if (shape[^1] == 0 || shape[^2] == 0)
            throw new ArgumentException($"{name}: cannot encode an empty image of shape {shown}", nameof(image));

        var type = image.dtype;
        var sixteenBit = png && type == ScalarType.Int32;
        if (type != ScalarType.Byte && !sixteenBit && !type.IsFloatingPoint())
            throw new ArgumentException($"{name}: {format} encoding takes uint8{(png ? ", int32 (16-bit)" : "")} or floating-point [0, 1] pixels but the image of shape {shown} is {type.TorchName()}; convert it with to(ScalarType.Byte) if its values are 0..255", nameof(image));

        using var detached = image.detach();
        using var pixels = type.IsFloatingPoint() ? ToBytes(detached) : detached.alias();
        using var cpu = pixels.cpu();
        using var chw = shape.Length == 2 ? cpu.unsqueeze(0) : cpu.alias();
        using var hwc = chw.permute(1, 2, 0);
        return hwc.contiguous();
    }

    private static Tensor ToBytes(Tensor unit)
    {
        // Half types go through float32: not every CPU kernel below exists for them.
        using var f = unit.to(ScalarType.Float32);
        using var clamped = f.clamp(0, 1);
        using var scaled = clamped.mul(255);
        using var rounded = scaled.round();
        return rounded.to(ScalarType.Byte);
    }
}
