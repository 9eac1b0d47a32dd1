#!/usr/bin/env python3
"""Peer for sculpt-bench's `large` group: one masked MLP training step in PyTorch, true FP32.

Same work as Sculpt's step: a batch of `batch` rows through the MLP `arch` (ReLU hidden, logits out),
mean BCE on the logits, backward, Adam with coupled L2 weight decay, masks applied in the update
(W <- W*M after the step, as Sculpt does). Prints one JSON line per architecture; with no PyTorch it
prints a JSON line saying so and exits 0, so the benchmark can report the skip.

usage: torch_step.py --threads N --arch 1568,1568,...,20 --batch 256 [--arch ... --batch ...] [--steps 10]
"""
import argparse, json, statistics, sys, time

p = argparse.ArgumentParser()
p.add_argument("--threads", type=int, default=2)
p.add_argument("--arch", action="append", required=True)
p.add_argument("--batch", action="append", type=int, required=True)
p.add_argument("--steps", type=int, default=10)
p.add_argument("--density", type=float, default=1.0)
a = p.parse_args()

try:
    import torch
except ImportError as e:
    print(json.dumps({"peer": "pytorch", "skipped": f"PyTorch is not installed ({e})"}))
    sys.exit(0)

torch.set_num_threads(a.threads)
torch.backends.mkldnn.allow_tf32 = False  # true FP32 everywhere
torch.manual_seed(0)

for arch_text, batch in zip(a.arch, a.batch):
    arch = [int(x) for x in arch_text.split(",")]
    layers = [torch.nn.Linear(arch[i], arch[i + 1]) for i in range(len(arch) - 1)]
    masks = [(torch.rand_like(l.weight) < a.density).float() for l in layers]
    with torch.no_grad():
        for l, m in zip(layers, masks):
            l.weight.mul_(m)
    params = [q for l in layers for q in l.parameters()]
    opt = torch.optim.Adam(params, lr=1e-3, weight_decay=1e-4)
    x = torch.rand(batch, arch[0])
    y = (torch.rand(batch, arch[-1]) < 0.5).float()
    loss_fn = torch.nn.BCEWithLogitsLoss()

    def step():
        opt.zero_grad(set_to_none=True)
        h = x
        for i, l in enumerate(layers):
            h = l(h)
            if i < len(layers) - 1:
                h = torch.relu(h)
        loss = loss_fn(h, y)
        loss.backward()
        opt.step()
        with torch.no_grad():
            for l, m in zip(layers, masks):
                l.weight.mul_(m)
        return loss.item()

    for _ in range(3):
        step()
    times = []
    for _ in range(a.steps):
        t0 = time.perf_counter()
        step()
        times.append(time.perf_counter() - t0)
    wt = sum(arch[i] * arch[i + 1] for i in range(len(arch) - 1))
    flops = 2 * batch * wt * 2 + 2 * batch * (wt - arch[0] * arch[1])
    med = statistics.median(times)
    print(json.dumps({"peer": "pytorch", "version": torch.__version__, "threads": a.threads, "arch": arch, "batch": batch,
                      "seconds_median": med, "gflops": flops / med / 1e9, "steps": a.steps}))
