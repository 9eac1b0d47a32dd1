import CLRuntime
import SculptCore

// The prune.cl family (see Kernels/prune.cl for shapes, layout and guards).
extension OpenCLBackend {

    public func unitScoreAccumulate(P: Int, n: Int, B: Int, Bt: Int, H: Int, hOff: Int, a: Floats, d: Floats, active: UInts, score: Floats) throws {
        try launch("unit_score_accumulate", [n, P], [.i(n), .i(B), .i(Bt), .i(H), .i(hOff), .fb(a), .fb(d), .ub(active), .fb(score)])
    }

    public func maskPruneUnits(P: Int, nIn: Int, nOut: Int, WT: Int, wOff: Int, H: Int, hIn: Int, hOut: Int, keep: Floats, active: UInts, mask: Floats) throws {
        try launch("mask_prune_units", [nIn * nOut, P], [.i(nIn), .i(nOut), .i(WT), .i(wOff), .i(H), .i(hIn), .i(hOut), .fb(keep), .ub(active), .fb(mask)])
    }

    public func selectKthAbs(P: Int, C: Int, stride: Int, offset: Int, values: Floats, rank: UInts, active: UInts, out: Floats) throws {
        guard C >= parallelSelectThreshold else {
            try launch("select_kth_abs", [P], [.i(C), .i(stride), .i(offset), .fb(values), .ub(rank), .ub(active), .fb(out)])
            return
        }
        let wg = 256
        let G = min(256, max(1, C / (wg * 64)))
        let chunk = (C + G - 1) / G
        if radixScratch == nil || radixScratch!.P != P || radixScratch!.G != G {
            radixScratch = (
                P, G, try makeUInts(P * G * 256, label: "radix histograms"), try makeUInts(P, label: "radix rank"),
                try makeUInts(P, label: "radix prefix"), try makeUInts(P, label: "radix prefix mask")
            )
        }
        let s = radixScratch!
        try queue.copy(from: rank, to: s.rank, count: P)
        try write([UInt32](repeating: 0, count: P), to: s.prefix, offset: 0)
        try write([UInt32](repeating: 0, count: P), to: s.mask, offset: 0)
        for shift in [24, 16, 8, 0] {
            try launch(
                "radix_histogram", [G * wg, P], [.i(C), .i(stride), .i(offset), .i(chunk), .i(shift), .fb(values), .ub(s.prefix), .ub(s.mask), .ub(active), .ub(s.hist)],
                local: [wg, 1])
            try launch("radix_pick", [P], [.i(G), .i(shift), .ub(s.hist), .ub(active), .ub(s.rank), .ub(s.prefix), .ub(s.mask), .fb(out)])
        }
    }

    public func maskMagnitude(P: Int, C: Int, stride: Int, offset: Int, W: Floats, lo: Floats, hi: Floats, interp: UInts, active: UInts, mask: Floats) throws {
        try launch("mask_magnitude", [C, P], [.i(C), .i(stride), .i(offset), .fb(W), .fb(lo), .fb(hi), .ub(interp), .ub(active), .fb(mask)])
    }

    public func countNonzero(P: Int, C: Int, values: Floats, count: UInts) throws {
        try launch("count_nonzero", [P], [.i(C), .fb(values), .ub(count)])
    }
}
