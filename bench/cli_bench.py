#!/usr/bin/python3
"""The CLI's colorize and upscale (tools/Workbook) in PyTorch, step for step, for bench/run_cli.sh.

colorize: decode the gray JPEG, its lightness (skimage's rgb2lab, in 256-row strips), bicubic (antialiased) to the
render size, the quick profile's report U-Net (width 32), the predicted ab upsampled to full size and recombined with
the full-resolution L (lab2rgb in strips), PNG (zlib level 6).
upscale: decode, 256-pixel tiles overlapping by 16 with the same feathered weights, the quick profile's SRResNet
(4 blocks x 32 channels, output = bicubic + residual), PNG. Weights are random: the cost is the same.
Usage: cli_bench.py colorize|upscale IN OUT [--threads N]   or   cli_bench.py --make-inputs DIR DEMO_PHOTO
"""
import argparse
import math
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image, ImageOps

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from colorizer_bench import ReportUnet  # noqa: E402
from srgan_bench import SRResNet  # noqa: E402

STRIP = 256
XYZ_FROM_RGB = torch.tensor([[0.412453, 0.357580, 0.180423], [0.212671, 0.715160, 0.072169], [0.019334, 0.119193, 0.950227]], dtype=torch.float64)
RGB_FROM_XYZ = torch.linalg.inv(XYZ_FROM_RGB)
WHITE = (0.95047, 1.0, 1.08883)


def rows(m, i, a, b, c):
    return a * float(m[i, 0]) + b * float(m[i, 1]) + c * float(m[i, 2])


def rgb2lab(x):
    lin = torch.where(x > 0.04045, ((x + 0.055) / 1.055).clamp(min=0).pow(2.4), x / 12.92)
    r, g, b = lin[:, 0:1], lin[:, 1:2], lin[:, 2:3]
    f = lambda t: torch.where(t > 0.008856, t.clamp(min=0.008856).pow(1 / 3), 7.787 * t + 16 / 116)
    fx, fy, fz = (f(rows(XYZ_FROM_RGB, i, r, g, b) / WHITE[i]) for i in range(3))
    return torch.cat([fy * 116 - 16, (fx - fy) * 500, (fy - fz) * 200], 1)


def lab2rgb(lab):
    l, a, b = lab[:, 0:1], lab[:, 1:2], lab[:, 2:3]
    fy = (l + 16) / 116
    fx, fz = a / 500 + fy, (fy - b / 200).clamp(min=0)
    finv = lambda t: torch.where(t > 0.2068966, t.pow(3), (t - 16 / 116) / 7.787)
    x, y, z = finv(fx) * WHITE[0], finv(fy) * WHITE[1], finv(fz) * WHITE[2]
    lin = torch.cat([rows(RGB_FROM_XYZ, i, x, y, z) for i in range(3)], 1)
    return torch.where(lin > 0.0031308, lin.clamp(min=0.0031308).pow(1 / 2.4) * 1.055 - 0.055, lin * 12.92).clamp(0, 1)


def bicubic(x, h, w):
    return F.interpolate(x, (h, w), mode="bicubic", align_corners=False, antialias=True)


def read(path, mode):
    with Image.open(path) as im:
        im = ImageOps.exif_transpose(im).convert(mode)
        a = torch.from_numpy(np.asarray(im).copy())
    return a.unsqueeze(0) if a.dim() == 2 else a.permute(2, 0, 1)


def write_png(chw, path):
    a = (chw.clamp(0, 1) * 255).round().to(torch.uint8).permute(1, 2, 0).contiguous().numpy()
    Image.fromarray(a).save(path, compress_level=6)


def colorize(src, dst, render=256):
    gray = read(src, "L")
    h, w = gray.shape[1:]
    light = torch.empty(1, 1, h, w)
    for top in range(0, h, STRIP):
        strip = gray[:, top:top + STRIP].float().div(255).expand(3, -1, -1).unsqueeze(0)
        light[:, :, top:top + STRIP] = rgb2lab(strip)[:, 0:1] / 100
    g = ReportUnet(1, 2, 32).eval()
    with torch.no_grad():
        small = bicubic(light, render, render).clamp(0, 1)
        l = small * 2 - 1
        color = lab2rgb(torch.cat([(l + 1) * 50, g(l) * 110], 1))
        ab = bicubic(rgb2lab(color)[:, 1:3], h, w)
        rgb = torch.empty(1, 3, h, w)
        for top in range(0, h, STRIP):
            rgb[:, :, top:top + STRIP] = lab2rgb(torch.cat([light[:, :, top:top + STRIP] * 100, ab[:, :, top:top + STRIP]], 1))
    write_png(rgb[0], dst)


def spans(n, tile, overlap):
    if n <= tile:
        return [(0, n)]
    out, start = [], 0
    while start + tile < n:
        out.append((start, tile))
        start += tile - overlap
    return out + [(n - tile, tile)]


def ramp(start, length, n, s, overlap):
    o = overlap * s
    i = torch.arange(length * s, dtype=torch.float64) + 0.5
    feather = lambda d: ((d - o / 4) / (o / 2)).clamp(0, 1) if o > 0 else torch.ones_like(d)
    w = torch.ones_like(i)
    if start > 0:
        w = w * feather(i)
    if start + length < n:
        w = w * feather(length * s - i)
    return w.float()


def upscale(src, dst, tile=256, overlap=16, s=4):
    x = read(src, "RGB").float().div(255).unsqueeze(0)
    h, w = x.shape[2:]
    g = SRResNet(blocks=4, c=32, bicubic_skip=True).eval()
    rs, cs = spans(h, tile, overlap), spans(w, tile, overlap)
    out = torch.zeros(1, 3, h * s, w * s)
    rt, ct = torch.zeros(h * s), torch.zeros(w * s)
    for y0, th in rs:
        rt[y0 * s:(y0 + th) * s] += ramp(y0, th, h, s, overlap)
    for x0, tw in cs:
        ct[x0 * s:(x0 + tw) * s] += ramp(x0, tw, w, s, overlap)
    with torch.no_grad():
        for y0, th in rs:
            for x0, tw in cs:
                t = g(x[:, :, y0:y0 + th, x0:x0 + tw]).clamp(0, 1)
                weight = ramp(y0, th, h, s, overlap).view(-1, 1) * ramp(x0, tw, w, s, overlap).view(1, -1)
                out[:, :, y0 * s:(y0 + th) * s, x0 * s:(x0 + tw) * s] += t * weight
    out /= rt.view(-1, 1) * ct.view(1, -1)
    write_png(out[0], dst)


def make_inputs(folder, demo):
    """A 12-megapixel gray JPEG and a 1-megapixel color JPEG from a demo photo (Lanczos-resized)."""
    with Image.open(demo) as im:
        im = im.convert("RGB")
        im.convert("L").resize((4384, 2740), Image.LANCZOS).save(os.path.join(folder, "gray_12mp.jpg"), quality=90)
        im.resize((1280, 800), Image.LANCZOS).save(os.path.join(folder, "color_1mp.jpg"), quality=90)


def main():
    if sys.argv[1] == "--make-inputs":
        make_inputs(sys.argv[2], sys.argv[3])
        return
    p = argparse.ArgumentParser()
    p.add_argument("verb", choices=["colorize", "upscale"])
    p.add_argument("src")
    p.add_argument("dst")
    p.add_argument("--threads", type=int, default=os.cpu_count())
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    (colorize if a.verb == "colorize" else upscale)(a.src, a.dst)


if __name__ == "__main__":
    main()
