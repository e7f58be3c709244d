#!/usr/bin/env python3
"""Peer of nas4j's ChainEpochBenchmark: one training epoch of a small mobile chain on the shipped Fashion-MNIST
subset, in PyTorch on CPU.

The networks, layer for layer as nas4j builds them (docs/spaces/mobile.md; convolutions without bias, padding k//2,
affine batch norm with PyTorch's defaults, activations in place as the reference implementations write them):
  proxyless  ProxylessSpace.small(): 1x28x28, conv3x3 1->16 + BN + ReLU6 (stride 1); MBConv 3x3 e1 16->8; 7 searched
             layers in stages 16 x 2 (stride 2), 24 x 2 (stride 2), 32 x 2, 48 x 1, each mbconv_KxK_eE or zero
             (the layer skipped); conv1x1 ->256 + BN + ReLU6; global average pool; linear (with bias) to 10.
             MBConv: 1x1 to E*in + BN + ReLU6 (not when E = 1); depthwise KxK with the stride + BN + ReLU6;
             1x1 to out + BN; the input added when the stride is 1 and in == out.
  spos       SposSpace.small(): 1x28x28, conv3x3 1->16 + BN + ReLU (stride 1); 6 searched layers in stages 32 x 2,
             64 x 2, 128 x 2 (stride 2 first), each shuffle_KxK or shuffle_xception at a channel scale;
             conv1x1 ->256 + BN + ReLU; global average pool; linear without bias to 10.
             Stride 1: channel shuffle (groups 2), the even channels pass, the odd ones go through the main branch;
             stride 2: projection (depthwise KxK s2 + BN, 1x1 + BN + ReLU) and main branch both read the input;
             outputs concatenated. Main branch (mid = int((out // 2) * scale)): 1x1 ->mid + BN + ReLU, depthwise
             KxK + BN, 1x1 + BN + ReLU (Shuffle); three times depthwise 3x3 + BN, 1x1 + BN + ReLU to mid, mid, out
             (Xception); the first depthwise carries the stride.
The architecture is the text nas4j prints on its ARCH line (ComposedSpace.format), e.g.
  'layer1=mbconv_5x5_e3; layer2=zero; ...' or 'scale1=1.0; ...; layer1=shuffle_3x3_c{scale1}; ...';
without --arch, the same default as ChainEpochBenchmark.
Data: the Fashion-MNIST subset shipped in nas-estimators' resources (IDX files, gzipped; pixels / 255), read with
the standard library; the first --samples training images (0: all 10,000). An epoch is samples // batch steps
over a fresh random permutation (last partial batch dropped): index the batch, forward, cross-entropy, backward,
SGD (momentum, weight decay). --warmup steps run untimed first.
Usage: python3 torch_chain_epoch.py [--chain proxyless|spos] [--arch TEXT] [--batch 64] [--epochs 1] [--warmup 5]
  [--lr 0.05] [--momentum 0.9] [--weight-decay 4e-5] [--samples 0] [--seed 0] [--threads N]
  [--data DIR]
Threads as nas4j chooses them: OMP_NUM_THREADS if set, else --threads, else every core.
Prints 'ARCH <text>', 'PARAMS <n>', 'RESULT torch_chain_<chain>_epoch median=<s> min=<s> max=<s> n=<epochs>' and
'PEAK_RSS_MIB <n>'. Requires PyTorch (Debian: apt-get install python3-torch; run with /usr/bin/python3).
"""
import argparse, gzip, os, re, resource, statistics, struct, sys, time
import torch
import torch.nn as nn
import torch.nn.functional as F

DEFAULT_ARCH = {
    "proxyless": "layer1=mbconv_5x5_e3; layer2=mbconv_3x3_e3; layer3=mbconv_7x7_e6; layer4=zero; "
                 "layer5=mbconv_5x5_e6; layer6=mbconv_3x3_e3; layer7=mbconv_7x7_e6",
    "spos": "scale1=1.0; scale2=0.6; scale3=1.6; scale4=1.0; scale5=0.2; scale6=1.4; layer1=shuffle_3x3_c{scale1}; "
            "layer2=shuffle_xception_c{scale2}; layer3=shuffle_5x5_c{scale3}; layer4=shuffle_7x7_c{scale4}; "
            "layer5=shuffle_3x3_c{scale5}; layer6=shuffle_3x3_c{scale6}",
}
# (width, layers, stride of the first layer) of the searched stages, as ProxylessSpace.small() / SposSpace.small()
PROXYLESS_STAGES = [(16, 2, 2), (24, 2, 2), (32, 2, 1), (48, 1, 1)]
SPOS_STAGES = [(32, 2, 2), (64, 2, 2), (128, 2, 2)]
DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "nas-estimators", "src", "main", "resources",
                    "org", "nas4j", "estimators", "data", "fashion-mnist")


