import SculptCore

/// Layer 0 of the models whose first layer is sparse enough runs on `Kernels/sparse.cl`: only the
/// inputs its live weights read are gathered, and only its live weights are multiplied. The
/// choice is each model's own (its live weights padded to its longest row, n1 · K, against
/// `sparseInputCrossover` times the inputs n0), so a model's numbers never depend on its neighbours; and the route gives the numbers of
/// `Kernels/dense.cl` (the products it skips are exact zeros), within rounding of the tiled and
/// library products of large layers.
public struct SparseInputRoute<Floats, UInts> {
    /// `[P][U]` per model, the input columns its live layer-0 weights read (its slots), 0xFFFFFFFF-terminated.
    let inputs: UInts
    /// `[P][n1][K]` per model and unit, the input column and the slot of each live weight, 0xFFFFFFFF-terminated.
    let cols: UInts, slots: UInts
    /// The longest row, and the most slots, over the sparse models.
    public let K: Int, U: Int
    /// `[P][capacity][U]`: the gathered slots of the rows in use.
    let xs: Floats
    /// Which models take the sparse route.
    public let models: [Bool]
    /// `active` ∧ sparse, and `active` ∧ dense, as device flags.
    let sparseActive: UInts, denseActive: UInts
}

extension Population {
    /// Rebuilds the sparse route of layer 0 from the current masks (called by `train`,
    /// `validationMetrics`, `unitScores` and the public `forward`, as masks change between them).
    public func refreshSparseInput() throws {
        let crossover = backend.sparseInputCrossover
        let n0 = arch.inputs, n1 = arch.widths[1]
        guard crossover > 0, n0 * n1 >= sparseInputMinimumWeights else { sparseInput = nil; return }
        // One model's layer-0 masks at a time, and column lists only for the models that go sparse
        // (small by definition), so a wide population never holds all its masks on the host.
        var rows: [[[UInt32]]] = []
        var sparse = [Bool](repeating: false, count: P)
        for p in 0..<P {
            let m = try backend.read(mask, offset: p * WT, count: n0 * n1)
            var longest = 0
            for j in 0..<n1 { longest = max(longest, m[(j * n0)..<((j + 1) * n0)].reduce(0) { $0 + ($1 != 0 ? 1 : 0) }) }
            sparse[p] = Double(n1 * longest) <= crossover * Double(n0)
            rows.append(
                sparse[p] ? (0..<n1).map { j in (0..<n0).compactMap { i in m[j * n0 + i] != 0 ? UInt32(i) : nil } } : [])
        }
        guard sparse.contains(true) else { sparseInput = nil; return }
        let chosen = (0..<P).filter { sparse[$0] }
        // Per sparse model, the columns any live weight reads (its slots) and each weight's slot.
        let used = chosen.map { p in Array(Set(rows[p].joined())).sorted() }
        let K = max(1, chosen.map { rows[$0].map(\.count).max() ?? 0 }.max() ?? 0)
        let U = max(1, used.map(\.count).max() ?? 0)
        var inputs = [UInt32](repeating: .max, count: P * U)
        var cols = [UInt32](repeating: .max, count: P * n1 * K), slots = cols
        for (q, p) in chosen.enumerated() {
            inputs.replaceSubrange(p * U..<p * U + used[q].count, with: used[q])
            let slot = Dictionary(uniqueKeysWithValues: used[q].enumerated().map { ($1, UInt32($0)) })
            for (j, row) in rows[p].enumerated() {
                let at = (p * n1 + j) * K
                cols.replaceSubrange(at..<at + row.count, with: row)
                slots.replaceSubrange(at..<at + row.count, with: row.map { slot[$0]! })
            }
        }
        func upload(_ values: [UInt32], _ label: String) throws -> Backend.UInts {
            let buf = try backend.makeUInts(values.count, label: label)
            try backend.write(values, to: buf, offset: 0)
            return buf
        }
        let reuse = sparseInput
        sparseInput = SparseInputRoute(
            inputs: try upload(inputs, "sparse layer-0 inputs"), cols: try upload(cols, "sparse layer-0 columns"),
            slots: try upload(slots, "sparse layer-0 slots"), K: K, U: U,
            xs: try reuse.flatMap { $0.U == U ? $0.xs : nil } ?? backend.makeFloats(P * capacity * U, label: "sparse layer-0 batch"),
            models: sparse,
            sparseActive: try reuse?.sparseActive ?? backend.makeUInts(P, label: "active (sparse layer 0)"),
            denseActive: try reuse?.denseActive ?? backend.makeUInts(P, label: "active (dense layer 0)"))
        try writeLayer0Active()
    }

