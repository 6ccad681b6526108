#!/usr/bin/python3
"""Writes the tiny PNG fixtures tests/Lib.Tests/ImageCodecTests.cs decodes (tests/fixtures/images/).

Run by hand (CI needs no Python; the fixtures are committed):
    /usr/bin/python3 tools/make_image_fixtures.py
The files cover PNG layouts the library's own encoder never writes (palettes with tRNS, gray
below 8 bits, gray+alpha, 16-bit RGB, Adam7 interlacing), so they are assembled here chunk by
chunk with zlib and struct only. The pixel formulas below are repeated in the C# test; change
both together.
"""
import os
import struct
import zlib

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures", "images")

# PNG color types
GRAY, RGB, PALETTE, GRAY_ALPHA = 0, 2, 3, 4


def chunk(kind, data):
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


def pack_row(samples, bit_depth):
    """One scanline's samples as bytes: big-endian for 16 bits, MSB-first bit packing below 8."""
    if bit_depth == 16:
        return b"".join(struct.pack(">H", s) for s in samples)
    if bit_depth == 8:
        return bytes(samples)
    per_byte = 8 // bit_depth
    out = bytearray()
    for i in range(0, len(samples), per_byte):
        byte = 0
        group = samples[i:i + per_byte]
        for j, s in enumerate(group):
            byte |= s << (8 - bit_depth * (j + 1))
        out.append(byte)
    return bytes(out)


def png(width, height, bit_depth, color_type, rows, extra=b"", interlace=False):
    """rows[y] is the flat list of samples of row y (channels interleaved)."""
    spp = {GRAY: 1, RGB: 3, PALETTE: 1, GRAY_ALPHA: 2}[color_type]
    raw = bytearray()
    if not interlace:
        for y in range(height):
            raw += b"\x00" + pack_row(rows[y], bit_depth)  # filter type 0 (None)
    else:
        # Adam7: (x0, y0, dx, dy) of each pass; each pass is a small image of its own.
        for x0, y0, dx, dy in [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]:
            xs = range(x0, width, dx)
            if not xs:
                continue
            for y in range(y0, height, dy):
                samples = [rows[y][x * spp + c] for x in xs for c in range(spp)]
                raw += b"\x00" + pack_row(samples, bit_depth)
    ihdr = struct.pack(">IIBBBBB", width, height, bit_depth, color_type, 0, 0, 1 if interlace else 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + extra +
            chunk(b"IDAT", zlib.compress(bytes(raw), 9)) + chunk(b"IEND", b""))


def write(name, data):
    path = os.path.join(OUT, name)
    with open(path, "wb") as f:
        f.write(data)
    print(f"{path}: {len(data)} bytes")


def main():
    os.makedirs(OUT, exist_ok=True)

    # 4-bit palette, 5x3, index (x + 2y) % 4; tRNS covers the first three entries only, so the
    # fourth (white) stays opaque.
    palette = [(255, 0, 0), (0, 255, 0), (0, 0, 255), (255, 255, 255)]
    alphas = [255, 128, 0]
    rows = [[(x + 2 * y) % 4 for x in range(5)] for y in range(3)]
    extra = chunk(b"PLTE", bytes(c for rgb in palette for c in rgb)) + chunk(b"tRNS", bytes(alphas))
    write("palette4_trns.png", png(5, 3, 4, PALETTE, rows, extra))

    # 8-bit gray+alpha, 4x3: gray 20x + 60y, alpha 255 - 40x - 10y.
    rows = [[v for x in range(4) for v in (20 * x + 60 * y, 255 - 40 * x - 10 * y)] for y in range(3)]
    write("gray_alpha8.png", png(4, 3, 8, GRAY_ALPHA, rows))

    # 16-bit RGB, 3x2: R 1000x + 30000y, G 65535 - R, B 258 + 12345xy (258 = 0x0102 shows byte order).
    rows = [[v for x in range(3) for v in (1000 * x + 30000 * y, 65535 - (1000 * x + 30000 * y), 258 + 12345 * x * y)]
            for y in range(2)]
    write("rgb16.png", png(3, 2, 16, RGB, rows))

    # 2-bit gray, 6x2: level (x + y) % 4, which reads back as level * 85.
    rows = [[(x + y) % 4 for x in range(6)] for y in range(2)]
    write("gray2.png", png(6, 2, 2, GRAY, rows))

    # Adam7-interlaced 8-bit RGB, 7x5: (10x + 3y, 200 - 20y, 7xy).
    rows = [[v for x in range(7) for v in (10 * x + 3 * y, 200 - 20 * y, 7 * x * y)] for y in range(5)]
    write("rgb8_adam7.png", png(7, 5, 8, RGB, rows, interlace=True))

    # For the fault suite (tests/Lib.Tests/ImageFaultTests.cs), big enough for 8-pixel squares:
    # an 8-bit palette PNG, 16x16, index (x // 4 + y // 4) % 4 over the palette above, the red entry
    # half transparent; and a CMYK JPEG (Adobe marker, stored inverted as Photoshop does), 16x16, cyan
    # left half and yellow right half, written by PIL (Debian's python3-pil).
    rows = [[(x // 4 + y // 4) % 4 for x in range(16)] for y in range(16)]
    extra = chunk(b"PLTE", bytes(c for rgb in palette for c in rgb)) + chunk(b"tRNS", bytes([128]))
    write("palette8_trns16.png", png(16, 16, 8, PALETTE, rows, extra))
    write_cmyk_jpeg("cmyk16.jpg")


def write_cmyk_jpeg(name):
    import io
    from PIL import Image
    img = Image.new("CMYK", (16, 16))
    img.paste((255, 0, 0, 0), (0, 0, 8, 16))
    img.paste((0, 0, 255, 0), (8, 0, 16, 16))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=95, subsampling=0)
    write(name, buf.getvalue())


if __name__ == "__main__":
    main()
