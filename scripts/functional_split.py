#!/usr/bin/env python3
"""Are a pruned two-digit network's modules there in function, if not in its masks?

For each model directory of a `sculpt run` on `mnist-pairs` or `mnist-xor` (it reads `masks.json` and
`weights.json`), this script

1. builds balanced image pairs from MNIST's test images (`--pairs-per-class` of each class; its own
   draw, not Sculpt's test split) and runs the network on them in float32;
2. asks of every live hidden unit which digit its activation depends on: the share of its variance
   explained by the left digit's label and by the right one's (eta squared); a unit "depends on" a digit
   when that share is at least `--eta` (default 0.02, i.e. 2 % of its variance);
3. cuts every edge between the two digits' sides and measures test accuracy again, without retraining:
   * `mnist-pairs`: every hidden unit goes to the side whose digit explains more of it, pixels and
     outputs to their own half;
   * `mnist-xor`: only pixels and one-digit units have a side (deeper units must combine both digits);
     then, in the output layer, each unit keeps only its largest edge, so each output gets its own
     units, and the output layer is refitted on the kept edges (logistic regression on training-image
     pairs) to see whether those units carry the bit;
4. writes the cut masks as `OUT/<run>-<model>-split.masks.json`, for `sculpt analyze`.

Needs numpy. Usage:
    python3 scripts/functional_split.py --data DIR [--out DIR] RUN/models/ID...
See docs/vision.md ("In function the modules are there") for what it found.
"""
import argparse
import gzip
import json
import os
import sys

import numpy as np


