#!/usr/bin/env python3
"""GDAS in PyTorch on the network and data of nas4j's OneShotBenchmark: a peer for GDAS' outcome, not its speed.

It answers one question: does GDAS, written after its authors' code, also pick parameter-free ops on this small
setting (NAS-Bench-201 cell, C = 8, one cell per stage, the 10,000 Fashion-MNIST training images nas4j ships), or
is the collapse that nas4j's GDAS shows there a defect of nas4j? Everything below is as nas4j's
`Strategies.gdas(train)` runs in `OneShotBenchmark` (docs/oneshot.md), and as AutoDL-Projects' GDAS:

  data     the shipped train-images/labels (IDX, gzipped), pixels / 255; a seeded 80/20 split (the 20% unused
           here, as nas4j's sampling methods score on it), the 80% split in half: weight part, architecture part
  network  stem conv3x3(1 -> C) + BN; 3 stages of N cells at C, 2C, 4C channels, a residual block between stages
           (ReLU-conv3x3/2-BN, ReLU-conv3x3-BN, shortcut avg-pool 2x2 + conv1x1); BN-ReLU, global average pool,
           linear. Cell: 4 nodes, 6 edges, ops none, skip_connect, nor_conv_1x1, nor_conv_3x3 (ReLU-conv-BN),
           avg_pool_3x3 (count_include_pad=False). Batch norms with affine parameters (nas4j's standard modules);
           --affine 0 drops them in the cells' convolutions, as the reference's search cells have none (its stem,
           residual blocks and head keep theirs)
  GDAS     per training pass one Gumbel draw for all cells: probs = softmax((log_softmax(alpha) + g) / tau),
           hardwts = onehot(argmax) - probs.detach() + probs; an edge computes only the drawn op, times its
           hardwt, plus the other ops' hardwts as scalars (so their gradient is the sum of the output gradient);
           tau from 10 at the first epoch to 0.1 at the last, linearly per epoch
  steps    per step a weight step (SGD 0.025 cosine per step to 0.001, Nesterov momentum 0.9, weight decay
           5e-4: GDAS.config; gradient norm clip 5) on a weight batch, then an architecture step (Adam 3e-4, betas
           0.5/0.999, weight decay 1e-3) on an architecture batch; batches of 64 in a fresh order each epoch
  derive   per edge the op of the largest alpha, none included (the reference's genotype())

Prints per epoch `EPOCH method=gdas-torch seed= epoch= param_free_ops= valid_acc= epoch_seconds= arch=` (valid_acc:
the derived path on the first 2,000 images of the architecture part, each batch normalised with its own statistics,
as nas4j validates GDAS), and at the end `RESULT method=gdas-torch seed= arch= search_seconds=`.
Usage: /usr/bin/python3 bench/torch_gdas_nb201.py [--seed 1] [--epochs 40] [--steps 40] [--batch 64]
       [--channels 8] [--cells 1] [--threads 2] [--affine 1] [--data DIR]
Requires PyTorch (Debian: apt-get install python3-torch).
"""
import argparse, gzip, math, os, struct, time
import torch
import torch.nn as nn
import torch.nn.functional as F

OPS = ["none", "skip_connect", "nor_conv_1x1", "nor_conv_3x3", "avg_pool_3x3"]
PARAM_FREE = {"none", "skip_connect", "avg_pool_3x3"}
EDGES = [(j, i) for j in range(1, 4) for i in range(j)]    # (target node, source node), nas4j's and NB201's order
DEFAULT_DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "nas-estimators", "src", "main",
                            "resources", "org", "nas4j", "estimators", "data", "fashion-mnist")


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims])
    return torch.frombuffer(bytearray(data[4 + 4 * dims:]), dtype=torch.uint8).reshape(shape)


