// PNG and JPEG decode/encode through libpng and libjpeg-turbo, so images load without a managed
// codec dependency. Pixels cross as H×W×C tensors (uint8, or int32 holding 0..65535 for 16-bit
// PNGs, since this libtorch has no uint16); C# permutes to C×H×W.
//
// Both libraries report errors by longjmp. A longjmp must not skip C++ destructors, so every
// libpng/libjpeg call runs inside small "phase" functions whose locals are all trivial; buffers
// and library structs live in the caller (structs freed by RAII guards, which longjmp never
// crosses), and the caller turns a failed phase into a C++ exception that TS_GUARD records.
#include "shim.h"

#include <atomic>
#include <cerrno>
#include <cmath>
#include <csetjmp>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <unistd.h>

#include <jpeglib.h>
#include <jerror.h>
#include <png.h>

namespace {

// 2^28 pixels (16k × 16k) by default caps a 4-channel int32 image at 4 GiB; anything bigger is far
// more likely a corrupt or hostile header than a real training image. The header is checked before
// any pixel buffer is allocated. C#'s Image.MaxPixels changes it (ts_image_set_max_pixels).
std::atomic<int64_t> g_max_pixels{int64_t(1) << 28};

std::runtime_error image_error(const char* name, const std::string& what) {
  return std::runtime_error(std::string(name && *name ? name : "<memory>") + ": " + what);
}

void check_dimensions(const char* name, const char* format, int64_t width, int64_t height) {
  if (width <= 0 || height <= 0)
    throw image_error(name, std::string(format) + " header gives an empty image (" + std::to_string(width) + "x" +
                                std::to_string(height) + ")");
  const int64_t limit = g_max_pixels.load();
  if (width * height > limit)
    throw image_error(name, std::string(format) + " header claims " + std::to_string(width) + "x" + std::to_string(height) +
                                " pixels, more than the limit of " + std::to_string(limit) +
                                " (a corrupt header, or an image too large to load whole; raise Lib.Imaging.Image.MaxPixels to load it)");
}

// Names the formats people most often feed by mistake, so the message says what the file is.
std::string describe_unknown(const uint8_t* d, int64_t n) {
  auto starts = [&](const char* magic, size_t len) { return (size_t)n >= len && std::memcmp(d, magic, len) == 0; };
  if (starts("GIF87a", 6) || starts("GIF89a", 6)) return "it is a GIF";
  if (starts("BM", 2)) return "it looks like a BMP";
  if (n >= 12 && std::memcmp(d, "RIFF", 4) == 0 && std::memcmp(d + 8, "WEBP", 4) == 0) return "it is a WebP";
  if (starts("II*\0", 4) || starts("MM\0*", 4)) return "it is a TIFF";
  if (n >= 12 && std::memcmp(d + 4, "ftyp", 4) == 0) return "it looks like HEIF/AVIF/MP4";
  char hex[64];
  int len = 0;
  for (int64_t i = 0; i < n && i < 8; i++) len += std::snprintf(hex + len, sizeof hex - len, i ? " %02X" : "%02X", d[i]);
  return std::string("it starts with bytes ") + hex;
}

// PIL's convert("L") (ITU-R 601-2 luma in 16-bit fixed point) on the stored values, not linear
// light, so gray images match what a PIL-based PyTorch pipeline sees and what a JPEG's Y holds.
// libpng's own rgb_to_gray is not used because it switches to linear light when a file has gAMA.
inline int64_t luma(int64_t r, int64_t g, int64_t b) { return (19595 * r + 38470 * g + 7471 * b + 0x8000) >> 16; }

template <typename T>
at::Tensor rgb_to_gray(const T* rgb, int64_t H, int64_t W, int64_t C, at::ScalarType type) {
  at::Tensor out = at::empty({H, W, 1}, type);
  T* d = out.data_ptr<T>();
  for (int64_t i = 0, n = H * W; i < n; i++, rgb += C) d[i] = (T)luma(rgb[0], rgb[1], rgb[2]);
  return out;
}

// A growable malloc'd buffer: libjpeg's memory destination also hands back malloc'd memory, so
// one ts_buffer_free serves both encoders.
struct OutBuffer {
  uint8_t* data = nullptr;
  size_t size = 0;
  size_t cap = 0;
};

bool out_append(OutBuffer* b, const uint8_t* src, size_t n) {
  if (b->size + n > b->cap) {
    size_t cap = b->cap ? b->cap : 65536;
    while (cap < b->size + n) cap *= 2;
    auto* grown = (uint8_t*)std::realloc(b->data, cap);
    if (!grown) return false;
    b->data = grown;
    b->cap = cap;
  }
  std::memcpy(b->data + b->size, src, n);
  b->size += n;
  return true;
}

// Readers see either the old file or the new one, never a half-written image (a notebook may be
// displaying results while training writes them).
void write_file_atomic(const char* path, const uint8_t* data, size_t n) {
  if (!path || !*path) throw std::runtime_error("image path is empty");
  static std::atomic<unsigned> counter{0};
  std::string tmp = std::string(path) + ".tmp-" + std::to_string(getpid()) + "-" + std::to_string(counter++);
  FILE* f = std::fopen(tmp.c_str(), "wb");
  if (!f) throw image_error(path, std::string("cannot create the file (") + std::strerror(errno) + ")");
  bool ok = std::fwrite(data, 1, n, f) == n;
  int err = ok ? 0 : errno;
  if (std::fclose(f) != 0 && ok) { ok = false; err = errno; }
  if (ok && std::rename(tmp.c_str(), path) != 0) { ok = false; err = errno; }
  if (!ok) {
    std::remove(tmp.c_str());
    throw image_error(path, std::string("cannot write the file (") + std::strerror(err) + ")");
  }
}

// Encoders take what C# hands them; the checks name the path so a bad call is easy to find.
at::Tensor encoder_input(const at::Tensor& t, const char* name, const char* format, bool allow16) {
  TORCH_CHECK(t.defined(), name, ": no image tensor given");
  TORCH_CHECK(t.dim() == 3, name, ": ", format, " encoding needs an H×W×C tensor but got shape ", t.sizes());
  TORCH_CHECK(t.scalar_type() == at::kByte || (allow16 && t.scalar_type() == at::kInt), name, ": ", format,
              " encoding needs uint8", allow16 ? " (or int32 for 16-bit)" : "", " pixels but got ", t.scalar_type());
  TORCH_CHECK(t.size(0) > 0 && t.size(1) > 0, name, ": cannot encode an empty image of shape ", t.sizes());
  TORCH_CHECK(t.size(0) * t.size(1) <= g_max_pixels.load(), name, ": image of shape ", t.sizes(), " exceeds the limit of ",
              g_max_pixels.load(), " pixels (Lib.Imaging.Image.MaxPixels)");
  return t.detach().to(at::kCPU).contiguous();
}

// ---- PNG -------------------------------------------------------------------------------------

struct PngIo {
  const uint8_t* data;
  size_t size;
  size_t pos;
  bool truncated;
  int stage;  // 0 header, 1 image data, 2 after the image data: where a truncated file ended
  OutBuffer* out;
  char message[256];
};

void png_on_error(png_structp png, png_const_charp msg) {
  auto* io = (PngIo*)png_get_error_ptr(png);
  std::snprintf(io->message, sizeof io->message, "%s", msg ? msg : "unknown libpng error");
  png_longjmp(png, 1);
}

// Warnings (unknown or bad ancillary chunks, sRGB profile quibbles) do not affect the pixels.
void png_on_warning(png_structp, png_const_charp) {}

void png_read_mem(png_structp png, png_bytep dst, size_t n) {
  auto* io = (PngIo*)png_get_io_ptr(png);
  if (n > io->size - io->pos) {
    io->truncated = true;
    png_error(png, "unexpected end of data");
  }
  std::memcpy(dst, io->data + io->pos, n);
  io->pos += n;
}

void png_write_mem(png_structp png, png_bytep src, size_t n) {
  auto* io = (PngIo*)png_get_io_ptr(png);
  if (!out_append(io->out, src, n)) png_error(png, "out of memory while encoding");
}

void png_flush_mem(png_structp) {}

struct PngReadGuard {
  png_structp png = nullptr;
  png_infop info = nullptr;
  ~PngReadGuard() { png_destroy_read_struct(&png, info ? &info : nullptr, nullptr); }
};

struct PngWriteGuard {
  png_structp png = nullptr;
  png_infop info = nullptr;
  ~PngWriteGuard() { png_destroy_write_struct(&png, info ? &info : nullptr); }
};

struct PngHeader {
  png_uint_32 width, height;
  int bit_depth, channels;
  int file_bits_per_pixel;  // as stored, before palette expansion and the other transforms
  bool to_gray;  // libpng delivers RGB; the caller reduces it to luma
};

// mode: 0 keep, 1 gray, 2 RGB, 3 RGBA. Palettes expand to RGB, tRNS to an alpha channel, gray
// below 8 bits to 8 bits; nothing touches gamma, so values are the file's own.
bool png_phase_header(png_structp png, png_infop info, int mode, PngHeader* h) {
  if (setjmp(png_jmpbuf(png))) return false;
  png_set_sig_bytes(png, 8);
  png_read_info(png, info);
  int color = png_get_color_type(png, info);
  int depth = png_get_bit_depth(png, info);
  h->file_bits_per_pixel = depth * png_get_channels(png, info);
  if (color == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
  if (color == PNG_COLOR_TYPE_GRAY && depth < 8) png_set_expand_gray_1_2_4_to_8(png);
  bool has_trns = png_get_valid(png, info, PNG_INFO_tRNS) != 0;
  if (has_trns) png_set_tRNS_to_alpha(png);
  bool has_color = (color & PNG_COLOR_MASK_COLOR) != 0;
  bool has_alpha = (color & PNG_COLOR_MASK_ALPHA) != 0 || has_trns;
  h->to_gray = mode == 1 && has_color;
  if (mode == 1) {
    if (has_alpha) png_set_strip_alpha(png);
  } else if (mode == 2 || mode == 3) {
    if (!has_color) png_set_gray_to_rgb(png);
    if (mode == 2 && has_alpha) png_set_strip_alpha(png);
    if (mode == 3 && !has_alpha) png_set_add_alpha(png, depth == 16 ? 0xffff : 0xff, PNG_FILLER_AFTER);
  }
  png_set_interlace_handling(png);
  png_read_update_info(png, info);
  h->width = png_get_image_width(png, info);
  h->height = png_get_image_height(png, info);
  h->bit_depth = png_get_bit_depth(png, info);
  h->channels = png_get_channels(png, info);
  return true;
}

bool png_phase_pixels(png_structp png, png_bytepp rows, PngIo* io) {
  if (setjmp(png_jmpbuf(png))) return false;
  io->stage = 1;
  png_read_image(png, rows);
  io->stage = 2;
  // Reading to IEND is what catches a file cut off after its image data.
  png_read_end(png, nullptr);
  return true;
}

[[noreturn]] void png_fail(const char* name, const PngIo& io) {
  static const char* const kWhere[] = {"inside the header", "in the middle of the image data",
                                       "after the image data but before the IEND chunk"};
  if (io.truncated)
    throw image_error(name, "PNG data is truncated (the file ends after " + std::to_string(io.size) + " bytes, " +
                                kWhere[io.stage] + ")");
  throw image_error(name, std::string("invalid or corrupt PNG (") + io.message + ")");
}

at::Tensor decode_png(const uint8_t* data, int64_t nbytes, int mode, const char* name) {
  PngIo io{data, (size_t)nbytes, 8, false, 0, nullptr, {0}};
  PngReadGuard g;
  g.png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &io, png_on_error, png_on_warning);
  if (!g.png) throw image_error(name, "libpng could not allocate a reader");
  g.info = png_create_info_struct(g.png);
  if (!g.info) throw image_error(name, "libpng could not allocate a reader");
  png_set_read_fn(g.png, &io, png_read_mem);

  PngHeader h{};
  if (!png_phase_header(g.png, g.info, mode, &h)) png_fail(name, io);
  check_dimensions(name, "PNG", h.width, h.height);
  // Deflate expands at most 1032:1 and every row carries a filter byte, so n file bytes hold at most
  // 1032·n bytes of rows: a header claiming more is damaged, and is refused before its buffer is allocated.
  const double stored = (double)h.height * (1.0 + std::ceil((double)h.width * h.file_bits_per_pixel / 8.0));
  if (stored > 1032.0 * (double)nbytes + 4096)
    throw image_error(name, "PNG header claims " + std::to_string(h.width) + "x" + std::to_string(h.height) +
                                " pixels, more than its " + std::to_string(nbytes) + " bytes can hold (a damaged header, or the file was cut short)");
  const int64_t H = h.height, W = h.width, C = h.channels;
  const int64_t row_bytes = W * C * (h.bit_depth == 16 ? 2 : 1);
  TORCH_CHECK((int64_t)png_get_rowbytes(g.png, g.info) == row_bytes, name, ": unexpected PNG row layout (",
              png_get_rowbytes(g.png, g.info), " bytes per row for ", W, " pixels of ", C, " channels at ", h.bit_depth,
              " bits)");

  // 8-bit pixels land straight in the result; 16-bit ones (big-endian in PNG) go through a
  // byte buffer and widen to int32.
  at::Tensor raw = at::empty({H, row_bytes}, at::kByte);
  std::vector<png_bytep> rows((size_t)H);
  uint8_t* base = raw.data_ptr<uint8_t>();
  for (int64_t y = 0; y < H; y++) rows[(size_t)y] = base + y * row_bytes;
  if (!png_phase_pixels(g.png, rows.data(), &io)) png_fail(name, io);

  if (h.bit_depth != 16) return h.to_gray ? rgb_to_gray(base, H, W, C, at::kByte) : raw.view({H, W, C});
  at::Tensor wide = at::empty({H, W, C}, at::kInt);
  int32_t* dst = wide.data_ptr<int32_t>();
  for (int64_t i = 0, n = H * W * C; i < n; i++) dst[i] = (int32_t(base[2 * i]) << 8) | base[2 * i + 1];
  return h.to_gray ? rgb_to_gray(dst, H, W, C, at::kInt) : wide;
}

bool png_phase_encode(png_structp png, png_infop info, const uint8_t* pixels, png_uint_32 width, png_uint_32 height,
                      int bit_depth, int color_type, int level, size_t row_bytes) {
  if (setjmp(png_jmpbuf(png))) return false;
  png_set_compression_level(png, level);
  png_set_IHDR(png, info, width, height, bit_depth, color_type, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
               PNG_FILTER_TYPE_DEFAULT);
  png_write_info(png, info);
  for (png_uint_32 y = 0; y < height; y++) png_write_row(png, (png_const_bytep)(pixels + (size_t)y * row_bytes));
  png_write_end(png, info);
  return true;
}

// Returns a malloc'd PNG (caller frees with std::free).
OutBuffer encode_png(const at::Tensor& input, int level, const char* name) {
  TORCH_CHECK(level >= 0 && level <= 9, name, ": PNG compression level must be 0..9 but is ", level);
  at::Tensor t = encoder_input(input, name, "PNG", true);
  TORCH_CHECK(t.size(2) >= 1 && t.size(2) <= 4, name, ": PNG encoding takes 1 (gray), 2 (gray+alpha), 3 (RGB) or 4 (RGBA) ",
              "channels but the tensor of shape ", t.sizes(), " has ", t.size(2));
  const int64_t H = t.size(0), W = t.size(1), C = t.size(2);
  const bool sixteen = t.scalar_type() == at::kInt;
  at::Tensor bytes = t;
  if (sixteen) {
    auto lo = t.min().item<int32_t>(), hi = t.max().item<int32_t>();
    TORCH_CHECK(lo >= 0 && hi <= 65535, name, ": 16-bit PNG values must lie in 0..65535 but range over ", lo, "..", hi);
    bytes = at::empty({H, W, C * 2}, at::kByte);
    const int32_t* src = t.data_ptr<int32_t>();
    uint8_t* dst = bytes.data_ptr<uint8_t>();
    for (int64_t i = 0, n = H * W * C; i < n; i++) {
      dst[2 * i] = (uint8_t)(src[i] >> 8);
      dst[2 * i + 1] = (uint8_t)(src[i] & 0xff);
    }
  }
  static const int kColor[] = {0, PNG_COLOR_TYPE_GRAY, PNG_COLOR_TYPE_GRAY_ALPHA, PNG_COLOR_TYPE_RGB,
                               PNG_COLOR_TYPE_RGB_ALPHA};
  OutBuffer out;
  PngIo io{nullptr, 0, 0, false, 0, &out, {0}};
  {
    PngWriteGuard g;
    g.png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &io, png_on_error, png_on_warning);
    if (g.png) g.info = png_create_info_struct(g.png);
    if (!g.png || !g.info) throw image_error(name, "libpng could not allocate a writer");
    png_set_write_fn(g.png, &io, png_write_mem, png_flush_mem);
    if (!png_phase_encode(g.png, g.info, bytes.data_ptr<uint8_t>(), (png_uint_32)W, (png_uint_32)H, sixteen ? 16 : 8,
                          kColor[C], level, (size_t)(W * C * (sixteen ? 2 : 1)))) {
      std::free(out.data);
      throw image_error(name, std::string("PNG encoding failed (") + io.message + ")");
    }
  }
  return out;
}