def read_idx(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        raw = f.read()
    if raw[2] != 8 or raw[3] not in (1, 3):
        sys.exit(f"error: {path} is not an IDX file of bytes")
    if raw[3] == 3:
        n, r, c = (int.from_bytes(raw[4 + 4 * k : 8 + 4 * k], "big") for k in range(3))
        return np.frombuffer(raw, np.uint8, offset=16).reshape(n, r * c)
    return np.frombuffer(raw, np.uint8, offset=8)


def find(data, stem):
    for name in (stem, stem + ".gz"):
        if os.path.exists(os.path.join(data, name)):
            return os.path.join(data, name)
    sys.exit(f"error: {data} has no {stem}[.gz]")


def make_pairs(images, labels, digits, per_class, seed):
    """Canvas rows of 28 left pixels then 28 right pixels, as Sculpt's vision tasks lay them out."""
    rng = np.random.default_rng(seed)
    pools = [np.flatnonzero(labels == d) for d in range(digits)]
    xs, left, right = [], [], []
    for a in range(digits):
        for b in range(digits):
            la = images[rng.choice(pools[a], per_class)].reshape(-1, 28, 28)
            rb = images[rng.choice(pools[b], per_class)].reshape(-1, 28, 28)
            xs.append(np.concatenate([la, rb], axis=2).reshape(per_class, 1568))
            left += [a] * per_class
            right += [b] * per_class
    return np.concatenate(xs).astype(np.float32) / 255, np.array(left), np.array(right)


def xor_bits(a, b):
    v = a ^ b
    return np.stack([(v >> 2) & 1, (v >> 1) & 1, v & 1], axis=1)


def forward(weights, biases, x):
    """Activations of every layer (inputs first); ReLU hidden layers, output logits."""
    acts = [x]
    for l, (w, b) in enumerate(zip(weights, biases)):
        z = acts[-1] @ w.T + b
        acts.append(np.maximum(z, 0) if l < len(weights) - 1 else z)
    return acts


def eta_squared(h, groups, k):
    total = ((h - h.mean()) ** 2).sum()
    if total == 0:
        return 0.0
    between = sum((groups == g).sum() * (h[groups == g].mean() - h.mean()) ** 2 for g in range(k) if (groups == g).any())
    return between / total


def logistic_fit(x, y, l2=1e-3, steps=50):
    """Logistic regression by Newton's method (few features): weights with the bias last."""
    xb = np.hstack([x, np.ones((len(x), 1))]).astype(np.float64)
    w = np.zeros(xb.shape[1])
    for _ in range(steps):
        p = 1 / (1 + np.exp(-np.clip(xb @ w, -30, 30)))
        grad = xb.T @ (p - y) + l2 * w
        hess = (xb * (p * (1 - p))[:, None]).T @ xb + l2 * np.eye(len(w))
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


def logistic_accuracy(w, x, y):
    xb = np.hstack([x, np.ones((len(x), 1))])
    return float(((xb @ w > 0) == y).mean())


def load_model(directory):
    masks = json.load(open(os.path.join(directory, "masks.json")))
    record = json.load(open(os.path.join(directory, "weights.json")))
    arch = record["arch"]
    weights = [np.array(w, np.float32).reshape(arch[l + 1], arch[l]) for l, w in enumerate(record["weights"])]
    biases = [np.array(b, np.float32) for b in record["biases"]]
    return masks, arch, weights, biases


def unit_sides(acts, arch, left, right, digits, eta):
    """Per hidden layer: 'L', 'R', 'B' (both) or '-' (neither) per unit, and the two eta squared."""
    sides, shares = [], []
    for l in range(1, len(arch) - 1):
        el = np.array([eta_squared(acts[l][:, u], left, digits) for u in range(arch[l])])
        er = np.array([eta_squared(acts[l][:, u], right, digits) for u in range(arch[l])])
        s = np.full(arch[l], "-")
        s[(el >= eta) & (er < eta)] = "L"
        s[(er >= eta) & (el < eta)] = "R"
        s[(el >= eta) & (er >= eta)] = "B"
        sides.append(s)
        shares.append((el, er))
    return sides, shares


def live_units(weights, l):
    """Hidden layer l (1-based): units with an incoming and an outgoing edge."""
    return (np.abs(weights[l - 1]).sum(1) > 0) & (np.abs(weights[l]).sum(0) > 0)


def write_split(masks, cut_weights, path):
    for l, layer in enumerate(masks["layers"]):
        keep = [k for k, (src, dst) in enumerate(layer["edges"]) if cut_weights[l][dst, src] != 0]
        layer["edges"] = [layer["edges"][k] for k in keep]
        if "weights" in layer:
            layer["weights"] = [layer["weights"][k] for k in keep]
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(masks, f, sort_keys=True)
    os.replace(tmp, path)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("models", nargs="+", help="model directories (masks.json, weights.json)")
    ap.add_argument("--data", required=True, help="folder with the four MNIST files")
    ap.add_argument("--out", default="split", help="where to write the cut masks (default: ./split)")
    ap.add_argument("--pairs-per-class", type=int, default=100)
    ap.add_argument("--eta", type=float, default=0.02)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    test_x = read_idx(find(args.data, "t10k-images-idx3-ubyte"))
    test_y = read_idx(find(args.data, "t10k-labels-idx1-ubyte"))
    train_x = read_idx(find(args.data, "train-images-idx3-ubyte"))[:50000]
    train_y = read_idx(find(args.data, "train-labels-idx1-ubyte"))[:50000]
    pixel_side = np.where(np.arange(1568) % 56 < 28, "L", "R")
    for directory in args.models:
        masks, arch, weights, biases = load_model(directory)
        task = masks.get("task")
        if task not in ("mnist-pairs", "mnist-xor") or arch[0] != 1568:
            sys.exit(f"error: {directory}: task {task!r} with {arch[0]} inputs is not a two-digit MNIST task")
        digits = 10 if task == "mnist-pairs" else 8
        x, left, right = make_pairs(test_x, test_y, digits, args.pairs_per_class, args.seed)
        acts = forward(weights, biases, x)
        sides, shares = unit_sides(acts, arch, left, right, digits, args.eta)
        name = "-".join(os.path.normpath(directory).split(os.sep)[-3::2])
        print(f"== {name} ({task}, {sum(int((w != 0).sum()) for w in weights)} edges)")
        for l, s in enumerate(sides, start=1):
            live = live_units(weights, l)
            print(f"  hidden layer {l}: {int(live.sum())} live units; depend on the left digit only "
                  f"{int((live & (s == 'L')).sum())}, right only {int((live & (s == 'R')).sum())}, "
                  f"both {int((live & (s == 'B')).sum())}")
        cut = [w.copy() for w in weights]
        if task == "mnist-pairs":
            per_side = [pixel_side] + [np.where(el >= er, "L", "R") for el, er in shares] + [np.where(np.arange(20) < 10, "L", "R")]
        else:
            per_side = [pixel_side] + [np.where(np.isin(s, ["L", "R"]), s, "-") for s in sides] + [np.full(3, "-")]
        counts = []
        for l, w in enumerate(cut):
            src, dst = per_side[l][None, :], per_side[l + 1][:, None]
            across = (src != "-") & (dst != "-") & (src != dst) & (w != 0)
            w[across] = 0
            counts.append(int(across.sum()))
        after = forward(cut, biases, x)[-1]
        if task == "mnist-pairs":
            def digits_right(o):
                return (o[:, :10].argmax(1) == left).mean() * 100, (o[:, 10:].argmax(1) == right).mean() * 100
            b, a = digits_right(acts[-1]), digits_right(after)
            print(f"  cut between the sides, per weight layer: {counts}; test digits right, left/right: "
                  f"{b[0]:.1f}/{b[1]:.1f} % -> {a[0]:.1f}/{a[1]:.1f} % (no retraining)")
        else:
            y = xor_bits(left, right)
            before = ((acts[-1] > 0) == y).mean() * 100
            mid = ((after > 0) == y).mean() * 100
            last = cut[-1]
            shared = 0
            for u in np.flatnonzero(np.abs(last).sum(0) > 0):
                k = np.argmax(np.abs(last[:, u]))
                for o in range(3):
                    if o != k and last[o, u] != 0:
                        last[o, u] = 0
                        shared += 1
            final = forward(cut, biases, x)
            end = ((final[-1] > 0) == y).mean() * 100
            rx, rl, rr = make_pairs(train_x, train_y, digits, args.pairs_per_class, args.seed + 1)
            hidden_train = forward(cut, biases, rx)[-2]
            ry = xor_bits(rl, rr)
            refit = []
            for o in range(3):
                g = np.flatnonzero(last[o] != 0)
                w = logistic_fit(hidden_train[:, g], ry[:, o])
                refit.append(logistic_accuracy(w, final[-2][:, g], y[:, o]))
            print(f"  cut between one-digit sides, per weight layer: {counts[:-1]}; test per bit {before:.2f} % -> {mid:.2f} %")
            print(f"  then each last-layer unit keeps only its largest edge ({shared} edges cut): {end:.2f} %; "
                  f"output layer refitted on the kept edges: {np.mean(refit) * 100:.2f} % (no other retraining)")
        path = os.path.join(args.out, f"{name}-split.masks.json")
        write_split(masks, cut, path)
        print(f"  wrote {path}")


if __name__ == "__main__":
    main()