def relu_conv_bn(cin, cout, k, stride, affine):
    return nn.Sequential(nn.ReLU(), nn.Conv2d(cin, cout, k, stride, k // 2, bias=False),
                         nn.BatchNorm2d(cout, affine=affine))


class Zero(nn.Module):
    def forward(self, x):
        return x.mul(0.0)


def make_op(name, c, affine):
    if name == "none":
        return Zero()
    if name == "skip_connect":
        return nn.Identity()
    if name == "avg_pool_3x3":
        return nn.AvgPool2d(3, stride=1, padding=1, count_include_pad=False)
    return relu_conv_bn(c, c, 1 if name == "nor_conv_1x1" else 3, 1, affine)


class GdasCell(nn.Module):
    def __init__(self, c, affine):
        super().__init__()
        self.edges = nn.ModuleList([nn.ModuleList([make_op(o, c, affine) for o in OPS]) for _ in EDGES])

    def forward(self, x, hardwts, index):
        nodes = [x]
        for j in range(1, 4):
            total = 0
            for e, (target, source) in enumerate(EDGES):
                if target != j:
                    continue
                k = index[e]
                # the drawn op times its weight; every other op's weight as a scalar (straight-through)
                total = total + sum(hardwts[e, o] * op(nodes[source]) if o == k else hardwts[e, o]
                                    for o, op in enumerate(self.edges[e]))
            nodes.append(total)
        return nodes[-1]


class ResidualBlock(nn.Module):   # affine batch norms, as in the reference's search network too
    def __init__(self, cin, cout):
        super().__init__()
        self.a = relu_conv_bn(cin, cout, 3, 2, True)
        self.b = relu_conv_bn(cout, cout, 3, 1, True)
        self.shortcut = nn.Sequential(nn.AvgPool2d(2, 2), nn.Conv2d(cin, cout, 1, bias=False))

    def forward(self, x):
        return self.b(self.a(x)) + self.shortcut(x)


class GdasNetwork(nn.Module):
    def __init__(self, c, n, affine, classes=10):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(1, c, 3, padding=1, bias=False), nn.BatchNorm2d(c))
        layers, width = [], c
        for stage in range(3):
            if stage > 0:
                layers.append(ResidualBlock(width, width * 2))
                width *= 2
            layers += [GdasCell(width, affine) for _ in range(n)]
        self.layers = nn.ModuleList(layers)
        self.head = nn.Sequential(nn.BatchNorm2d(width), nn.ReLU())
        self.classifier = nn.Linear(width, classes)
        self.alpha = nn.Parameter(1e-3 * torch.randn(len(EDGES), len(OPS)))
        self.tau = 10.0

    def weights(self):
        return [p for name, p in self.named_parameters() if name != "alpha"]

    def draw(self):
        while True:   # the reference redraws on an infinite or NaN sample
            gumbels = -torch.empty_like(self.alpha).exponential_().log()
            probs = F.softmax((self.alpha.log_softmax(dim=1) + gumbels) / self.tau, dim=1)
            index = probs.max(-1, keepdim=True)[1]
            if not (torch.isinf(gumbels).any() or torch.isinf(probs).any() or torch.isnan(probs).any()):
                break
        hardwts = torch.zeros_like(probs).scatter_(-1, index, 1.0) - probs.detach() + probs
        return hardwts, index.view(-1).tolist()

    def forward(self, x, path=None):
        if path is None:
            hardwts, index = self.draw()
        else:      # a fixed path (the derived one): weight 1, no gradient to alpha
            hardwts, index = F.one_hot(torch.tensor(path), len(OPS)).float(), path
        x = self.stem(x)
        for layer in self.layers:
            x = layer(x, hardwts, index) if isinstance(layer, GdasCell) else layer(x)
        return self.classifier(self.head(x).mean(dim=(2, 3)))

    def derive(self):
        return self.alpha.argmax(dim=1).tolist()


def arch_string(path):
    nodes = []
    for j in range(1, 4):
        nodes.append("|" + "|".join(f"{OPS[path[e]]}~{i}" for e, (t, i) in enumerate(EDGES) if t == j) + "|")
    return "+".join(nodes)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--epochs", type=int, default=40)
    p.add_argument("--steps", type=int, default=40)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--channels", type=int, default=8)
    p.add_argument("--cells", type=int, default=1)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--affine", type=int, choices=[0, 1], default=1)
    p.add_argument("--validation", type=int, default=2000)
    p.add_argument("--data", default=DEFAULT_DATA)
    a = p.parse_args()
    if a.epochs < 2:
        raise SystemExit(f"--epochs must be >= 2 (the temperature schedule divides by epochs - 1), but was {a.epochs}")
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    images = read_idx(os.path.join(a.data, "train-images-idx3-ubyte.gz")).float().div(255).unsqueeze(1)
    labels = read_idx(os.path.join(a.data, "train-labels-idx1-ubyte.gz")).long()
    order = torch.randperm(len(labels))
    search = order[: len(order) * 4 // 5]
    weight_part, arch_part = search[: len(search) // 2], search[len(search) // 2:]

    net = GdasNetwork(a.channels, a.cells, bool(a.affine))
    total_steps = a.epochs * a.steps
    w_opt = torch.optim.SGD(net.weights(), lr=0.025, momentum=0.9, weight_decay=5e-4, nesterov=True)
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(w_opt, total_steps, eta_min=0.001)
    a_opt = torch.optim.Adam([net.alpha], lr=3e-4, betas=(0.5, 0.999), weight_decay=1e-3)

    def batches(part):
        while True:
            shuffled = part[torch.randperm(len(part))]
            for s in range(0, len(shuffled) - a.batch + 1, a.batch):
                yield shuffled[s: s + a.batch]

    w_batches, a_batches = batches(weight_part), batches(arch_part)
    start = time.perf_counter()
    for epoch in range(a.epochs):
        t0 = time.perf_counter()
        net.tau = 10.0 - (10.0 - 0.1) * epoch / (a.epochs - 1)
        net.train()
        for _ in range(a.steps):
            idx = next(w_batches)
            w_opt.zero_grad()
            F.cross_entropy(net(images[idx]), labels[idx]).backward()
            nn.utils.clip_grad_norm_(net.weights(), 5)
            w_opt.step()
            schedule.step()
            idx = next(a_batches)
            a_opt.zero_grad()
            F.cross_entropy(net(images[idx]), labels[idx]).backward()
            a_opt.step()
        path = net.derive()
        correct = 0
        valid = arch_part[: a.validation]
        with torch.no_grad():   # train mode: each validation batch normalised with its own statistics
            for s in range(0, len(valid), a.batch):
                idx = valid[s: s + a.batch]
                correct += (net(images[idx], path).argmax(1) == labels[idx]).sum().item()
        free = sum(OPS[k] in PARAM_FREE for k in path)
        print(f"EPOCH method=gdas-torch seed={a.seed} epoch={epoch + 1} param_free_ops={free} "
              f"valid_acc={100.0 * correct / len(valid):.2f} epoch_seconds={time.perf_counter() - t0:.2f} "
              f"arch={arch_string(path)}", flush=True)
    print(f"RESULT method=gdas-torch seed={a.seed} arch={arch_string(net.derive())} "
          f"search_seconds={time.perf_counter() - start:.1f}")


if __name__ == "__main__":
    main()
