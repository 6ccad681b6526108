#!/usr/bin/python3
"""Writes tests/fixtures/color_metrics.safetensors: scikit-image's Lab conversions and metrics on
small deterministic images, for the C# parity tests (lib/Imaging/Lab.cs, lib/Metrics).

Run by hand with Debian's python3-skimage and python3-torch (CI needs no Python):
    /usr/bin/python3 tools/make_color_metric_fixtures.py
"""
import os
import sys

import numpy as np
import skimage
from skimage.color import lab2rgb, rgb2lab
from skimage.metrics import peak_signal_noise_ratio, structural_similarity

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_fixtures import save  # the hand-written safetensors writer  # noqa: E402
import torch  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures", "color_metrics.safetensors")


def images(rng):
    """Two 24x24 RGB images: smooth gradients with noise, saturated primaries, black and white."""
    h = w = 24
    yy, xx = np.mgrid[0:h, 0:w] / (h - 1)
    a = np.stack([xx, yy, 1 - xx * yy], -1) * 0.9 + rng.uniform(0, 0.1, (h, w, 3))
    b = np.stack([np.sin(xx * 6) * 0.5 + 0.5, yy ** 2, np.cos(yy * 4) * 0.5 + 0.5], -1)
    for img in (a, b):
        img[0, :4] = [[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 0]]
        img[1, :2] = [[0, 0, 0], [1, 1, 1]]
    return np.clip(np.stack([a, b]), 0, 1)


def colorfulness(rgb):
    x = rgb * 255.0
    rg = x[..., 0] - x[..., 1]
    yb = 0.5 * (x[..., 0] + x[..., 1]) - x[..., 2]
    return np.sqrt(rg.std() ** 2 + yb.std() ** 2) + 0.3 * np.sqrt(rg.mean() ** 2 + yb.mean() ** 2)


def ab_auc(pred_ab, true_ab):
    d = np.sqrt(((pred_ab - true_ab) ** 2).sum(-1)).ravel()
    acc = np.array([(d <= t).mean() for t in range(151)])
    return np.trapz(acc, dx=1.0) / 150.0, (d <= 10).mean()


def chw(x):  # N x H x W x C -> N x C x H x W float64 tensor
    return torch.from_numpy(np.ascontiguousarray(np.moveaxis(x, -1, 1)))


def main():
    rng = np.random.default_rng(2016)
    rgb = images(rng)
    lab = np.stack([rgb2lab(im) for im in rgb])
    # A Lab grid that leaves the sRGB gamut (exercises lab2rgb's clipping and negative-Z handling).
    L, A, B = np.meshgrid(np.linspace(0, 100, 6), np.linspace(-128, 127, 8), np.linspace(-128, 127, 8), indexing="ij")
    grid = np.stack([L, A, B], -1).reshape(1, 6, 64, 3)
    with np.errstate(all="ignore"):
        import warnings
        warnings.simplefilter("ignore")
        grid_rgb = lab2rgb(grid[0])[None]

    degraded = np.clip(rgb + rng.normal(0, 0.05, rgb.shape), 0, 1)
    blurred = np.clip((rgb + np.roll(rgb, 1, 1) + np.roll(rgb, 1, 2)) / 3, 0, 1)
    out = {"rgb": chw(rgb), "lab": chw(lab), "lab_grid": chw(grid), "lab_grid_rgb": chw(grid_rgb),
           "degraded": chw(degraded), "blurred": chw(blurred)}
    for name, other in (("degraded", degraded), ("blurred", blurred)):
        out[f"psnr_{name}"] = torch.tensor([peak_signal_noise_ratio(t, p, data_range=1) for t, p in zip(rgb, other)])
        out[f"ssim_{name}"] = torch.tensor([structural_similarity(t, p, data_range=1, channel_axis=-1, gaussian_weights=True,
                                                                  sigma=1.5, use_sample_covariance=False) for t, p in zip(rgb, other)])
        out[f"ssim_gray_{name}"] = torch.tensor([structural_similarity(t[..., 0], p[..., 0], data_range=1, gaussian_weights=True,
                                                                       sigma=1.5, use_sample_covariance=False) for t, p in zip(rgb, other)])
    # Colorless prediction: true L, ab = 0.
    colorless = np.stack([lab2rgb(np.concatenate([l[..., :1], np.zeros_like(l[..., 1:])], -1)) for l in lab])
    out["colorless"] = chw(colorless)
    out["colorfulness_rgb"] = torch.tensor([colorfulness(im) for im in rgb])
    out["colorfulness_colorless"] = torch.tensor([colorfulness(im) for im in colorless])
    lab_degraded = np.stack([rgb2lab(im) for im in degraded])
    aucs = [ab_auc(p[..., 1:], t[..., 1:]) for p, t in zip(lab_degraded, lab)]
    out["lab_degraded"] = chw(lab_degraded)
    out["ab_auc_degraded"] = torch.tensor([a for a, _ in aucs])
    out["ab_acc10_degraded"] = torch.tensor([c for _, c in aucs])
    out["ab_auc_colorless"] = torch.tensor([ab_auc(np.zeros_like(t[..., 1:]), t[..., 1:])[0] for t in lab])
    save(out, OUT, {"skimage": skimage.__version__, "numpy": np.__version__})
    print("wrote", os.path.normpath(OUT), file=sys.stderr)


if __name__ == "__main__":
    main()
