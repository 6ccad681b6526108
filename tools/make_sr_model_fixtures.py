#!/usr/bin/python3
"""Writes tests/fixtures/srresnet.safetensors: a small SRResNet (2 blocks, 8 channels, x4) laid out with
lib/Models/SRResNet.cs's parameter names, random weights, an input and PyTorch's output in train and
eval mode (BatchNorm), for the C# forward-parity test.

Run by hand: /usr/bin/python3 tools/make_sr_model_fixtures.py
"""
import os
import sys

import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_fixtures import save  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures", "srresnet.safetensors")


class Block(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.body = nn.Sequential(nn.Conv2d(c, c, 3, padding=1), nn.BatchNorm2d(c), nn.PReLU(),
                                  nn.Conv2d(c, c, 3, padding=1), nn.BatchNorm2d(c))

    def forward(self, x):
        return x + self.body(x)


class SRResNet(nn.Module):
    def __init__(self, blocks=2, c=8):
        super().__init__()
        self.head = nn.Sequential(nn.Conv2d(3, c, 9, padding=4), nn.PReLU())
        self.residuals = nn.Sequential(*[Block(c) for _ in range(blocks)])
        self.bridge = nn.Sequential(nn.Conv2d(c, c, 3, padding=1), nn.BatchNorm2d(c))
        self.upsample = nn.Sequential(nn.Conv2d(c, c * 4, 3, padding=1), nn.PixelShuffle(2), nn.PReLU(),
                                      nn.Conv2d(c, c * 4, 3, padding=1), nn.PixelShuffle(2), nn.PReLU())
        self.tail = nn.Sequential(nn.Conv2d(c, 3, 9, padding=4))

    def forward(self, x):
        f = self.head(x)
        return torch.sigmoid(self.tail(self.upsample(self.bridge(self.residuals(f)) + f)))


def main():
    torch.manual_seed(2017)
    net = SRResNet()
    with torch.no_grad():
        for m in net.modules():
            if isinstance(m, nn.BatchNorm2d):
                m.weight.uniform_(0.5, 1.5)
                m.bias.uniform_(-0.1, 0.1)
                m.running_mean.uniform_(-0.1, 0.1)
                m.running_var.uniform_(0.5, 1.5)
            if isinstance(m, nn.PReLU):
                m.weight.uniform_(0.1, 0.3)
    out = {"weights." + k: v.clone() for k, v in net.state_dict().items()}
    x = torch.rand(2, 3, 8, 8)
    net.eval()
    with torch.no_grad():
        out["eval.output"] = net(x)
    net.train()
    out["train.output"] = net(x).detach()
    out["x"] = x
    save(out, OUT, {"torch": torch.__version__})


if __name__ == "__main__":
    main()
