#!/usr/bin/python3
"""Writes tests/fixtures/spectral_norm.safetensors: a 4x4 stride-2 Conv2d under torch.nn.utils.spectral_norm (one power
iteration), its weight, bias and starting u and v, an input, and what PyTorch gives for two training forwards (u and v
after each, the output of each), the gradient of the second output's sum with respect to the weight, and an evaluation
forward after them, for lib/Torch/NN/SpectralNorm.cs's parity test. The weight is stored under "weight" (PyTorch's
weight_orig), as the C# module names it.

Run by hand: /usr/bin/python3 tools/make_spectral_norm_fixtures.py
"""
import os
import sys

import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_fixtures import save  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures", "spectral_norm.safetensors")


def main():
    torch.manual_seed(5)
    conv = nn.utils.spectral_norm(nn.Conv2d(3, 8, 4, stride=2, padding=1))
    out = {
        "weight": conv.weight_orig.detach().clone(), "bias": conv.bias.detach().clone(),
        "u0": conv.weight_u.clone(), "v0": conv.weight_v.clone(),
    }
    x = torch.randn(2, 3, 16, 16)
    out["input"] = x
    conv.train()
    out["y1"] = conv(x).detach()
    out["u1"], out["v1"] = conv.weight_u.clone(), conv.weight_v.clone()
    y2 = conv(x)
    y2.sum().backward()
    out["y2"] = y2.detach()
    out["u2"], out["v2"] = conv.weight_u.clone(), conv.weight_v.clone()
    out["weight_grad"] = conv.weight_orig.grad.clone()
    conv.eval()
    with torch.no_grad():
        out["y_eval"] = conv(x)
        # The largest singular value itself, which the power iteration approaches.
        out["sigma_svd"] = torch.linalg.svdvals(conv.weight_orig.reshape(8, -1))[:1]
    save(out, OUT, {"torch": torch.__version__})
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
