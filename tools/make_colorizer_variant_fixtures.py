#!/usr/bin/python3
"""Writes the parity fixtures of the colorizer variants (issue 11) into tests/fixtures/:

- ab_gamut.safetensors: the quantized ab gamut (grid 10) computed here independently, from every 8-bit
  sRGB color through scikit-image's rgb2lab (the C# code uses only the cube's surface and the project's
  Lab code); soft encoding (5 nearest bins, Gaussian sigma 5), class rebalancing (lambda 0.5, smoothing
  sigma 5), the rebalanced multinomial cross-entropy with its gradient, and annealed-mean decoding
  (T = 0.38, the paper's formula on probabilities), all from Zhang et al.'s definitions.
- eccv16.safetensors: the ECCV16 trunk (Zhang, Isola, Efros 2016; the authors' layer list) at 1/16 of the
  paper's widths with random weights, an L input, the logits in train and eval mode, the eval-mode
  colorization (annealed mean, bilinear x4) and the regression head (2 channels, tanh) on the same trunk.
- coarse_to_fine.safetensors: the small fully convolutional U-Net (lib/Models/FcnColorizer.cs) applied
  coarse to fine at two scales with shared weights: every scale's prediction in eval and train mode,
  and with teacher forcing.

Run by hand: /usr/bin/python3 tools/make_colorizer_variant_fixtures.py   (about a minute: the full cube)
"""
import os
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from skimage.color import rgb2lab

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_fixtures import randomize_norms, save  # noqa: E402

FIX = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures")
AB_SCALE = 110.0  # the project's network ab = ab / 110 (lib/Imaging/Lab.cs)


# ---------------------------------------------------------------- the gamut and the class machinery

def srgb_gamut(grid=10):
    """Bin centres (a, b) in Lab units, sorted by a then b, of every 8-bit sRGB color rounded to the grid."""
    v = np.arange(256) / 255.0
    occupied = set()
    for r in v:  # one red level at a time: 65,536 colors, float64
        g, b = np.meshgrid(v, v, indexing="ij")
        rgb = np.stack([np.full_like(g, r), g, b], -1)
        ab = rgb2lab(rgb).reshape(-1, 3)[:, 1:]
        occupied |= set(map(tuple, np.round(ab / grid).astype(np.int64)))
    return np.array(sorted(occupied), dtype=np.float64) * grid


def squared_distances(ab, centres):
    """ab N x 2 x h x w (network scale) -> N x Q x h x w squared distances in Lab units, float32 as the C# side."""
    lab = ab * AB_SCALE
    c = torch.tensor(centres, dtype=torch.float32, device=ab.device)
    da = lab[:, 0:1] - c[:, 0].view(1, -1, 1, 1)
    db = lab[:, 1:2] - c[:, 1].view(1, -1, 1, 1)
    return da * da + db * db


def soft_encode(ab, centres, k=5, sigma=5.0):
    d2 = squared_distances(ab, centres)
    vals, idx = torch.topk(d2, k, dim=1, largest=False, sorted=True)
    w = torch.exp(-(vals - vals[:, :1]) / (2 * sigma * sigma))  # shifted by the nearest: far colors underflow otherwise
    w = w / w.sum(1, keepdim=True)
    return torch.zeros_like(d2).scatter(1, idx, w), idx


def rebalancing(counts, centres, lam=0.5, sigma=5.0):
    p = counts / counts.sum()
    d2 = ((centres[:, None, :] - centres[None, :, :]) ** 2).sum(-1)
    smoothed = np.exp(-d2 / (2 * sigma * sigma)) @ p
    smoothed /= smoothed.sum()
    w = 1.0 / ((1 - lam) * smoothed + lam / len(centres))
    w /= (smoothed * w).sum()
    return p, smoothed, w


def annealed_mean(logits, centres, t=0.38):
    """The paper's H(Z) = E[f_T(Z)], f_T(z) = exp(log z / T) / sum exp(log z / T), in network scale."""
    z = torch.softmax(logits.double(), 1)
    f = torch.exp(torch.log(z) / t)
    f = f / f.sum(1, keepdim=True)
    c = torch.tensor(centres).double()
    return torch.einsum("nqhw,qc->nchw", f, c) / AB_SCALE