// ---- JPEG ------------------------------------------------------------------------------------

struct JpegErr {
  jpeg_error_mgr pub;
  jmp_buf jump;
  bool truncated;
  bool corrupt_data;
  char message[JMSG_LENGTH_MAX];
};

void jpeg_on_error(j_common_ptr c) {
  auto* e = (JpegErr*)c->err;
  (*c->err->format_message)(c, e->message);
  std::longjmp(e->jump, 1);
}

// libjpeg only warns when data is missing or damaged and fills the rest with gray or garbage;
// a silently damaged training image is worse than a named error, so those warnings are fatal.
// Warnings about metadata (unknown JFIF version, Adobe transform, bad ICC marker) are not.
void jpeg_on_message(j_common_ptr c, int level) {
  if (level >= 0) return;  // trace messages
  auto* e = (JpegErr*)c->err;
  int code = c->err->msg_code;
  bool fatal = false;
  switch (code) {
    case JWRN_JPEG_EOF: e->truncated = true; fatal = true; break;
    case JWRN_HIT_MARKER:
    case JWRN_HUFF_BAD_CODE:
    case JWRN_ARITH_BAD_CODE:
    case JWRN_MUST_RESYNC:
    case JWRN_EXTRANEOUS_DATA:
    case JWRN_NOT_SEQUENTIAL:
    case JWRN_BOGUS_PROGRESSION:
      e->corrupt_data = true; fatal = true; break;
    default: break;
  }
  c->err->num_warnings++;
  if (!fatal) return;
  (*c->err->format_message)(c, e->message);
  std::longjmp(e->jump, 1);
}

