#!/usr/bin/python3
"""Writes tests/fixtures/vgg19_layers.safetensors: perceptual losses over several VGG19 layers with weights,
MSE and L1, for the weights and images already in tests/fixtures/vgg19_relu2_2.safetensors (a random
torchvision VGG19 cut after relu2_2). The network is rebuilt here with torchvision's layout from plain
torch.nn, so this needs no torchvision.

Run by hand: /usr/bin/python3 tools/make_vgg_layers_fixtures.py
"""
import json
import os
import struct
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_fixtures import save  # noqa: E402

FIX = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures")
LAYERS = {"relu1_2": 3, "relu2_2": 8}


def load(path):
    """The safetensors layout read back (the inverse of safetensors_writer.save_arrays)."""
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    dtypes = {"F32": np.float32, "F64": np.float64, "I64": np.int64}
    return {k: torch.from_numpy(np.frombuffer(data[v["data_offsets"][0]:v["data_offsets"][1]], dtypes[v["dtype"]]).reshape(v["shape"]).copy())
            for k, v in header.items() if k != "__metadata__"}


def main():
    fx = load(os.path.join(FIX, "vgg19_relu2_2.safetensors"))
    features = nn.Sequential(nn.Conv2d(3, 64, 3, padding=1), nn.ReLU(), nn.Conv2d(64, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2, 2),
                             nn.Conv2d(64, 128, 3, padding=1), nn.ReLU(), nn.Conv2d(128, 128, 3, padding=1), nn.ReLU())
    features.load_state_dict({k[len("features."):]: v for k, v in fx.items() if k.startswith("features.")})
    features.eval()
    mean = torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1)
    std = torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1)

    def at(x):
        out, x = {}, (x - mean) / std
        for i, m in enumerate(features):
            x = m(x)
            for name, end in LAYERS.items():
                if end == i:
                    out[name] = x / 12.75
        return out

    with torch.no_grad():
        fa, fb = at(fx["input.a"]), at(fx["input.b"])
        # The rebuilt network is torchvision's: it reproduces the relu2_2 loss make_vgg_fixtures.py saved.
        assert torch.allclose(F.mse_loss(fa["relu2_2"], fb["relu2_2"]), fx["expected.loss"], rtol=1e-6, atol=0)
        weights = {"relu1_2": 0.25, "relu2_2": 1.5}
        out = {
            "expected.l1_weighted": sum(w * F.l1_loss(fa[k], fb[k]) for k, w in weights.items()),
            "expected.mse_weighted": sum(w * F.mse_loss(fa[k], fb[k]) for k, w in weights.items()),
            "expected.l1_relu1_2": F.l1_loss(fa["relu1_2"], fb["relu1_2"]),
        }
    save(out, os.path.join(FIX, "vgg19_layers.safetensors"), {"torch": torch.__version__, "weights": "relu1_2 0.25, relu2_2 1.5"})


if __name__ == "__main__":
    main()