def class_fixture(centres):
    torch.manual_seed(313)
    q = len(centres)
    out = {"gamut.centres": torch.tensor(centres)}
    # Soft encoding of colors spread over (and a little beyond) the gamut.
    ab = (torch.rand(2, 2, 6, 6) * 2 - 1)
    dense, idx = soft_encode(ab, centres)
    out.update({"encode.ab": ab, "encode.dense": dense})
    # Class rebalancing from two batches of random photos' ab (skimage Lab of random RGB).
    batches = []
    for _ in range(2):
        rgb = torch.rand(3, 3, 8, 8).double()
        lab = torch.tensor(rgb2lab(rgb.permute(0, 2, 3, 1).numpy())).permute(0, 3, 1, 2)
        batches.append((lab[:, 1:] / AB_SCALE).float())
    counts = np.zeros(q)
    for ab_batch in batches:
        nearest = squared_distances(ab_batch, centres).argmin(1).flatten().numpy()
        counts += np.bincount(nearest, minlength=q)
    p, smoothed, w = rebalancing(counts, centres)
    out.update({"rebalance.ab0": batches[0], "rebalance.ab1": batches[1], "rebalance.counts": torch.tensor(counts),
                "rebalance.empirical": torch.tensor(p), "rebalance.smoothed": torch.tensor(smoothed),
                "rebalance.weights": torch.tensor(w)})
    # The rebalanced multinomial cross-entropy, the truth subsampled every 4th pixel (the authors' data_ab_ss).
    logits = torch.randn(2, q, 6, 6, requires_grad=True)
    truth = torch.rand(2, 2, 24, 24) * 1.6 - 0.8
    z, idx = soft_encode(truth[:, :, ::4, ::4], centres)
    v = torch.tensor(w, dtype=torch.float32)[idx[:, 0]]
    loss = -(v * (z * F.log_softmax(logits, 1)).sum(1)).mean()
    loss.backward()
    plain = -((z * F.log_softmax(logits, 1)).sum(1)).mean()
    out.update({"loss.logits": logits.detach(), "loss.truth": truth, "loss.value": loss.detach(),
                "loss.grad": logits.grad, "loss.unweighted": plain.detach(),
                "decode.ab": annealed_mean(logits.detach(), centres).float(),
                "decode.ab_t1": annealed_mean(logits.detach(), centres, t=1.0).float()})
    save(out, os.path.join(FIX, "ab_gamut.safetensors"), {"torch": torch.__version__, "bins": str(q)})


# ---------------------------------------------------------------- ECCV16

def eccv16_trunk(q, width):
    """The authors' layer list (colorizers/eccv16.py in richzhang/colorization), widths scaled."""
    c1, c2, c3, c4 = (max(1, round(c * width)) for c in (64, 128, 256, 512))

    def convs(cin, cout, n, stride_last=1, dilation=1, bn=True):
        layers = []
        for i in range(n):
            stride = stride_last if i == n - 1 else 1
            layers += [nn.Conv2d(cin if i == 0 else cout, cout, 3, stride, padding=dilation, dilation=dilation), nn.ReLU()]
        if bn:
            layers.append(nn.BatchNorm2d(cout))
        return nn.Sequential(*layers)

    net = nn.Module()
    net.model1 = convs(1, c1, 2, stride_last=2)
    net.model2 = convs(c1, c2, 2, stride_last=2)
    net.model3 = convs(c2, c3, 3, stride_last=2)
    net.model4 = convs(c3, c4, 3)
    net.model5 = convs(c4, c4, 3, dilation=2)
    net.model6 = convs(c4, c4, 3, dilation=2)
    net.model7 = convs(c4, c4, 3)
    net.model8 = nn.Sequential(nn.ConvTranspose2d(c4, c3, 4, 2, 1), nn.ReLU(), nn.Conv2d(c3, c3, 3, 1, 1), nn.ReLU(),
                               nn.Conv2d(c3, c3, 3, 1, 1), nn.ReLU(), nn.Conv2d(c3, q, 1))
    return net


def run_trunk(net, x):
    for i in range(1, 9):
        x = getattr(net, f"model{i}")(x)
    return x