void jpeg_silent(j_common_ptr) {}

// Zero-initialised, so destroying a struct whose creation failed is a no-op (jpeg_destroy only
// frees a non-null memory manager).
struct JpegDecompressGuard {
  jpeg_decompress_struct cinfo{};
  ~JpegDecompressGuard() { jpeg_destroy_decompress(&cinfo); }
};

struct JpegCompressGuard {
  jpeg_compress_struct cinfo{};
  ~JpegCompressGuard() { jpeg_destroy_compress(&cinfo); }
};

bool jpeg_phase_create_decompress(j_decompress_ptr cinfo, JpegErr* err) {
  if (setjmp(err->jump)) return false;
  jpeg_create_decompress(cinfo);
  return true;
}

// Picks the output color space for `mode` and computes the output size. CMYK and YCCK come out
// as CMYK, converted afterwards (libjpeg has no CMYK→RGB conversion).
bool jpeg_phase_header(j_decompress_ptr cinfo, JpegErr* err, const uint8_t* data, int64_t nbytes, int mode, bool* cmyk,
                       bool* unsupported) {
  if (setjmp(err->jump)) return false;
  jpeg_mem_src(cinfo, data, (unsigned long)nbytes);
  jpeg_read_header(cinfo, TRUE);
  *cmyk = false;
  *unsupported = false;
  switch (cinfo->jpeg_color_space) {
    case JCS_GRAYSCALE:
      cinfo->out_color_space = mode == 2 ? JCS_RGB : mode == 3 ? JCS_EXT_RGBA : JCS_GRAYSCALE;
      break;
    case JCS_YCbCr:
    case JCS_RGB:
      cinfo->out_color_space = mode == 1 ? JCS_GRAYSCALE : mode == 3 ? JCS_EXT_RGBA : JCS_RGB;
      break;
    case JCS_CMYK:
    case JCS_YCCK:
      cinfo->out_color_space = JCS_CMYK;
      *cmyk = true;
      break;
    default:
      *unsupported = true;
      return true;
  }
  jpeg_calc_output_dimensions(cinfo);
  return true;
}

