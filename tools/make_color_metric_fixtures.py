#!/usr/bin/python3
"""Writes tests/fixtures/color_metrics.safetensors: scikit-image's Lab conversions, PSNR and SSIM on
small deterministic images, plus numpy references for colorfulness and ab accuracy, for the C# tests
of lib/Imaging/Lab.cs and lib/Metrics (tests/Lib.Tests/LabTests.cs, MetricsTests.cs).

Run by hand with Debian's python3 (python3-skimage, python3-numpy); CI needs no Python:
    /usr/bin/python3 tools/make_color_metric_fixtures.py

Every image is rounded to float32 *before* the references are computed (in float64), so storing the
inputs as F32 loses nothing and the file stays small; only outputs that the float64 tests compare to
1e-6 are stored as F64. Tensors are N x C x H x W, as the C# side uses them.
"""
import os
import sys
import warnings

import numpy as np
import skimage
from skimage.color import lab2rgb, rgb2lab
from skimage.metrics import peak_signal_noise_ratio, structural_similarity

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from safetensors_writer import save_arrays  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures", "color_metrics.safetensors")
SIZE = 24
MAX_THRESHOLD = 150  # Zhang et al. 2016: ab accuracy curve for thresholds 0..150


def save(arrays, path, metadata):
    save_arrays(arrays, path, metadata)


def f32(x):
    """Rounds to float32 and back, so the F32 copy in the file is exactly what skimage saw."""
    return np.asarray(x, dtype=np.float32).astype(np.float64)


def images(rng):
    """Two H x W x 3 images in [0, 1]: smooth gradients with noise, then rows of special pixels."""
    h = w = SIZE
    yy, xx = np.mgrid[0:h, 0:w] / (h - 1)
    a = np.stack([xx, yy, 1 - xx * yy], -1) * 0.9 + rng.uniform(0, 0.1, (h, w, 3))
    b = np.stack([np.sin(xx * 6) * 0.5 + 0.5, yy ** 2, np.cos(yy * 4) * 0.5 + 0.5], -1)
    b += rng.normal(0, 0.02, b.shape)
    corners = [[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 0], [0, 1, 1], [1, 0, 1], [0, 0, 0], [1, 1, 1]]
    for img in (a, b):
        img[0, :8] = corners                                   # saturated primaries, black and white
        img[1, :] = np.linspace(0, 0.06, w)[:, None]           # dark grays across sRGB's 0.04045 knee
        img[2, :] = np.linspace(0, 0.03, w)[:, None] * [1, 0.5, 0.2]  # Y < 0.008856: Lab's linear branch
    return f32(np.clip(np.stack([a, b]), 0, 1))


def lab_grid():
    """Lab values on and far outside the sRGB gamut (lab2rgb clips them, and sets Z < 0 to 0 first)."""
    L, A, B = np.meshgrid(np.linspace(0, 100, 6), np.linspace(-128, 127, 8), np.linspace(-128, 127, 8), indexing="ij")
    return f32(np.stack([L, A, B], -1).reshape(6, 64, 3))


def colorfulness(rgb):
    """Hasler & Suesstrunk 2003 on the 0-255 scale, population standard deviations."""
    x = rgb * 255.0
    rg = x[..., 0] - x[..., 1]
    yb = 0.5 * (x[..., 0] + x[..., 1]) - x[..., 2]
    return np.sqrt(rg.std() ** 2 + yb.std() ** 2) + 0.3 * np.sqrt(rg.mean() ** 2 + yb.mean() ** 2)


def ab_accuracy_curve(pred_ab, true_ab):
    """Fraction of pixels with Euclidean ab distance <= t, for t = 0..150."""
    d = np.sqrt(((pred_ab - true_ab) ** 2).sum(-1)).ravel()
    return np.array([(d <= t).mean() for t in range(MAX_THRESHOLD + 1)])


def ab_auc(curve):
    """Trapezoid rule over the integer thresholds, divided by 150 so a perfect prediction scores 1."""
    return np.trapz(curve, dx=1.0) / MAX_THRESHOLD


def ssim(a, b, data_range, channel_axis=None):
    return structural_similarity(a, b, data_range=data_range, channel_axis=channel_axis, gaussian_weights=True,
                                 sigma=1.5, use_sample_covariance=False)


def nchw(x):
    return np.moveaxis(x, -1, 1)


def main():
    rng = np.random.default_rng(2016)
    rgb = images(rng)
    lab = np.stack([rgb2lab(im) for im in rgb])
    grid = lab_grid()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # lab2rgb warns about the Z < 0 pixels the grid has on purpose
        grid_rgb = lab2rgb(grid)

    degraded = f32(np.clip(rgb + rng.normal(0, 0.05, rgb.shape), 0, 1))
    blurred = f32((rgb + np.roll(rgb, 1, 1) + np.roll(rgb, 1, 2)) / 3)
    out = {"rgb": nchw(rgb).astype(np.float32), "lab": nchw(lab),
           "lab_grid": nchw(grid[None]).astype(np.float32), "lab_grid_rgb": nchw(grid_rgb[None]).astype(np.float32),
           "degraded": nchw(degraded).astype(np.float32), "blurred": nchw(blurred).astype(np.float32)}
    for name, other in (("degraded", degraded), ("blurred", blurred)):
        out[f"psnr_{name}"] = np.array([peak_signal_noise_ratio(t, p, data_range=1) for t, p in zip(rgb, other)])
        out[f"ssim_{name}"] = np.array([ssim(t, p, 1, channel_axis=-1) for t, p in zip(rgb, other)])
        out[f"ssim_red_{name}"] = np.array([ssim(t[..., 0], p[..., 0], 1) for t, p in zip(rgb, other)])
        out[f"ssim_l_{name}"] = np.array([ssim(rgb2lab(t)[..., 0], rgb2lab(p)[..., 0], 100) for t, p in zip(rgb, other)])

    # The colorless prediction: the true L with ab = 0, which the C# side builds with its own lab_to_rgb.
    colorless = np.stack([lab2rgb(np.concatenate([l[..., :1], np.zeros_like(l[..., 1:])], -1)) for l in lab])
    out["colorfulness_rgb"] = np.array([colorfulness(im) for im in rgb])
    out["colorfulness_degraded"] = np.array([colorfulness(im) for im in degraded])
    out["colorfulness_colorless"] = np.array([colorfulness(im) for im in colorless])

    pred_ab = f32(np.stack([rgb2lab(im)[..., 1:] for im in degraded]))
    curves = np.stack([ab_accuracy_curve(p, t[..., 1:]) for p, t in zip(pred_ab, lab)])
    zero_curves = np.stack([ab_accuracy_curve(np.zeros_like(t[..., 1:]), t[..., 1:]) for t in lab])
    out["pred_ab"] = nchw(pred_ab).astype(np.float32)
    out["ab_accuracy_curve"] = curves
    out["ab_auc"] = np.array([ab_auc(c) for c in curves])
    out["ab_auc_colorless"] = np.array([ab_auc(c) for c in zero_curves])

    save(out, OUT, {"skimage": skimage.__version__, "numpy": np.__version__,
                    "made_by": "tools/make_color_metric_fixtures.py"})
    print(f"wrote {os.path.normpath(OUT)} ({os.path.getsize(OUT)} bytes)", file=sys.stderr)


if __name__ == "__main__":
    main()
