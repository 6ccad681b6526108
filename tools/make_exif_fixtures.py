#!/usr/bin/python3
"""Writes the EXIF-orientation fixtures tests/Lib.Tests/ExifOrientationTests.cs reads
(tests/fixtures/images/exif/): the same stored 24x16 picture as eight JPEGs tagged with
orientations 1..8 (orientation_N.jpg, with the tag in big-endian "MM" EXIF for odd N and
little-endian "II" for even N), and what PIL's ImageOps.exif_transpose shows for each
(orientation_N_upright.png), decoded from that very JPEG.

Run by hand (CI needs no Python; the fixtures are committed), with Debian's python3-pil:
    /usr/bin/python3 tools/make_exif_fixtures.py
The picture is four flat blocks of distinct colors (red, green, blue, white: no two the same
under any flip or turn) so JPEG rounding cannot make one orientation look like another.
"""
import io
import os
import struct

from PIL import Image, ImageOps

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures", "images", "exif")
W, H = 24, 16
BLOCKS = [(220, 30, 30), (30, 200, 40), (40, 50, 210), (250, 250, 250)]  # top-left, top-right, bottom-left, bottom-right


def picture():
    img = Image.new("RGB", (W, H))
    px = img.load()
    for y in range(H):
        for x in range(W):
            px[x, y] = BLOCKS[(2 if y >= H // 2 else 0) + (1 if x >= W // 2 else 0)]
    return img


def exif_block(orientation, little):
    """APP1 payload: Exif header, TIFF header, IFD0 with one entry (0x0112 SHORT 1 value)."""
    e = "<" if little else ">"
    tiff = (b"II" if little else b"MM") + struct.pack(e + "HI", 42, 8)
    # A second, unrelated tag first (0x010F Make, ASCII, 4 bytes inline) so the parser must walk the entries.
    ifd = struct.pack(e + "H", 2)
    ifd += struct.pack(e + "HHI", 0x010F, 2, 4) + b"Cam\0"
    ifd += struct.pack(e + "HHIHH", 0x0112, 3, 1, orientation, 0)
    ifd += struct.pack(e + "I", 0)
    return b"Exif\0\0" + tiff + ifd


def main():
    os.makedirs(OUT, exist_ok=True)
    base = picture()
    for n in range(1, 9):
        buf = io.BytesIO()
        base.save(buf, "JPEG", quality=95, subsampling=0, exif=exif_block(n, little=n % 2 == 0))
        path = os.path.join(OUT, f"orientation_{n}.jpg")
        with open(path, "wb") as f:
            f.write(buf.getvalue())
        with Image.open(path) as stored:
            assert stored.getexif().get(0x0112) == n, f"tag not read back for orientation {n}"
            ImageOps.exif_transpose(stored).save(os.path.join(OUT, f"orientation_{n}_upright.png"))
    print(f"wrote 16 files to {os.path.normpath(OUT)}")


if __name__ == "__main__":
    main()