bool jpeg_phase_pixels(j_decompress_ptr cinfo, JpegErr* err, uint8_t* dst, size_t row_bytes) {
  if (setjmp(err->jump)) return false;
  jpeg_start_decompress(cinfo);
  while (cinfo->output_scanline < cinfo->output_height) {
    JSAMPROW row = dst + (size_t)cinfo->output_scanline * row_bytes;
    jpeg_read_scanlines(cinfo, &row, 1);
  }
  // Finishing reads up to EOI, where damage after the last scanline shows up.
  jpeg_finish_decompress(cinfo);
  return true;
}

[[noreturn]] void jpeg_fail(const char* name, const JpegErr& err) {
  if (err.truncated) throw image_error(name, std::string("JPEG data is truncated (") + err.message + ")");
  if (err.corrupt_data) throw image_error(name, std::string("JPEG data is corrupt (") + err.message + ")");
  throw image_error(name, std::string("invalid or corrupt JPEG (") + err.message + ")");
}

at::Tensor decode_jpeg(const uint8_t* data, int64_t nbytes, int mode, const char* name) {
  JpegErr err{};
  JpegDecompressGuard g;
  g.cinfo.err = jpeg_std_error(&err.pub);
  err.pub.error_exit = jpeg_on_error;
  err.pub.emit_message = jpeg_on_message;
  err.pub.output_message = jpeg_silent;
  if (!jpeg_phase_create_decompress(&g.cinfo, &err)) jpeg_fail(name, err);

  bool cmyk = false, unsupported = false;
  if (!jpeg_phase_header(&g.cinfo, &err, data, nbytes, mode, &cmyk, &unsupported)) jpeg_fail(name, err);
  if (unsupported)
    throw image_error(name, "unsupported JPEG color space (" + std::to_string(g.cinfo.num_components) +
                                " components, libjpeg color space " + std::to_string((int)g.cinfo.jpeg_color_space) + ")");
  check_dimensions(name, "JPEG", g.cinfo.output_width, g.cinfo.output_height);
  const int64_t H = g.cinfo.output_height, W = g.cinfo.output_width, C = g.cinfo.output_components;

  if (!cmyk) {
    at::Tensor out = at::empty({H, W, C}, at::kByte);
    if (!jpeg_phase_pixels(&g.cinfo, &err, out.data_ptr<uint8_t>(), (size_t)(W * C))) jpeg_fail(name, err);
    return out;
  }

  // Photoshop (the usual source, recognisable by its Adobe marker) stores CMYK inverted, so
  // R = C·K/255 on the stored values; other writers store it plainly. This is the naive
  // multiplicative conversion; an embedded ICC profile is ignored.
  at::Tensor cmyk_pixels = at::empty({H, W, 4}, at::kByte);
  if (!jpeg_phase_pixels(&g.cinfo, &err, cmyk_pixels.data_ptr<uint8_t>(), (size_t)(W * 4))) jpeg_fail(name, err);
  const bool inverted = g.cinfo.saw_Adobe_marker;
  const int64_t outC = mode == 1 ? 1 : mode == 3 ? 4 : 3;
  at::Tensor out = at::empty({H, W, outC}, at::kByte);
  const uint8_t* s = cmyk_pixels.data_ptr<uint8_t>();
  uint8_t* d = out.data_ptr<uint8_t>();
  for (int64_t i = 0, n = H * W; i < n; i++, s += 4, d += outC) {
    int c = s[0], m = s[1], yv = s[2], k = s[3];
    if (!inverted) { c = 255 - c; m = 255 - m; yv = 255 - yv; k = 255 - k; }
    int r = (c * k + 127) / 255, gr = (m * k + 127) / 255, b = (yv * k + 127) / 255;
    if (outC == 1) {
      d[0] = (uint8_t)luma(r, gr, b);
    } else {
      d[0] = (uint8_t)r; d[1] = (uint8_t)gr; d[2] = (uint8_t)b;
      if (outC == 4) d[3] = 255;
    }
  }
  return out;
}

