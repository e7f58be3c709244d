#!/usr/bin/env python3
"""Peer of nas4j's DepthwiseConvBenchmark: depthwise convolution at the DARTS search network's shapes in PyTorch.

Shapes (batch B): C = 16 at 32x32, 32 at 16x16, 64 at 8x8; kernels 3 and 5, dilation 1 (sep_conv) and 2
(dil_conv), padding dilation*(k-1)//2, stride 1, and stride 2 at the first two sizes (reduction cells); then the
small mobile chains' depthwise convolutions (pxl*: ProxylessNAS MBConv layers, spos*: SPOS ShuffleNetV2 blocks).
fwd = F.conv2d(x, w, groups=C); bwd = the gradients of x and w from a given output gradient.
Usage: python3 torch_depthwise.py [--batch 32] [--rounds 5] [--reps 10] [--threads 2] [--shapes NAME,...]
Prints 'RESULT torch_dw_<shape>_<fwd|bwd> median=<ms> min=<ms> max=<ms> n=<rounds>', each figure the mean of reps
calls. Requires PyTorch (Debian: apt-get install python3-torch; run with /usr/bin/python3).
"""
import argparse, statistics, time
import torch
import torch.nn.functional as F


def shapes():
    out = []
    stages = [(16, 32), (32, 16), (64, 8)]
    for k, d in [(3, 1), (5, 1), (3, 2), (5, 2)]:
        kind = ("sep" if d == 1 else "dil") + str(k)
        for c, hw in stages:
            out.append((f"{kind}_c{c}_{hw}_s1", c, hw, k, 1, d))
        for c, hw in stages[:2]:
            out.append((f"{kind}_c{c}_{hw}_s2", c, hw, k, 2, d))
    # the small mobile chains' depthwise convolutions (ProxylessNAS MBConv, SPOS ShuffleNetV2 blocks)
    for k, c, hw, s in [(3, 16, 28, 1), (5, 24, 28, 2), (3, 48, 14, 1), (7, 96, 14, 2), (5, 144, 7, 1),
                        (3, 96, 7, 1), (7, 192, 7, 1)]:
        out.append((f"pxl{k}_c{c}_{hw}_s{s}", c, hw, k, s, 1))
    for k, c, hw, s in [(3, 16, 28, 2), (3, 9, 14, 1), (5, 51, 14, 2), (7, 32, 7, 1), (3, 64, 7, 2),
                        (3, 89, 4, 1)]:
        out.append((f"spos{k}_c{c}_{hw}_s{s}", c, hw, k, s, 1))
    return out


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--reps", type=int, default=10)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--shapes", default="")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    only = [s for s in a.shapes.split(",") if s]
    print(f"torch {torch.__version__} threads {torch.get_num_threads()} batch {a.batch}")
    for name, c, hw, k, s, d in shapes():
        if only and name not in only:
            continue
        pad = d * (k - 1) // 2
        x = torch.rand(a.batch, c, hw, hw, requires_grad=True)
        w = (torch.rand(c, 1, k, k) - 0.5).requires_grad_()
        y = F.conv2d(x, w, None, s, pad, d, c)
        gy = torch.rand_like(y)

        def fwd():
            with torch.no_grad():
                F.conv2d(x, w, None, s, pad, d, c)

        def bwd():
            torch.autograd.grad(y, (x, w), gy, retain_graph=True)

        times = {"fwd": [], "bwd": []}
        fwd(); bwd()
        for _ in range(a.rounds):
            for label, f in (("fwd", fwd), ("bwd", bwd)):
                t0 = time.perf_counter()
                for _ in range(a.reps):
                    f()
                times[label].append((time.perf_counter() - t0) * 1e3 / a.reps)
        for label, t in times.items():
            print(f"RESULT torch_dw_{name}_{label} median={statistics.median(t):.3f} min={min(t):.3f} "
                  f"max={max(t):.3f} n={len(t)}")


if __name__ == "__main__":
    main()
