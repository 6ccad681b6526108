"""PyTorch twin of bench/LayerBench.cs: per-layer GFLOP/s of pix2pix's U-Net layers, forward and backward."""
import argparse
import json
import time

import torch
import torch.nn.functional as F

LAYERS = [
    ("conv", 1, 64, 4, 2, 1, 64), ("conv", 64, 128, 4, 2, 1, 32), ("conv", 128, 256, 4, 2, 1, 16),
    ("conv", 256, 512, 4, 2, 1, 8), ("conv", 512, 512, 4, 2, 1, 4), ("conv", 512, 512, 4, 2, 1, 2),
    ("convT", 512, 512, 4, 2, 1, 1), ("convT", 1024, 512, 4, 2, 1, 2), ("convT", 1024, 256, 4, 2, 1, 4),
    ("convT", 512, 128, 4, 2, 1, 8), ("convT", 256, 64, 4, 2, 1, 16), ("convT", 128, 2, 4, 2, 1, 32),
    ("peak", 256, 256, 3, 1, 1, 32),
]


def median(f, steps, warmup):
    for _ in range(warmup):
        f()
    t = []
    for _ in range(steps):
        a = time.perf_counter()
        f()
        t.append(time.perf_counter() - a)
    t.sort()
    return t[len(t) // 2]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--steps", type=int, default=7)
    p.add_argument("--warmup", type=int, default=2)
    p.add_argument("--threads", type=int, default=torch.get_num_threads())
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    for kind, cin, cout, k, s, pad, h in LAYERS:
        x = torch.randn(a.batch, cin, h, h, requires_grad=True)
        w = ((torch.randn(cin, cout, k, k) if kind == "convT" else torch.randn(cout, cin, k, k)) * 0.05).requires_grad_()
        b = torch.randn(cout, requires_grad=True)

        def forward():
            return F.conv_transpose2d(x, w, b, s, pad) if kind == "convT" else F.conv2d(x, w, b, s, pad)

        g = torch.randn_like(forward())
        out_h = g.shape[2]
        flops = 2.0 * a.batch * cin * cout * k * k * (h * h if kind == "convT" else out_h * out_h)

        def fwd():
            with torch.no_grad():
                forward()

        def both():
            x.grad = w.grad = b.grad = None
            forward().backward(g)

        tf = median(fwd, a.steps, a.warmup)
        tb = max(median(both, a.steps, a.warmup) - tf, 1e-9)
        print(json.dumps({"impl": "pytorch", "layer": f"{kind} {cin}->{cout} k{k}s{s} @{h}", "batch": a.batch,
                          "threads": torch.get_num_threads(), "fwd_ms": round(tf * 1e3, 3), "bwd_ms": round(tb * 1e3, 3),
                          "fwd_gflops": round(flops / tf / 1e9, 1), "bwd_gflops": round(2 * flops / tb / 1e9, 1)}))


if __name__ == "__main__":
    main()