bool jpeg_phase_encode(j_compress_ptr cinfo, JpegErr* err, const uint8_t* pixels, int width, int height, int channels,
                       int quality, unsigned char** out, unsigned long* out_size) {
  if (setjmp(err->jump)) return false;
  jpeg_create_compress(cinfo);
  jpeg_mem_dest(cinfo, out, out_size);
  cinfo->image_width = (JDIMENSION)width;
  cinfo->image_height = (JDIMENSION)height;
  cinfo->input_components = channels;
  cinfo->in_color_space = channels == 1 ? JCS_GRAYSCALE : JCS_RGB;
  jpeg_set_defaults(cinfo);
  jpeg_set_quality(cinfo, quality, TRUE);
  // Smaller files for a little CPU; the pixels are identical either way.
  cinfo->optimize_coding = TRUE;
  jpeg_start_compress(cinfo, TRUE);
  while (cinfo->next_scanline < cinfo->image_height) {
    JSAMPROW row = (JSAMPROW)(pixels + (size_t)cinfo->next_scanline * (size_t)width * (size_t)channels);
    jpeg_write_scanlines(cinfo, &row, 1);
  }
  jpeg_finish_compress(cinfo);
  return true;
}

OutBuffer encode_jpeg(const at::Tensor& input, int quality, const char* name) {
  TORCH_CHECK(quality >= 1 && quality <= 100, name, ": JPEG quality must be 1..100 but is ", quality);
  at::Tensor t = encoder_input(input, name, "JPEG", false);
  TORCH_CHECK(t.size(2) == 1 || t.size(2) == 3, name, ": JPEG encoding takes 1 (gray) or 3 (RGB) channels but the tensor of shape ",
              t.sizes(), " has ", t.size(2), t.size(2) == 2 || t.size(2) == 4 ? " (JPEG has no alpha channel)" : "");
  TORCH_CHECK(t.size(0) <= JPEG_MAX_DIMENSION && t.size(1) <= JPEG_MAX_DIMENSION, name, ": JPEG images are limited to ",
              JPEG_MAX_DIMENSION, " pixels a side but the tensor has shape ", t.sizes());
  JpegErr err{};
  unsigned char* buf = nullptr;
  unsigned long size = 0;
  bool ok;
  {
    JpegCompressGuard g;
    g.cinfo.err = jpeg_std_error(&err.pub);
    err.pub.error_exit = jpeg_on_error;
    err.pub.output_message = jpeg_silent;
    ok = jpeg_phase_encode(&g.cinfo, &err, t.data_ptr<uint8_t>(), (int)t.size(1), (int)t.size(0), (int)t.size(2),
                           quality, &buf, &size);
  }
  if (!ok) {
    std::free(buf);
    throw image_error(name, std::string("JPEG encoding failed (") + err.message + ")");
  }
  OutBuffer out;
  out.data = buf;
  out.size = out.cap = size;
  return out;
}

