#!/usr/bin/python3
"""Writes tests/fixtures/vgg19_relu2_2.safetensors: a randomly initialized torchvision VGG19 cut after
relu2_2 (features.0-8, torchvision's key names, ~1.1 MB), two small images and the SRGAN-style
perceptual loss PyTorch computes at relu2_2 (ImageNet normalization, features / 12.75, MSE).

Run by hand: /usr/bin/python3 tools/make_vgg_fixtures.py   (Debian's python3-torchvision)
"""
import os
import subprocess
import sys

import torch
import torch.nn.functional as F
import torchvision

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_fixtures import save  # noqa: E402

FIX = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures")


def main():
    torch.manual_seed(19)
    vgg = torchvision.models.vgg19().features[:9].eval()
    weights = {f"features.{k}": v for k, v in vgg.state_dict().items()}
    a, b = torch.rand(2, 3, 24, 24), torch.rand(2, 3, 24, 24)
    mean = torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1)
    std = torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1)
    with torch.no_grad():
        fa, fb = vgg((a - mean) / std) / 12.75, vgg((b - mean) / std) / 12.75
    out = dict(weights)
    out.update({"input.a": a, "input.b": b, "expected.loss": F.mse_loss(fa, fb), "expected.features_a": fa})
    save(out, os.path.join(FIX, "vgg19_relu2_2.safetensors"), {"torchvision": torchvision.__version__})


if __name__ == "__main__":
    main()
