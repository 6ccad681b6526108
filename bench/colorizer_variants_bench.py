#!/usr/bin/python3
"""bench/ColorizerVariantsBench.cs in PyTorch: ECCV16 (classification with the rebalanced cross-entropy on the
soft-encoded truth, or ab regression with L1) and the coarse-to-fine colorizer (shared FcnColorizer, 3 scales,
L1 at every scale). The models are tools/make_colorizer_variant_fixtures.py's, the ones the parity tests use."""
import argparse
import math
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F
from skimage.color import rgb2lab

import timing
from colorizer_bench import UnetGenerator

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools"))
from make_colorizer_variant_fixtures import FcnColorizer, coarse_to_fine, eccv16_trunk, run_trunk, squared_distances  # noqa: E402


def gamut_from_surface(grid=10):
    """lib/Imaging/AbGamut.cs's construction: the bins of the 8-bit sRGB cube's six faces."""
    v = np.arange(256) / 255.0
    u, w = np.meshgrid(v, v, indexing="ij")
    occupied = set()
    for value in (0.0, 1.0):
        c = np.full_like(u, value)
        for face in ((c, u, w), (u, c, w), (u, w, c)):
            ab = rgb2lab(np.stack(face, -1)).reshape(-1, 3)[:, 1:]
            occupied |= set(map(tuple, np.round(ab / grid).astype(np.int64)))
    return np.array(sorted(occupied), dtype=np.float64) * grid


def rebalanced_cross_entropy(logits, ab, centres, weights, k=5, sigma=5.0):
    """The C# loss step for step: truth every 4th pixel, 5 nearest bins, gather, weight of the nearest bin."""
    f = ab.shape[2] // logits.shape[2]
    d2, idx = torch.topk(squared_distances(ab[:, :, ::f, ::f], centres), k, dim=1, largest=False, sorted=True)
    z = torch.exp(-(d2 - d2[:, :1]) / (2 * sigma * sigma))
    z = z / z.sum(1, keepdim=True)
    per_pixel = (F.log_softmax(logits, 1).gather(1, idx) * z).sum(1)
    return -(per_pixel * weights[idx[:, 0]]).mean()


def annealed_mean(logits, centres, t=0.38):
    """lib/Models/AnnealedMean.cs: softmax(logits / T), then the centres as a 1x1 convolution."""
    w = (torch.tensor(centres, dtype=logits.dtype, device=logits.device) / 110).t().reshape(2, -1, 1, 1)
    return F.conv2d(torch.softmax(logits / t, 1), w)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--steps", type=int, default=10)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--threads", type=int, default=torch.get_num_threads())
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--size", type=int, default=64)
    p.add_argument("--width", type=int, default=64)
    p.add_argument("--model", default="eccv16", choices=["eccv16", "eccv16-reg", "c2f", "unet"])
    p.add_argument("--mode", default="train", choices=["train", "infer"])
    p.add_argument("--device", default="cpu")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    dev = torch.device(a.device)
    centres = gamut_from_surface()
    weights = torch.ones(len(centres), device=dev)
    if a.model == "c2f":
        g = FcnColorizer(3, 2, a.width, 2)
    elif a.model == "unet":
        g = UnetGenerator(1, 2, int(math.log2(a.size)), a.width)
    else:
        g = eccv16_trunk(len(centres) if a.model == "eccv16" else 2, a.width / 64)
    g = g.to(dev)
    opt = torch.optim.Adam(g.parameters(), 2e-4, betas=(0.5, 0.999))
    l = torch.rand(a.batch, 1, a.size, a.size, device=dev) * 2 - 1
    ab = torch.rand(a.batch, 2, a.size, a.size, device=dev) * 1.6 - 0.8

    def up4(x):
        return F.interpolate(x, scale_factor=4, mode="bilinear", align_corners=False)

    def loss():
        if a.model == "eccv16":
            return rebalanced_cross_entropy(run_trunk(g, l), ab, centres, weights)
        if a.model == "eccv16-reg":
            return F.l1_loss(up4(torch.tanh(run_trunk(g, l))), ab)
        if a.model == "unet":
            return F.l1_loss(g(l), ab)
        preds = coarse_to_fine(g, l, 3)
        total = F.l1_loss(preds[-1], ab)
        for k, pk in enumerate(preds[:-1]):
            total = total + F.l1_loss(pk, F.avg_pool2d(ab, 2 ** (len(preds) - 1 - k)))
        return total

    def train_step():
        opt.zero_grad(set_to_none=True)
        loss().backward()
        opt.step()

    def infer():
        with torch.no_grad():
            if a.model == "eccv16":
                up4(annealed_mean(run_trunk(g, l), centres))
            elif a.model == "eccv16-reg":
                up4(torch.tanh(run_trunk(g, l)))
            elif a.model == "unet":
                g(l)
            else:
                coarse_to_fine(g, l, 3)

    if a.mode == "infer":
        g.eval()
    timing.run(infer if a.mode == "infer" else train_step, a.warmup, a.steps, dev, model=a.model, mode=a.mode, width=a.width, batch=a.batch, size=a.size)


if __name__ == "__main__":
    main()