struct BufferOwner {
  OutBuffer b;
  ~BufferOwner() { std::free(b.data); }
};

}  // namespace

// Decodes a PNG or JPEG (found by its signature, not its name) into a new H×W×C tensor: uint8,
// or int32 with values 0..65535 for 16-bit PNGs. mode: 0 keeps the file's channels (1 gray,
// 2 gray+alpha, 3 RGB, 4 RGBA; a palette gives 3, or 4 with tRNS), 1 gray, 2 RGB, 3 RGBA.
// `name` (the path) starts every error message.
TS_EXPORT TensorHandle ts_image_decode(const uint8_t* data, int64_t nbytes, int mode, const char* name_for_errors) {
  TS_GUARD(nullptr,
    const char* name = name_for_errors && *name_for_errors ? name_for_errors : "<memory>";
    if (mode < 0 || mode > 3) throw image_error(name, "image read mode must be 0..3 but is " + std::to_string(mode));
    if (nbytes <= 0 || !data) throw image_error(name, "the file is empty");
    static const uint8_t kPngSig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    if (nbytes >= 8 && std::memcmp(data, kPngSig, 8) == 0) return new at::Tensor(decode_png(data, nbytes, mode, name));
    if (nbytes >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF)
      return new at::Tensor(decode_jpeg(data, nbytes, mode, name));
    if (nbytes < 8 && std::memcmp(data, kPngSig, (size_t)nbytes) == 0)
      throw image_error(name, "PNG data is truncated (only " + std::to_string(nbytes) + " bytes of the signature)");
    throw image_error(name, "not a PNG or JPEG image (" + describe_unknown(data, nbytes) + ")");)
}

