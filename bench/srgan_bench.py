#!/usr/bin/python3
"""bench/SrBench.cs in PyTorch: SRResNet (16x64) + SRGAN discriminator + VGG19 relu5_4 content loss."""
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

import timing


class Block(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.body = nn.Sequential(nn.Conv2d(c, c, 3, padding=1), nn.BatchNorm2d(c), nn.PReLU(),
                                  nn.Conv2d(c, c, 3, padding=1), nn.BatchNorm2d(c))

    def forward(self, x):
        return x + self.body(x)


class SRResNet(nn.Module):
    """lib/Models/SRResNet.cs: the report's sigmoid output, or (bicubic_skip) bicubic + a linear residual (the quick profile)."""

    def __init__(self, blocks=16, c=64, bicubic_skip=False):
        super().__init__()
        self.bicubic_skip = bicubic_skip
        self.head = nn.Sequential(nn.Conv2d(3, c, 9, padding=4), nn.PReLU())
        self.residuals = nn.Sequential(*[Block(c) for _ in range(blocks)])
        self.bridge = nn.Sequential(nn.Conv2d(c, c, 3, padding=1), nn.BatchNorm2d(c))
        self.upsample = nn.Sequential(nn.Conv2d(c, c * 4, 3, padding=1), nn.PixelShuffle(2), nn.PReLU(),
                                      nn.Conv2d(c, c * 4, 3, padding=1), nn.PixelShuffle(2), nn.PReLU())
        self.tail = nn.Conv2d(c, 3, 9, padding=4)

    def forward(self, x):
        f = self.head(x)
        y = self.tail(self.upsample(self.bridge(self.residuals(f)) + f))
        if not self.bicubic_skip:
            return torch.sigmoid(y)
        return y + F.interpolate(x, y.shape[2:], mode="bicubic", align_corners=False, antialias=True)


def discriminator(image_size, c=64):
    layers, cin = [], 3
    for i in range(8):
        cout = c << (i // 2)
        layers.append(nn.Conv2d(cin, cout, 3, 1 if i % 2 == 0 else 2, 1, bias=i == 0))
        if i > 0:
            layers.append(nn.BatchNorm2d(cout))
        layers.append(nn.LeakyReLU(0.2))
        cin = cout
    side = image_size // 16
    return nn.Sequential(*layers, nn.Flatten(), nn.Linear(cin * side * side, 1024), nn.LeakyReLU(0.2), nn.Linear(1024, 1))


def vgg19_relu5_4():
    cfg = [64, 64, 0, 128, 128, 0, 256, 256, 256, 256, 0, 512, 512, 512, 512, 0, 512, 512, 512, 512]
    layers, cin = [], 3
    for c in cfg:
        if c == 0:
            layers.append(nn.MaxPool2d(2, 2))
        else:
            layers += [nn.Conv2d(cin, c, 3, padding=1), nn.ReLU()]
            cin = c
    return nn.Sequential(*layers)


def main():
    args = dict(zip(sys.argv[1::2], sys.argv[2::2]))
    mode, size, batch = args.get("--mode", "train"), int(args.get("--size", 64)), int(args.get("--batch", 16))
    steps, warmup = int(args.get("--steps", 3)), int(args.get("--warmup", 1))
    torch.set_num_threads(int(args.get("--threads", torch.get_num_threads())))
    torch.manual_seed(0)
    dev = torch.device(args.get("--device", "cpu"))
    # the discriminator's dense layer grows with the HR size: build it only for training
    g, d, vgg = SRResNet(), discriminator(size * 4 if mode == "train" else 16, 64 if mode == "train" else 8), vgg19_relu5_4().eval()
    g, d, vgg = g.to(dev), d.to(dev), vgg.to(dev)
    for p in vgg.parameters():
        p.requires_grad_(False)
    opt_g = torch.optim.Adam(g.parameters(), 2e-4, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(d.parameters(), 2e-4, betas=(0.5, 0.999))
    lr = torch.rand(batch, 3, size, size, device=dev)
    hr = torch.rand(batch, 3, size * 4, size * 4, device=dev) if mode == "train" else None

    def train():
        sr = g(lr)
        opt_d.zero_grad(set_to_none=True)
        real, fake = d(hr), d(sr.detach())
        loss_d = (F.binary_cross_entropy_with_logits(real, torch.ones_like(real)) +
                  F.binary_cross_entropy_with_logits(fake, torch.zeros_like(fake))) * 0.5
        loss_d.backward()
        opt_d.step()
        opt_g.zero_grad(set_to_none=True)
        judged = d(sr)
        with torch.no_grad():
            target = vgg(hr) / 12.75
        content = F.mse_loss(vgg(sr) / 12.75, target)
        (content + F.binary_cross_entropy_with_logits(judged, torch.ones_like(judged)) * 1e-3).backward()
        opt_g.step()

    def infer():
        with torch.no_grad():
            g(lr)

    step = train if mode == "train" else infer
    if mode == "infer":
        g.eval()
    timing.run(step, warmup, steps, dev, model="srgan", mode=mode, width=64, batch=batch, size=size)


if __name__ == "__main__":
    main()
