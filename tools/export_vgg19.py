#!/usr/bin/python3
"""Exports VGG19 weights in torchvision's layout to a .safetensors file for lib/Losses/PerceptualLoss.cs.

On a machine with torchvision and internet (downloads torchvision's ImageNet weights, ~550 MB):
    python3 tools/export_vgg19.py vgg19.safetensors            # then: export LIB_VGG19_WEIGHTS=$PWD/vgg19.safetensors
Only the convolutional part ("features.*") is written (~80 MB); the classifier is not needed.
--random writes a randomly initialized network instead (no download), for tests of the loader.
"""
import argparse
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_fixtures import save  # noqa: E402


def main():
    p = argparse.ArgumentParser()
    p.add_argument("out")
    p.add_argument("--random", action="store_true", help="random init instead of pretrained weights")
    p.add_argument("--upto", type=int, default=36, help="keep features.0 .. features.N-1 (36 = all)")
    a = p.parse_args()
    import torchvision
    if a.random:
        model = torchvision.models.vgg19()
    else:
        try:
            model = torchvision.models.vgg19(weights=torchvision.models.VGG19_Weights.IMAGENET1K_V1)
        except AttributeError:  # torchvision < 0.13
            model = torchvision.models.vgg19(pretrained=True)
    state = {k: v for k, v in model.state_dict().items()
             if k.startswith("features.") and int(k.split(".")[1]) < a.upto}
    save(state, a.out, {"source": "torchvision vgg19" + (" (random init)" if a.random else " IMAGENET1K_V1")})
    print("wrote", a.out, len(state), "tensors", file=sys.stderr)


if __name__ == "__main__":
    main()
