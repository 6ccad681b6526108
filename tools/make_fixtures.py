#!/usr/bin/python3
"""Writes the parity fixtures the C# tests compare against (tests/fixtures/*.safetensors).

Run by hand with Debian's python3-torch (CI needs no Python; the fixtures are committed):
    /usr/bin/python3 tools/make_fixtures.py
Debian 12 has no python3-safetensors, so the format (8-byte header length, JSON header,
raw little-endian data) is written here directly; the C# reader must accept it as it is.
"""
import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from safetensors_writer import save_arrays  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures")


def save(tensors, path, metadata=None):
    """Writes torch tensors as safetensors (see safetensors_writer.py)."""
    save_arrays({k: t.detach().contiguous().cpu().numpy() for k, t in tensors.items()}, path, metadata)


def randomize_norms(net, prelu=False):
    """Moves BatchNorm's affine parameters and running statistics (and, if asked, PReLU slopes) off their initial
    values, in module order, so that a fixture checks that they are loaded and used."""
    with torch.no_grad():
        for m in net.modules():
            if isinstance(m, nn.BatchNorm2d):
                m.weight.uniform_(0.5, 1.5)
                m.bias.uniform_(-0.1, 0.1)
                m.running_mean.uniform_(-0.1, 0.1)
                m.running_var.uniform_(0.5, 1.5)
            if prelu and isinstance(m, nn.PReLU):
                m.weight.uniform_(0.1, 0.3)


def forward_fixture(net, x):
    """The net's weights and its outputs on x, in eval mode and then in train mode (which moves BatchNorm's running
    statistics, so it comes last), with x itself."""
    out = {"weights." + k: v.clone() for k, v in net.state_dict().items()}
    net.eval()
    with torch.no_grad():
        out["eval.output"] = net(x)
    net.train()
    out["train.output"] = net(x).detach()
    out["x"] = x
    return out


class ParityNet(nn.Module):
    """Small, but every layer the binding exposes to the GANs is on the gradient path."""

    def __init__(self):
        super().__init__()
        # no bias before a norm: its gradient is ~0 and Adam would amplify rounding noise
        self.conv1 = nn.Conv2d(3, 8, 3, padding=1, bias=False)
        self.bn = nn.BatchNorm2d(8)
        self.down = nn.Conv2d(8, 16, 4, stride=2, padding=1)
        self.act = nn.PReLU()
        self.up = nn.ConvTranspose2d(16, 8, 4, stride=2, padding=1)
        self.norm = nn.InstanceNorm2d(16, affine=True)
        self.conv2 = nn.Conv2d(8, 12, 3, padding=1)
        self.shuffle = nn.PixelShuffle(2)
        self.head = nn.Linear(3, 1)

    def forward(self, x):
        h = F.leaky_relu(self.bn(self.conv1(x)), 0.2)
        h = self.norm(self.act(self.down(h)))
        h = self.up(h)
        img = torch.tanh(self.shuffle(self.conv2(h)))          # N x 3 x 2H x 2W
        logit = self.head(F.adaptive_avg_pool2d(img, 1).flatten(1))  # N x 1
        return img, logit


def losses(img, logit, target, label):
    prob = torch.sigmoid(logit)
    return {
        "l1": F.l1_loss(img, target),
        "mse": F.mse_loss(img, target),
        "bce": F.binary_cross_entropy(prob, label),
        "bce_logits": F.binary_cross_entropy_with_logits(logit, label),
    }


def net_fixture():
    torch.manual_seed(1234)
    net = ParityNet()
    with torch.no_grad():  # make the affine/norm parameters non-trivial
        net.bn.weight.uniform_(0.5, 1.5)
        net.bn.bias.uniform_(-0.2, 0.2)
        net.norm.weight.uniform_(0.5, 1.5)
        net.norm.bias.uniform_(-0.2, 0.2)
        net.act.weight.fill_(0.1)
    out = {}
    for k, v in net.state_dict().items():
        out["init." + k] = v.clone()
    x = torch.randn(2, 3, 16, 16)
    target = torch.rand(2, 3, 32, 32) * 2 - 1
    label = torch.tensor([[1.0], [0.0]])

    def three_steps(opt):
        """Three steps from the current weights, recomputing the loss each time (train mode)."""
        for _ in range(3):
            opt.zero_grad()
            img, logit = net(x)
            ls = losses(img, logit, target, label)
            (ls["l1"] + ls["mse"] + ls["bce"] + ls["bce_logits"]).backward()
            opt.step()
    out.update({"x": x, "target": target, "label": label})

    net.train()
    xg = x.clone().requires_grad_(True)
    img, logit = net(xg)
    ls = losses(img, logit, target, label)
    total = ls["l1"] + ls["mse"] + ls["bce"] + ls["bce_logits"]
    total.backward()
    out["train.img"], out["train.logit"] = img.detach(), logit.detach()
    for k, v in ls.items():
        out["loss." + k] = v.detach()
    out["loss.total"] = total.detach()
    out["grad.x"] = xg.grad
    for k, p in net.named_parameters():
        out["grad." + k] = p.grad.clone()
    for k, v in net.state_dict().items():
        if k.startswith("bn."):
            out["after_train." + k] = v.clone()

    net.eval()
    with torch.no_grad():
        img, logit = net(x)
    out["eval.img"], out["eval.logit"] = img, logit

    # Three Adam steps from the initial weights, recomputing the loss each time (train mode).
    net.load_state_dict({k[len("init."):]: v for k, v in out.items() if k.startswith("init.")})
    net.train()
    three_steps(torch.optim.Adam(net.parameters(), lr=1e-2, betas=(0.5, 0.999), foreach=False))
    for k, v in net.state_dict().items():
        out["adam3." + k] = v.clone()

    # The same with SGD + momentum, to pin the other update rule.
    net.load_state_dict({k[len("init."):]: v for k, v in out.items() if k.startswith("init.")})
    three_steps(torch.optim.SGD(net.parameters(), lr=1e-2, momentum=0.9, weight_decay=1e-4, foreach=False))
    for k, v in net.named_parameters():
        out["sgd3." + k] = v.detach().clone()
    save(out, os.path.join(OUT, "parity_net.safetensors"), {"torch": torch.__version__})


def resize_fixture():
    torch.manual_seed(99)
    img = torch.rand(1, 3, 32, 32)
    out = {"img": img}
    out["bicubic_aa_13x11"] = F.interpolate(img, size=(13, 11), mode="bicubic", align_corners=False, antialias=True)
    out["bilinear_aa_8x8"] = F.interpolate(img, size=(8, 8), mode="bilinear", align_corners=False, antialias=True)
    small = img[:, :, :8, :8]
    out["bicubic_up_x4"] = F.interpolate(small, scale_factor=4, mode="bicubic", align_corners=False)
    out["nearest_up_x2"] = F.interpolate(img, scale_factor=2, mode="nearest")
    save(out, os.path.join(OUT, "resize.safetensors"), {"torch": torch.__version__})


def main():
    os.makedirs(OUT, exist_ok=True)
    torch.set_num_threads(1)
    net_fixture()
    resize_fixture()
    print("fixtures written to", os.path.normpath(OUT), "with torch", torch.__version__, file=sys.stderr)


if __name__ == "__main__":
    main()
