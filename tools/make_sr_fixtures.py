#!/usr/bin/python3
"""Writes tests/fixtures/sr/: a synthetic HR image (no fetched data) and the bicubic x4 baseline's
scores computed independently with PIL (bicubic, a = -0.5, antialiased downscaling — the kernel of
MATLAB's imresize) and scikit-image on the BT.601 Y channel with a 4-pixel border crop.

Run by hand: /usr/bin/python3 tools/make_sr_fixtures.py   (Debian's python3-pil, python3-skimage)
"""
import json
import os

import numpy as np
from PIL import Image
from skimage.metrics import peak_signal_noise_ratio, structural_similarity

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures", "sr")


def y_channel(rgb):  # rgb uint8 HxWx3 -> float64 Y in [16, 235], as MATLAB's rgb2ycbcr
    x = rgb.astype(np.float64) / 255.0
    return 16 + 65.481 * x[..., 0] + 128.553 * x[..., 1] + 24.966 * x[..., 2]


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(4)
    h, w = 96, 120
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float64)
    img = np.stack([
        0.5 + 0.4 * np.sin(xx / 5.0) * np.cos(yy / 7.0),
        0.5 + 0.4 * np.sin((xx + yy) / 9.0),
        0.5 + 0.3 * np.cos(xx / 3.0 - yy / 11.0),
    ], -1) + rng.normal(0, 0.02, (h, w, 3))
    hr = (np.clip(img, 0, 1) * 255).round().astype(np.uint8)
    Image.fromarray(hr).save(os.path.join(OUT, "pattern.png"))
    lr = Image.fromarray(hr).resize((w // 4, h // 4), Image.BICUBIC)
    sr = np.asarray(lr.resize((w, h), Image.BICUBIC))
    ys, yh = y_channel(sr)[4:-4, 4:-4], y_channel(hr)[4:-4, 4:-4]
    expected = {
        "psnr_y": peak_signal_noise_ratio(yh, ys, data_range=255),
        "ssim_y": structural_similarity(yh, ys, data_range=255, gaussian_weights=True, sigma=1.5, use_sample_covariance=False),
    }
    with open(os.path.join(OUT, "pattern_bicubic_x4.json"), "w") as f:
        json.dump(expected, f, indent=1)
    print(expected)


if __name__ == "__main__":
    main()
