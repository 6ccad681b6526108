#!/usr/bin/python3
"""Writes tests/fixtures/joint_generator.safetensors: a small joint colorize-and-upscale generator
(lib/Models/JointGenerator.cs: a pix2pix U-Net at the input size with a linear output, two sub-pixel x2
blocks, a 3x3 conv to (L correction, ab), L added to the antialiased-bicubic upscaled input, tanh on ab),
laid out with the C# parameter names, random weights (the head too: the library starts it at zero), an
input, and PyTorch's output in eval and train mode (BatchNorm), for the C# forward-parity test.

Run by hand: /usr/bin/python3 tools/make_joint_fixtures.py
"""
import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_fixtures import forward_fixture, randomize_norms, save  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures", "joint_generator.safetensors")


class UnetGenerator(nn.Module):
    """pix2pix's U-Net as lib/Models/UnetGenerator.cs lays it out; tanh_output=False leaves the last layer linear."""

    def __init__(self, in_ch, out_ch, num_downs, ngf, tanh_output=True):
        super().__init__()
        ch = [ngf * min(2 ** i, 8) for i in range(num_downs)]
        self.num_downs = num_downs
        self.down = nn.ModuleList()
        for i in range(num_downs):
            cin = in_ch if i == 0 else ch[i - 1]
            conv = nn.Conv2d(cin, ch[i], 4, 2, 1, bias=False)
            inner = i == num_downs - 1
            self.down.append(nn.Sequential(conv) if i == 0 or inner else nn.Sequential(conv, nn.BatchNorm2d(ch[i])))
        self.up = nn.ModuleList()
        for i in reversed(range(num_downs)):
            inner = i == num_downs - 1
            cin = ch[i] if inner else ch[i] * 2
            if i == 0:
                outer = [nn.ReLU(), nn.ConvTranspose2d(cin, out_ch, 4, 2, 1)]
                self.up.append(nn.Sequential(*(outer + [nn.Tanh()] if tanh_output else outer)))
                continue
            block = [nn.ReLU(), nn.ConvTranspose2d(cin, ch[i - 1], 4, 2, 1, bias=False), nn.BatchNorm2d(ch[i - 1])]
            if not inner and i >= 4:
                block.append(nn.Dropout(0.5))
            self.up.append(nn.Sequential(*block))

    def forward(self, x):
        skips = []
        x = self.down[0](x)
        for i in range(1, self.num_downs):
            a = F.leaky_relu(x, 0.2)
            skips.append(a)
            x = self.down[i](a)
        for j in range(self.num_downs):
            x = self.up[j](x)
            if j < self.num_downs - 1:
                x = torch.cat([skips[self.num_downs - 2 - j], x], 1)
        return x


class JointGenerator(nn.Module):
    def __init__(self, num_downs=5, ngf=4, channels=8, scale=4):
        super().__init__()
        self.scale = scale
        self.trunk = UnetGenerator(1, channels, num_downs, ngf, tanh_output=False)
        ups = []
        s = scale
        while s > 1:
            ups += [nn.Conv2d(channels, channels * 4, 3, padding=1), nn.PixelShuffle(2), nn.ReLU()]
            s //= 2
        self.upsample = nn.Sequential(*ups)
        self.head = nn.Sequential(nn.Conv2d(channels, 3, 3, padding=1))

    def forward(self, x):
        y = self.head(self.upsample(F.relu(self.trunk(x))))
        base = F.interpolate(x, scale_factor=self.scale, mode="bicubic", align_corners=False, antialias=True)
        return torch.cat([y[:, :1] + base, torch.tanh(y[:, 1:])], 1)


def main():
    torch.manual_seed(2016)
    net = JointGenerator()
    randomize_norms(net)
    out = forward_fixture(net, torch.rand(2, 1, 32, 32) * 2 - 1)
    save(out, OUT, {"torch": torch.__version__})


if __name__ == "__main__":
    main()
