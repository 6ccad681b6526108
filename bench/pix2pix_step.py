#!/usr/bin/python3
"""The same pix2pix step as bench/Program.cs, in PyTorch (Debian's python3-torch, same libtorch)."""
import argparse
import json
import math
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class UnetGenerator(nn.Module):
    """pix2pix's U-Net laid out as lib/Models/UnetGenerator.cs (same layers, same order)."""

    def __init__(self, in_ch=1, out_ch=2, num_downs=6, ngf=64):
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
                self.up.append(nn.Sequential(nn.ReLU(), nn.ConvTranspose2d(cin, out_ch, 4, 2, 1), nn.Tanh()))
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


def patch_discriminator(in_ch=3, ndf=64, n_layers=3):
    layers = [nn.Conv2d(in_ch, ndf, 4, 2, 1), nn.LeakyReLU(0.2)]
    mult = 1
    for n in range(1, n_layers + 1):
        prev, mult = mult, min(2 ** n, 8)
        layers += [nn.Conv2d(ndf * prev, ndf * mult, 4, 2 if n < n_layers else 1, 1, bias=False),
                   nn.BatchNorm2d(ndf * mult), nn.LeakyReLU(0.2)]
    layers.append(nn.Conv2d(ndf * mult, 1, 4, 1, 1))
    return nn.Sequential(*layers)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--steps", type=int, default=10)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--threads", type=int, default=torch.get_num_threads())
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--size", type=int, default=64)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    g = UnetGenerator(1, 2, int(math.log2(a.size)), 64)
    d = patch_discriminator()
    opt_g = torch.optim.Adam(g.parameters(), 2e-4, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(d.parameters(), 2e-4, betas=(0.5, 0.999))
    l = torch.rand(a.batch, 1, a.size, a.size) * 2 - 1
    ab = torch.rand(a.batch, 2, a.size, a.size) * 2 - 1

    def step():
        fake = g(l)
        opt_d.zero_grad()
        pred_fake = d(torch.cat([l, fake.detach()], 1))
        pred_real = d(torch.cat([l, ab], 1))
        loss_d = (F.binary_cross_entropy_with_logits(pred_fake, torch.zeros_like(pred_fake)) +
                  F.binary_cross_entropy_with_logits(pred_real, torch.ones_like(pred_real))) * 0.5
        loss_d.backward()
        opt_d.step()
        opt_g.zero_grad()
        pred = d(torch.cat([l, fake], 1))
        loss_g = F.binary_cross_entropy_with_logits(pred, torch.ones_like(pred)) + F.l1_loss(fake, ab) * 100
        loss_g.backward()
        opt_g.step()

    for _ in range(a.warmup):
        step()
    times = []
    for _ in range(a.steps):
        t = time.perf_counter()
        step()
        times.append(time.perf_counter() - t)
    times.sort()
    print(json.dumps({"impl": "pytorch", "threads": torch.get_num_threads(), "batch": a.batch, "size": a.size,
                      "median_s": round(times[len(times) // 2], 4), "min_s": round(times[0], 4), "steps": a.steps,
                      "torch": torch.__version__}))


if __name__ == "__main__":
    main()
