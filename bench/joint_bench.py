#!/usr/bin/python3
"""The joint colorize-and-upscale GAN of bench/JointBench.cs in PyTorch (Debian's python3-torch): the generator of
tools/make_joint_fixtures.py (the parity fixture's twin of lib/Models/JointGenerator.cs) and a 4-channel PatchGAN;
a training step (D step + G step, LSGAN + 100 L1 on Lab) or inference, timed the same way."""
import argparse
import math
import os
import sys

import torch
import torch.nn.functional as F

import timing
from colorizer_bench import patch_discriminator

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools"))
from make_joint_fixtures import JointGenerator  # noqa: E402


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--steps", type=int, default=5)
    p.add_argument("--warmup", type=int, default=1)
    p.add_argument("--threads", type=int, default=torch.get_num_threads())
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--size", type=int, default=64)
    p.add_argument("--width", type=int, default=64)
    p.add_argument("--model", default="joint", choices=["joint"])
    p.add_argument("--mode", default="train", choices=["train", "infer"])
    p.add_argument("--device", default="cpu")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    dev = torch.device(a.device)
    g = JointGenerator(int(math.log2(a.size)), a.width, a.width, 4).to(dev)
    d = patch_discriminator(4, a.width).to(dev)
    opt_g = torch.optim.Adam(g.parameters(), 2e-4, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(d.parameters(), 2e-4, betas=(0.5, 0.999))
    gray = torch.rand(a.batch, 1, a.size, a.size, device=dev) * 2 - 1
    lab = torch.rand(a.batch, 3, a.size * 4, a.size * 4, device=dev) * 2 - 1

    def ls(pred, real):
        return F.mse_loss(pred, torch.ones_like(pred) if real else torch.zeros_like(pred))

    def train_step():
        fake = g(gray)
        cond = F.interpolate(gray, scale_factor=4, mode="bicubic", align_corners=False, antialias=True)
        opt_d.zero_grad(set_to_none=True)
        loss_d = (ls(d(torch.cat([cond, fake.detach()], 1)), False) + ls(d(torch.cat([cond, lab], 1)), True)) * 0.5
        loss_d.backward()
        opt_d.step()
        opt_g.zero_grad(set_to_none=True)
        loss_g = ls(d(torch.cat([cond, fake], 1)), True) + F.l1_loss(fake, lab) * 100
        loss_g.backward()
        opt_g.step()

    def infer():
        with torch.no_grad():
            g(gray)

    if a.mode == "infer":
        g.eval()
    timing.run(infer if a.mode == "infer" else train_step, a.warmup, a.steps, dev,
               model="joint", mode=a.mode, width=a.width, batch=a.batch, size=a.size)


if __name__ == "__main__":
    main()
