// The EXIF block of a JPEG (its APP1 "Exif" marker), handed to C# as bytes: libjpeg-turbo finds
// the marker while reading the header (jpeg_save_markers); C# reads the orientation tag from it
// (lib/Imaging/ExifOrientation.cs). Kept apart from image_codec.cpp so the decoder is untouched.
//
// As in image_codec.cpp, libjpeg's longjmp never crosses a C++ destructor: the library calls run
// in one "phase" function whose locals are trivial.
#include "shim.h"

#include <csetjmp>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

#include <jpeglib.h>

namespace {

struct ExifJpegErr {
  jpeg_error_mgr pub;
  jmp_buf jump;
  char message[JMSG_LENGTH_MAX];
};

void exif_on_error(j_common_ptr c) {
  auto* e = (ExifJpegErr*)c->err;
  (*c->err->format_message)(c, e->message);
  std::longjmp(e->jump, 1);
}

void exif_silent(j_common_ptr) {}
void exif_no_message(j_common_ptr, int) {}

struct ExifDecompressGuard {
  jpeg_decompress_struct cinfo{};
  ~ExifDecompressGuard() { jpeg_destroy_decompress(&cinfo); }
};

// Reads the header with APP1 markers kept; *found points into libjpeg's pool (valid until destroy).
bool exif_phase_header(j_decompress_ptr cinfo, ExifJpegErr* err, const uint8_t* data, int64_t nbytes,
                       jpeg_saved_marker_ptr* found) {
  if (setjmp(err->jump)) return false;
  jpeg_create_decompress(cinfo);
  jpeg_save_markers(cinfo, JPEG_APP0 + 1, 0xFFFF);
  jpeg_mem_src(cinfo, data, (unsigned long)nbytes);
  jpeg_read_header(cinfo, TRUE);
  *found = nullptr;
  for (jpeg_saved_marker_ptr m = cinfo->marker_list; m; m = m->next)
    if (m->marker == JPEG_APP0 + 1 && m->data_length >= 6 && std::memcmp(m->data, "Exif\0\0", 6) == 0) {
      *found = m;
      break;
    }
  return true;
}

}  // namespace

// The first APP1 Exif segment of a JPEG (from "Exif\0\0" on) as a malloc'd buffer for
// ts_buffer_free; *nbytes = 0 and *out = nullptr when the JPEG has none. Damage that keeps the
// header from being read is an error naming `name_for_errors`.
TS_EXPORT int ts_image_jpeg_exif(const uint8_t* data, int64_t nbytes, const char* name_for_errors, uint8_t** out,
                                 int64_t* out_nbytes) {
  TS_STATUS(
    *out = nullptr;
    *out_nbytes = 0;
    const char* name = name_for_errors && *name_for_errors ? name_for_errors : "<memory>";
    if (!data || nbytes < 3 || data[0] != 0xFF || data[1] != 0xD8 || data[2] != 0xFF)
      throw std::runtime_error(std::string(name) + ": not a JPEG, so it has no EXIF block");
    ExifJpegErr err{};
    ExifDecompressGuard g;
    g.cinfo.err = jpeg_std_error(&err.pub);
    err.pub.error_exit = exif_on_error;
    err.pub.emit_message = exif_no_message;
    err.pub.output_message = exif_silent;
    jpeg_saved_marker_ptr m = nullptr;
    if (!exif_phase_header(&g.cinfo, &err, data, nbytes, &m))
      throw std::runtime_error(std::string(name) + ": cannot read the JPEG header for its EXIF block (" + err.message + ")");
    if (m) {
      auto* copy = (uint8_t*)std::malloc(m->data_length);
      if (!copy) throw std::runtime_error(std::string(name) + ": out of memory copying the EXIF block");
      std::memcpy(copy, m->data, m->data_length);
      *out = copy;
      *out_nbytes = (int64_t)m->data_length;
    })
}
