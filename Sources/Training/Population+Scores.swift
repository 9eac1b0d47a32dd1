import SculptCore

extension Population {
    /// Offset of hidden layer `l` (1…L−1) in per-model unit arrays `[H]`.
    public func hiddenOffset(_ l: Int) -> Int { arch.widths[1..<l].reduce(0, +) }

    /// Unit scores of docs/method.md §3.1–3.2 for the models with `active[p]`: `S_u = mean_s |a_u(s) · ∂ℓ_s/∂a_u(s)|`
    /// over the clean validation rows, `ℓ_s` the sample's mean BCE over the outputs (its cross-entropy
    /// with softmax; no dropout here). Computed in
    /// batched passes: the per-sample gradient is exact in a batched backward pass once the batch
    /// mean's 1/B is left out (dz scaled by 1/m only). Pruned units score exactly 0.
    /// - Returns: `[P][H]`, rows of inactive models all zero.
    public func unitScores(active: [Bool]) throws -> [[Float]] {
        let H = arch.hiddenUnits, L = arch.depth, N = validation.count, m = arch.outputs, n0 = arch.inputs
        guard H > 0 else { return Array(repeating: [], count: P) }
        try setActive(active)
        try refreshSparseInput()
        try backend.write([Float](repeating: 0, count: P * H), to: scores, offset: 0)
        for start in stride(from: 0, to: N, by: capacity) {
            let rows = min(capacity, N - start)
            try forward(rows: rows, input: valInputs, inStride: 0, inOff: start * n0)
            try lossGrad(rows: rows, perSample: true, y: valTargets, yStride: 0, yOff: start * m)
            for l in stride(from: L - 1, through: 1, by: -1) {
                let nIn = arch.widths[l]
                try backwardData(l, rows: rows)
                try backend.unitScoreAccumulate(
                    P: P, n: nIn, B: capacity, Bt: rows, H: H, hOff: hiddenOffset(l),
                    a: acts[l], d: deltas[l], active: activeBuf, score: scores)
            }
        }
        let flat = try backend.read(scores, offset: 0, count: P * H)
        return (0..<P).map { p in active[p] ? flat[p * H..<(p + 1) * H].map { $0 / Float(N) } : [Float](repeating: 0, count: H) }
    }
}
