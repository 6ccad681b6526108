"""PyTorch twin of bench/OptimBench.cs: one torch.optim.Adam step (foreach=False, 1.13's CPU default) over
pix2pix's generator with fixed gradients."""
import argparse
import math

import torch

import timing
from colorizer_bench import UnetGenerator


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--size", type=int, default=64)
    p.add_argument("--width", type=int, default=64)
    p.add_argument("--steps", type=int, default=10)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--threads", type=int, default=torch.get_num_threads())
    p.add_argument("--foreach", action="store_true")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    g = UnetGenerator(1, 2, int(math.log2(a.size)), a.width)
    for q in g.parameters():
        q.grad = torch.randn_like(q) * 1e-3
    opt = torch.optim.Adam(g.parameters(), 2e-4, betas=(0.5, 0.999), foreach=a.foreach)
    with torch.no_grad():
        timing.run(opt.step, a.warmup, a.steps, torch.device("cpu"), model="adam" + ("-foreach" if a.foreach else ""),
                   mode="step", width=a.width, batch=0, size=a.size)


if __name__ == "__main__":
    main()