def eccv16_fixture(centres):
    torch.manual_seed(2016)
    q = len(centres)
    net = eccv16_trunk(q, 1 / 16)
    randomize_norms(net)
    out = {"weights." + k: v.clone() for k, v in net.state_dict().items()}
    head = nn.Conv2d(net.model8[6].in_channels, 2, 1)
    out.update({"regression.model8.6.weight": head.weight.detach().clone(), "regression.model8.6.bias": head.bias.detach().clone()})
    x = torch.rand(2, 1, 24, 24) * 2 - 1
    net.eval()
    with torch.no_grad():
        logits = run_trunk(net, x)
        out["eval.logits"] = logits
        out["eval.colorized"] = F.interpolate(annealed_mean(logits, centres).float(), scale_factor=4, mode="bilinear", align_corners=False)
        net.model8[6] = head
        reg = torch.tanh(run_trunk(net, x))
        out["regression.eval.output"] = reg
        out["regression.eval.colorized"] = F.interpolate(reg, scale_factor=4, mode="bilinear", align_corners=False)
    net.train()
    xg = x.clone().requires_grad_()
    reg = torch.tanh(run_trunk(net, xg))
    out["regression.train.output"] = reg.detach()
    reg.square().mean().backward()
    out["regression.train.grad_x"] = xg.grad
    # The classification head back, with the running statistics as saved (the pass above moved them).
    cls = eccv16_trunk(q, 1 / 16)
    cls.load_state_dict({k[len("weights."):]: v for k, v in out.items() if k.startswith("weights.")})
    cls.train()
    out["train.logits"] = run_trunk(cls, x).detach()
    out["train.running_mean.model4"] = cls.model4[6].running_mean.clone()
    out["x"] = x
    save(out, os.path.join(FIX, "eccv16.safetensors"), {"torch": torch.__version__, "width": "0.0625"})


# ---------------------------------------------------------------- coarse to fine

class FcnColorizer(nn.Module):
    """lib/Models/FcnColorizer.cs: a small U-Net, conv3x3-BN-ReLU blocks, stride-2 convs down, transposed convs up."""

    def __init__(self, cin=3, cout=2, c=4, depth=2):
        super().__init__()

        def block(i, o, stride=1):
            return [nn.Conv2d(i, o, 3, stride, 1, bias=False), nn.BatchNorm2d(o), nn.ReLU()]

        ch = [c * 2 ** i for i in range(depth + 1)]
        self.inc = nn.Sequential(*block(cin, ch[0]))
        self.down = nn.ModuleList(nn.Sequential(*block(ch[i], ch[i + 1], 2), *block(ch[i + 1], ch[i + 1])) for i in range(depth))
        self.up = nn.ModuleList(nn.Sequential(nn.ConvTranspose2d(ch[i + 1], ch[i], 4, 2, 1, bias=False), nn.BatchNorm2d(ch[i]), nn.ReLU())
                                for i in reversed(range(depth)))
        self.fuse = nn.ModuleList(nn.Sequential(*block(2 * ch[i], ch[i])) for i in reversed(range(depth)))
        self.out = nn.Conv2d(ch[0], cout, 1)

    def forward(self, x):
        skips = [self.inc(x)]
        for d in self.down:
            skips.append(d(skips[-1]))
        y = skips.pop()
        for up, fuse in zip(self.up, self.fuse):
            y = fuse(torch.cat([skips.pop(), up(y)], 1))
        return torch.tanh(self.out(y))


def coarse_to_fine(net, l, scales, truth=None):
    """Predictions from the coarsest scale to the input's: input = L at the scale ++ previous ab upsampled x2."""
    preds, prev = [], None
    for k in range(scales):
        f = 2 ** (scales - 1 - k)
        lk = F.avg_pool2d(l, f) if f > 1 else l
        if prev is None:
            prev_up = l.new_zeros(l.shape[0], 2, lk.shape[2], lk.shape[3])
        else:
            source = (F.avg_pool2d(truth, 2 * f) if truth is not None else prev)
            prev_up = F.interpolate(source, scale_factor=2, mode="bilinear", align_corners=False)
        prev = net(torch.cat([lk, prev_up], 1))
        preds.append(prev)
    return preds


def coarse_to_fine_fixture():
    torch.manual_seed(1616)
    net = FcnColorizer()
    randomize_norms(net)
    out = {"weights." + k: v.clone() for k, v in net.state_dict().items()}
    l = torch.rand(2, 1, 16, 16) * 2 - 1
    truth = torch.rand(2, 2, 16, 16) * 1.6 - 0.8
    net.eval()
    with torch.no_grad():
        for k, p in enumerate(coarse_to_fine(net, l, 2)):
            out[f"eval.scale{k}"] = p
        for k, p in enumerate(coarse_to_fine(net, l, 2, truth)):
            out[f"teacher.scale{k}"] = p
    net.train()
    for k, p in enumerate(coarse_to_fine(net, l, 2)):
        out[f"train.scale{k}"] = p.detach()
    out["train.running_var.inc"] = net.inc[1].running_var.clone()
    out.update({"l": l, "truth": truth})
    save(out, os.path.join(FIX, "coarse_to_fine.safetensors"), {"torch": torch.__version__})


def main():
    centres = srgb_gamut()
    print(f"{len(centres)} in-gamut bins (grid 10) from the 8-bit sRGB cube")
    class_fixture(centres)
    eccv16_fixture(centres)
    coarse_to_fine_fixture()


if __name__ == "__main__":
    main()
