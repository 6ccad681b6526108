#!/usr/bin/python3
"""Writes tests/fixtures/srresnet.safetensors: a small SRResNet (2 blocks, 8 channels, x4) laid out with
lib/Models/SRResNet.cs's parameter names, random weights, an input and PyTorch's output in train and
eval mode (BatchNorm), for the C# forward-parity test; and the same weights with the bicubic skip
(linear output + antialiased bicubic upscaling of the input, the MATLAB-style kernel libtorch's AA path uses).

Run by hand: /usr/bin/python3 tools/make_sr_model_fixtures.py
"""
import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_fixtures import forward_fixture, randomize_norms, save  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures", "srresnet.safetensors")


class Block(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.body = nn.Sequential(nn.Conv2d(c, c, 3, padding=1), nn.BatchNorm2d(c), nn.PReLU(),
                                  nn.Conv2d(c, c, 3, padding=1), nn.BatchNorm2d(c))

    def forward(self, x):
        return x + self.body(x)


class SRResNet(nn.Module):
    def __init__(self, blocks=2, c=8, bicubic_skip=False):
        super().__init__()
        self.bicubic_skip = bicubic_skip
        self.head = nn.Sequential(nn.Conv2d(3, c, 9, padding=4), nn.PReLU())
        self.residuals = nn.Sequential(*[Block(c) for _ in range(blocks)])
        self.bridge = nn.Sequential(nn.Conv2d(c, c, 3, padding=1), nn.BatchNorm2d(c))
        self.upsample = nn.Sequential(nn.Conv2d(c, c * 4, 3, padding=1), nn.PixelShuffle(2), nn.PReLU(),
                                      nn.Conv2d(c, c * 4, 3, padding=1), nn.PixelShuffle(2), nn.PReLU())
        self.tail = nn.Sequential(nn.Conv2d(c, 3, 9, padding=4))

    def forward(self, x):
        f = self.head(x)
        y = self.tail(self.upsample(self.bridge(self.residuals(f)) + f))
        if self.bicubic_skip:
            return y + F.interpolate(x, scale_factor=4, mode="bicubic", align_corners=False, antialias=True)
        return torch.sigmoid(y)


def main():
    torch.manual_seed(2017)
    net = SRResNet()
    randomize_norms(net, prelu=True)
    x = torch.rand(2, 3, 8, 8)
    out = forward_fixture(net, x)
    skip = SRResNet(bicubic_skip=True)
    # The train-mode pass above moved net's running statistics: load the saved weights instead.
    skip.load_state_dict({k[len("weights."):]: v for k, v in out.items() if k.startswith("weights.")})
    skip.eval()
    with torch.no_grad():
        out["skip.eval.output"] = skip(x)
    save(out, OUT, {"torch": torch.__version__})


if __name__ == "__main__":
    main()