    /// Splits the current active flags between layer 0's two routes.
    func writeLayer0Active() throws {
        guard let s = sparseInput else { return }
        try backend.write((0..<P).map { activeFlags[$0] && s.models[$0] ? 1 : 0 }, to: s.sparseActive, offset: 0)
        try backend.write((0..<P).map { activeFlags[$0] && !s.models[$0] ? 1 : 0 }, to: s.denseActive, offset: 0)
    }

    /// Whether any active model takes each route of layer 0.
    var layer0Routes: (dense: Bool, sparse: Bool) {
        guard let s = sparseInput else { return (activeFlags.contains(true), false) }
        return (
            (0..<P).contains { activeFlags[$0] && !s.models[$0] }, (0..<P).contains { activeFlags[$0] && s.models[$0] }
        )
    }

    /// The active flags of layer 0's dense route.
    var denseLayer0Active: Backend.UInts { sparseInput?.denseActive ?? activeBuf }
}

extension Population {
    /// Layer 0 of the sparse models: gathers their slots of the rows (from the training batch or from
    /// `input`) and runs the forward pass into `acts[1]`.
    func sparseLayer0Forward(
        rows: Int, source: Layer0Source, input: Backend.Floats, inStride: Int, inOff: Int, route s: SparseInputRoute<Backend.Floats, Backend.UInts>
    ) throws {
        let n0 = arch.inputs, n1 = arch.widths[1]
        var (start, epoch, usePerm, sigma, x) = (0, 0, false, Float(0), input)
        if case .batch(let st, let e) = source { (start, epoch, usePerm, sigma, x) = (st, e, true, options.noise, inputs) }
        try backend.sparseInputGather(
            P: P, n0: n0, U: s.U, N: data.count, B: capacity, Bt: rows, start: start, epoch: epoch, sigma: sigma, usePerm: usePerm,
            inStride: inStride, inOff: inOff, input: x, perm: perm, keys: noiseKeys, session: sessionBuf, inputs: s.inputs,
            active: s.sparseActive, xs: s.xs)
        try backend.sparseInputForward(
            P: P, n0: n0, nOut: n1, K: s.K, U: s.U, B: capacity, Bt: rows, WT: WT, wOff: 0, BT: BT, bOff: 0, relu: arch.depth > 1,
            xs: s.xs, cols: s.cols, slots: s.slots, W: W, bias: bias, active: s.sparseActive, out: acts[1])
    }

    /// Layer 0's weight and bias gradients of the sparse models, from the slots their forward pass gathered.
    func sparseLayer0Backward(rows: Int, route s: SparseInputRoute<Backend.Floats, Backend.UInts>) throws {
        let n0 = arch.inputs, n1 = arch.widths[1]
        try backend.sparseInputBackwardWeights(
            P: P, n0: n0, nOut: n1, K: s.K, U: s.U, B: capacity, Bt: rows, WT: WT, wOff: 0,
            xs: s.xs, cols: s.cols, slots: s.slots, dOut: deltas[1], active: s.sparseActive, gW: gW)
        try backend.biasGrad(P: P, nOut: n1, B: capacity, Bt: rows, BT: BT, bOff: 0, dOut: deltas[1], active: s.sparseActive, gb: gb)
    }
}