// Writes t (CPU H×W×C; uint8 with 1–4 channels, or int32 0..65535 for a 16-bit PNG) to `path`
// through a temporary file and a rename.
TS_EXPORT int ts_image_encode_png(TensorHandle t, const char* path, int compression_level) {
  TS_STATUS(
    BufferOwner o{encode_png(*t, compression_level, path)};
    write_file_atomic(path, o.b.data, o.b.size))
}

// Writes t (CPU H×W×C uint8, 1 or 3 channels) as a baseline JPEG with 4:2:0 chroma (libjpeg's
// defaults for `quality`) and optimized Huffman tables.
TS_EXPORT int ts_image_encode_jpeg(TensorHandle t, const char* path, int quality) {
  TS_STATUS(
    BufferOwner o{encode_jpeg(*t, quality, path)};
    write_file_atomic(path, o.b.data, o.b.size))
}

// In-memory variants: *out receives a malloc'd buffer for ts_buffer_free.
TS_EXPORT int ts_image_encode_png_buffer(TensorHandle t, int compression_level, uint8_t** out, int64_t* nbytes) {
  TS_STATUS(
    OutBuffer b = encode_png(*t, compression_level, "<memory>");
    *out = b.data;
    *nbytes = (int64_t)b.size)
}

TS_EXPORT int ts_image_encode_jpeg_buffer(TensorHandle t, int quality, uint8_t** out, int64_t* nbytes) {
  TS_STATUS(
    OutBuffer b = encode_jpeg(*t, quality, "<memory>");
    *out = b.data;
    *nbytes = (int64_t)b.size)
}

TS_EXPORT void ts_buffer_free(uint8_t* p) { std::free(p); }

// The largest width × height the decoders and encoders accept.
TS_EXPORT int64_t ts_image_get_max_pixels() { return g_max_pixels.load(); }
TS_EXPORT void ts_image_set_max_pixels(int64_t n) { g_max_pixels.store(n); }
