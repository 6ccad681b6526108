#!/usr/bin/python3
"""The colorizers of bench/Program.cs in PyTorch (Debian's python3-torch, same libtorch): a GAN
training step (D step + G step) or generator inference, timed the same way."""
import argparse
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

import timing


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


class ReportUnet(nn.Module):
    """lib/Models/ReportUnet.cs: 3 x (conv3x3 + ReLU, maxpool), bottleneck, 3 x (convT 2x2 + ReLU, concat), 1x1 + tanh."""

    def __init__(self, in_ch=1, out_ch=2, width=64):
        super().__init__()
        ch = [width, width * 2, width * 4]
        self.down = nn.ModuleList([nn.Sequential(nn.Conv2d(in_ch, ch[0], 3, padding=1), nn.ReLU()),
                                   nn.Sequential(nn.Conv2d(ch[0], ch[1], 3, padding=1), nn.ReLU()),
                                   nn.Sequential(nn.Conv2d(ch[1], ch[2], 3, padding=1), nn.ReLU())])
        self.bottleneck = nn.Sequential(nn.Conv2d(ch[2], width * 8, 3, padding=1), nn.ReLU())
        self.up = nn.ModuleList([nn.Sequential(nn.ConvTranspose2d(width * 8, ch[2], 2, stride=2), nn.ReLU()),
                                 nn.Sequential(nn.ConvTranspose2d(ch[2] * 2, ch[1], 2, stride=2), nn.ReLU()),
                                 nn.Sequential(nn.ConvTranspose2d(ch[1] * 2, ch[0], 2, stride=2), nn.ReLU())])
        self.head = nn.Sequential(nn.Conv2d(ch[0] * 2, out_ch, 1), nn.Tanh())

    def forward(self, x):
        skips = []
        for blk in self.down:
            x = blk(x)
            skips.append(x)
            x = F.max_pool2d(x, 2)
        x = self.bottleneck(x)
        for i, blk in enumerate(self.up):
            x = torch.cat([blk(x), skips[2 - i]], 1)
        return self.head(x)


class ReportDiscriminator(nn.Module):
    """lib/Models/ReportDiscriminator.cs: 4 x (conv4x4 s2, LeakyReLU, BN except first), conv3x3 -> 1, mean, sigmoid."""

    def __init__(self, in_ch=3, width=64, blocks=4):
        super().__init__()
        layers, cin, cout = [], in_ch, width
        for i in range(blocks):
            layers += [nn.Conv2d(cin, cout, 4, 2, 1, bias=i == 0), nn.LeakyReLU(0.2)]
            if i > 0:
                layers.append(nn.BatchNorm2d(cout))
            cin, cout = cout, min(cout * 2, width * 8)
        self.features = nn.Sequential(*layers)
        self.score = nn.Conv2d(cin, 1, 3, padding=1)

    def forward(self, x):
        return torch.sigmoid(self.score(self.features(x)).mean((1, 2, 3)))


def conv_gflop(module, x):
    """Multiply-adds x 2 of every Conv2d/ConvTranspose2d in one forward of module on x, in GFLOP."""
    total = [0.0]

    def hook(m, inputs, out):
        k = m.kernel_size[0] * m.kernel_size[1] / m.groups
        if isinstance(m, nn.ConvTranspose2d):  # every input pixel meets every output channel's k x k taps
            total[0] += 2.0 * inputs[0].numel() * m.out_channels * k
        else:                                  # every output pixel sums in_channels x k x k products
            total[0] += 2.0 * out.numel() * m.in_channels * k

    handles = [m.register_forward_hook(hook) for m in module.modules() if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d))]
    with torch.no_grad():
        module(x)
    for h in handles:
        h.remove()
    return total[0] / 1e9


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--steps", type=int, default=10)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--threads", type=int, default=torch.get_num_threads())
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--size", type=int, default=64)
    p.add_argument("--width", type=int, default=64)
    p.add_argument("--model", default="pix2pix", choices=["pix2pix", "report"])
    p.add_argument("--mode", default="train", choices=["train", "infer"])
    p.add_argument("--device", default="cpu")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    dev = torch.device(a.device)
    if a.model == "report":
        g, d, probability = ReportUnet(1, 2, a.width), ReportDiscriminator(3, a.width), True
    else:
        g, d, probability = UnetGenerator(1, 2, int(math.log2(a.size)), a.width), patch_discriminator(3, a.width), False

    g, d = g.to(dev), d.to(dev)

    def adv(pred, real):
        target = torch.ones_like(pred) if real else torch.zeros_like(pred)
        return F.mse_loss(pred, target) if probability else F.binary_cross_entropy_with_logits(pred, target)

    opt_g = torch.optim.Adam(g.parameters(), 2e-4, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(d.parameters(), 2e-4, betas=(0.5, 0.999))
    l = torch.rand(a.batch, 1, a.size, a.size, device=dev) * 2 - 1
    ab = torch.rand(a.batch, 2, a.size, a.size, device=dev) * 2 - 1

    def train_step():
        fake = g(l)
        opt_d.zero_grad(set_to_none=True)
        pred_fake = d(torch.cat([l, fake.detach()], 1))
        pred_real = d(torch.cat([l, ab], 1))
        loss_d = (adv(pred_fake, False) + adv(pred_real, True)) * 0.5
        loss_d.backward()
        opt_d.step()
        opt_g.zero_grad(set_to_none=True)
        pred = d(torch.cat([l, fake], 1))
        loss_g = adv(pred, True) + F.l1_loss(fake, ab) * 100
        loss_g.backward()
        opt_g.step()

    def infer():
        with torch.no_grad():
            g(l)

    # The step's convolution work: G forward once; D forward on two pairs for its step and one for G's; each
    # backward about twice its forward (input and weight gradients): 3 G + 9 D forwards in a training step.
    g_flop, d_flop = conv_gflop(g, l), conv_gflop(d, torch.cat([l, ab], 1))
    step_gflop = g_flop if a.mode == "infer" else 3 * g_flop + 9 * d_flop
    if a.mode == "infer":
        g.eval()
        step = infer
    else:
        step = train_step
    timing.run(step, a.warmup, a.steps, dev, model=a.model, mode=a.mode, width=a.width, batch=a.batch, size=a.size,
               step_gflop=round(step_gflop, 2))


if __name__ == "__main__":
    main()