def conv_bn(cin, cout, k, stride=1, groups=1):
    return [nn.Conv2d(cin, cout, k, stride, k // 2, groups=groups, bias=False), nn.BatchNorm2d(cout)]


class MBConv(nn.Module):
    def __init__(self, cin, cout, k, e, stride):
        super().__init__()
        h = cin * e
        layers = conv_bn(cin, h, 1) + [nn.ReLU6(inplace=True)] if e > 1 else []
        layers += conv_bn(h, h, k, stride, groups=h) + [nn.ReLU6(inplace=True)] + conv_bn(h, cout, 1)
        self.body = nn.Sequential(*layers)
        self.residual = stride == 1 and cin == cout

    def forward(self, x):
        return self.body(x) + x if self.residual else self.body(x)


def shuffle_branch(cin, mid, cout, k, stride):
    return nn.Sequential(*conv_bn(cin, mid, 1), nn.ReLU(inplace=True), *conv_bn(mid, mid, k, stride, groups=mid),
                         *conv_bn(mid, cout, 1), nn.ReLU(inplace=True))


def xception_branch(cin, mid, cout, stride):
    layers = []
    for a, b, s in ((cin, mid, stride), (mid, mid, 1), (mid, cout, 1)):
        layers += conv_bn(a, a, 3, s, groups=a) + conv_bn(a, b, 1) + [nn.ReLU(inplace=True)]
    return nn.Sequential(*layers)


class ShuffleBlock(nn.Module):
    def __init__(self, cin, cout, k, xception, scale, stride):
        super().__init__()
        mid = int((cout // 2) * scale)
        branch_in = cin // 2 if stride == 1 else cin
        self.stride = stride
        self.main = (xception_branch(branch_in, mid, cout - branch_in, stride) if xception
                     else shuffle_branch(branch_in, mid, cout - branch_in, k, stride))
        if stride == 2:
            self.proj = nn.Sequential(*conv_bn(cin, cin, k, 2, groups=cin), *conv_bn(cin, cin, 1),
                                      nn.ReLU(inplace=True))

    def forward(self, x):
        if self.stride == 2:
            return torch.cat((self.proj(x), self.main(x)), 1)
        b, c, h, w = x.shape
        # channel shuffle of 2 groups: [B, C/2, 2, H, W]; group 0 holds the even channels, group 1 the odd ones
        pairs = x.reshape(b, c // 2, 2, h, w)
        return torch.cat((pairs[:, :, 0], self.main(pairs[:, :, 1])), 1)


def parse_arch(text):
    values = {}
    for token in [t.strip() for t in text.split(";") if t.strip()]:
        key, _, value = token.partition("=")
        values[key.strip()] = value.strip()
    return {k: re.sub(r"\{(\w+)\}", lambda m: values[m.group(1)], v) for k, v in values.items()}


def proxyless(arch):
    layers = conv_bn(1, 16, 3) + [nn.ReLU6(inplace=True), MBConv(16, 8, 3, 1, 1)]
    cin, i = 8, 1
    for width, n, first_stride in PROXYLESS_STAGES:
        for j in range(n):
            stride = first_stride if j == 0 else 1
            op = arch[f"layer{i}"]
            if op == "zero":
                if stride != 1 or cin != width:
                    raise ValueError(f"layer{i} cannot be zero: stride {stride}, {cin} -> {width} channels")
            else:
                m = re.fullmatch(r"mbconv_(\d)x\1_e(\d)", op)
                if not m:
                    raise ValueError(f"layer{i} must be mbconv_KxK_eE or zero, but was '{op}'")
                layers.append(MBConv(cin, width, int(m.group(1)), int(m.group(2)), stride))
            cin, i = width, i + 1
    layers += conv_bn(cin, 256, 1) + [nn.ReLU6(inplace=True), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                                      nn.Linear(256, 10)]
    return nn.Sequential(*layers)


def spos(arch):
    layers = conv_bn(1, 16, 3) + [nn.ReLU(inplace=True)]
    cin, i = 16, 1
    for width, n, first_stride in SPOS_STAGES:
        for j in range(n):
            op = arch[f"layer{i}"]
            m = re.fullmatch(r"shuffle_(?:(\d)x\1|(xception))_c([0-9.]+)", op)
            if not m:
                raise ValueError(f"layer{i} must be shuffle_KxK_cS or shuffle_xception_cS, but was '{op}'")
            xception = m.group(2) is not None
            layers.append(ShuffleBlock(cin, width, 3 if xception else int(m.group(1)), xception, float(m.group(3)),
                                       first_stride if j == 0 else 1))
            cin, i = width, i + 1
    layers += conv_bn(cin, 256, 1) + [nn.ReLU(inplace=True), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                                      nn.Linear(256, 10, bias=False)]
    return nn.Sequential(*layers)


def read_idx(path, magic):
    with gzip.open(path, "rb") as f:
        raw = f.read()
    found, n = struct.unpack(">II", raw[:8])
    if found != magic:
        raise ValueError(f"{path} must start with the IDX magic {magic:#x}, but started with {found:#x}")
    dims = struct.unpack(">" + "I" * (magic & 0xFF), raw[4:4 + 4 * (magic & 0xFF)])
    body = raw[4 + 4 * len(dims):]
    return torch.frombuffer(bytearray(body), dtype=torch.uint8).reshape(dims)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--chain", choices=["proxyless", "spos"], default="proxyless")
    p.add_argument("--arch", default="")
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--epochs", type=int, default=1)
    p.add_argument("--warmup", type=int, default=5)
    p.add_argument("--lr", type=float, default=0.05)
    p.add_argument("--momentum", type=float, default=0.9)
    p.add_argument("--weight-decay", type=float, default=4e-5)
    p.add_argument("--samples", type=int, default=0)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--threads", type=int, default=0)
    p.add_argument("--data", default=DATA)
    a = p.parse_args()
    if a.arch.startswith("random:"):
        p.error("--arch random:<seed> is nas4j's sampler: pass the text ChainEpochBenchmark prints on its ARCH line")
    if a.batch < 2 or a.epochs < 1 or a.warmup < 0 or a.samples < 0:
        p.error(f"need --batch >= 2, --epochs >= 1, --warmup >= 0, --samples >= 0, but were {a.batch}, {a.epochs},"
                f" {a.warmup}, {a.samples}")
    if "OMP_NUM_THREADS" not in os.environ:  # nas4j's rule (NativeThreads): the environment, else --threads,
        torch.set_num_threads(a.threads or os.cpu_count())  # else every core (torch's own default may be 1)
    torch.manual_seed(a.seed)
    arch_text = a.arch or DEFAULT_ARCH[a.chain]
    try:
        net = (proxyless if a.chain == "proxyless" else spos)(parse_arch(arch_text))
    except (KeyError, ValueError) as e:
        p.error(f"--arch '{arch_text}' is not an architecture of the small {a.chain} chain: {e}")
    images = read_idx(os.path.join(a.data, "train-images-idx3-ubyte.gz"), 0x803)
    labels = read_idx(os.path.join(a.data, "train-labels-idx1-ubyte.gz"), 0x801).long()
    n = a.samples or len(labels)
    if n < a.batch or n > len(labels):
        p.error(f"--samples must be 0 (all {len(labels)}) or in [--batch, {len(labels)}], but was {a.samples}")
    x_all = images[:n].float().div_(255).unsqueeze(1).contiguous()
    y_all = labels[:n].contiguous()
    opt = torch.optim.SGD(net.parameters(), lr=a.lr, momentum=a.momentum, weight_decay=a.weight_decay)
    steps_per_epoch = n // a.batch
    g = torch.Generator().manual_seed(a.seed)
    state = {"perm": torch.empty(0, dtype=torch.long), "cursor": 0}

    def steps(count):
        total = 0.0
        for _ in range(count):
            if state["cursor"] + a.batch > len(state["perm"]):
                state["perm"], state["cursor"] = torch.randperm(n, generator=g), 0
            idx = state["perm"][state["cursor"]:state["cursor"] + a.batch]
            state["cursor"] += a.batch
            opt.zero_grad(set_to_none=True)
            loss = F.cross_entropy(net(x_all[idx]), y_all[idx])
            loss.backward()
            opt.step()
            total += loss.item()
        return total / count if count else float("nan")

    net.train()
    print(f"torch {torch.__version__} threads {torch.get_num_threads()}")
    print(f"ARCH {arch_text}")
    print(f"PARAMS {sum(t.numel() for t in net.parameters())}")
    sys.stdout.flush()
    steps(min(a.warmup, steps_per_epoch))
    times, last = [], float("nan")
    for _ in range(a.epochs):
        t0 = time.perf_counter()
        last = steps(steps_per_epoch)
        times.append(time.perf_counter() - t0)
    print(f"torch chain {a.chain}: {n} images, batch {a.batch}, {steps_per_epoch} steps per epoch, mean loss of the "
          f"last epoch {last:.4f}")
    print(f"RESULT torch_chain_{a.chain}_epoch median={statistics.median(times):.3f} min={min(times):.3f} "
          f"max={max(times):.3f} n={len(times)}")
    print(f"PEAK_RSS_MIB {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}")


if __name__ == "__main__":
    main()
