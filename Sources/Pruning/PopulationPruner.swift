import SculptCore
import Training

/// Device-side pruning of a population: unit masks from scores, global magnitude masks from an
/// on-device selection, and the last accepted network of every model (weights, biases, masks) to
/// revert to. Masks stay on the device; only per-model numbers (scores for units, counts) come back.
public final class PopulationPruner<Backend: ComputeBackend> {
    public let pop: Population<Backend>
    let accW: Backend.Floats, accB: Backend.Floats, accM: Backend.Floats
    let flags: Backend.UInts, keep: Backend.Floats
    let ranks: Backend.UInts, lo: Backend.Floats, hi: Backend.Floats, interp: Backend.UInts, counts: Backend.UInts

    /// Where the population's units sit in the original network when it has been compacted: unit and
    /// edge percentiles are then taken over the original network (the dropped units and weights are
    /// zeros), so decisions equal those of the uncompacted population.
    public let unitMap: UnitMap?

    /// The training rows (original input columns) that `EdgeNormalization.spread` measures each
    /// source's spread on; required for that ranking only.
    public var spreadData: Dataset?

    public init(population pop: Population<Backend>, unitMap: UnitMap? = nil) throws {
        self.pop = pop
        self.unitMap = unitMap
        let b = pop.backend, P = pop.P
        accW = try b.makeFloats(P * pop.WT, label: "accepted weights")
        accB = try b.makeFloats(P * pop.BT, label: "accepted biases")
        accM = try b.makeFloats(P * pop.WT, label: "accepted masks")
        flags = try b.makeUInts(P, label: "pruning flags")
        keep = try b.makeFloats(max(1, P * pop.arch.hiddenUnits), label: "kept units")
        ranks = try b.makeUInts(P, label: "ranks")
        lo = try b.makeFloats(P, label: "order statistic lo")
        hi = try b.makeFloats(P, label: "order statistic hi")
        interp = try b.makeUInts(P, label: "interpolated")
        counts = try b.makeUInts(P, label: "edge counts")
    }

    func setFlags(_ models: [Bool]) throws {
        try pop.backend.write(models.map { $0 ? 1 : 0 }, to: flags, offset: 0)
    }

    /// The current network of each selected model becomes its last accepted one.
    public func accept(_ models: [Bool]) throws {
        try setFlags(models)
        let b = pop.backend, P = pop.P
        try b.selectCopy(P: P, C: pop.WT, flag: flags, src: pop.W, dst: accW)
        try b.selectCopy(P: P, C: pop.BT, flag: flags, src: pop.bias, dst: accB)
        try b.selectCopy(P: P, C: pop.WT, flag: flags, src: pop.mask, dst: accM)
    }

    /// Each selected model goes back to its last accepted network and masks.
    public func revert(_ models: [Bool]) throws {
        try setFlags(models)
        let b = pop.backend, P = pop.P
        try b.selectCopy(P: P, C: pop.WT, flag: flags, src: accW, dst: pop.W)
        try b.selectCopy(P: P, C: pop.BT, flag: flags, src: accB, dst: pop.bias)
        try b.selectCopy(P: P, C: pop.WT, flag: flags, src: accM, dst: pop.mask)
        try pop.deriveBiasMasks()
    }

    /// Unit pruning (docs/method.md §3.1–3.2) of the selected models to their cumulative `targets` (percent of hidden
    /// units): scores on the device, the global percentile rule on the host (H numbers per model),
    /// then the removed units' incoming rows and outgoing columns are masked on the device.
    /// - Returns: hidden units left per model (nil for models not pruned).
    public func pruneUnits(_ models: [Bool], targets: [Double]) throws -> [Int?] {
        let arch = pop.arch, H = arch.hiddenUnits, P = pop.P
        let scores = try pop.unitScores(active: models)
        var keepFlat = [Float](repeating: 1, count: P * H)
        var left: [Int?] = Array(repeating: nil, count: P)
        for p in 0..<P where models[p] {
            let original = unitMap.map { $0.expand(hidden: scores[p], model: p) } ?? scores[p]
            let surviveOriginal = Percentile.survivors(original, percent: targets[p])
            let survive = unitMap.map { $0.compact(hidden: surviveOriginal, model: p) } ?? surviveOriginal
            for u in 0..<H { keepFlat[p * H + u] = survive[u] ? 1 : 0 }
            left[p] = surviveOriginal.filter { $0 }.count
        }
        try pop.backend.write(keepFlat, to: keep, offset: 0)
        try pop.setActive(models)
        for l in 0..<arch.depth {
            let (nOut, nIn) = arch.shape(l)
            try pop.backend.maskPruneUnits(
                P: P, nIn: nIn, nOut: nOut, WT: pop.WT, wOff: arch.weightOffset(l), H: H,
                hIn: l == 0 ? -1 : pop.hiddenOffset(l), hOut: l == arch.depth - 1 ? -1 : pop.hiddenOffset(l + 1),
                keep: keep, active: pop.activeBuf, mask: pop.mask)
        }
        try pop.deriveBiasMasks()
        try pop.applyMasks()
        return left
    }

    /// Global magnitude pruning (docs/method.md §4) of the selected models to `targets` (percent of all weights,
    /// pruned zeros included): the order statistics around the percentile are selected on the device
    /// and the mask `|W| > θ` is applied there; no weights leave the device.
    public func pruneEdges(_ models: [Bool], targets: [Double], normalization: EdgeNormalization = .none) throws {
        if normalization == .mean { return try pruneEdgesLayerMean(models, targets: targets) }
        if normalization == .spread { return try pruneEdgesBySpread(models, targets: targets) }
        let P = pop.P, C = pop.WT, b = pop.backend
        // Over the original network: its D dropped weights are zeros, the smallest magnitudes, so its
        // r-th smallest |w| is 0 for r < D and the compact population's (r − D)-th otherwise.
        let D = unitMap?.droppedWeights ?? 0
        var rLo = [UInt32](repeating: 0, count: P), rHi = rLo, fr = rLo, zeroLo = [Bool](repeating: false, count: P), zeroHi = zeroLo
        for p in 0..<P where models[p] {
            let pos = Percentile.position(percent: targets[p], count: C + D)
            (zeroLo[p], zeroHi[p]) = (pos.lo < D, pos.hi < D)
            rLo[p] = UInt32(max(pos.lo - D, 0)); rHi[p] = UInt32(max(pos.hi - D, 0)); fr[p] = pos.t > 0 ? 1 : 0
        }
        try pop.setActive(models)
        try b.write(rLo, to: ranks, offset: 0)
        try b.selectKthAbs(P: P, C: C, values: pop.W, rank: ranks, active: pop.activeBuf, out: lo)
        try b.write(rHi, to: ranks, offset: 0)
        try b.selectKthAbs(P: P, C: C, values: pop.W, rank: ranks, active: pop.activeBuf, out: hi)
        for (flags, buffer) in [(zeroLo, lo), (zeroHi, hi)] where flags.contains(true) {
            var v = try b.read(buffer, offset: 0, count: P)
            for p in 0..<P where flags[p] { v[p] = 0 }
            try b.write(v, to: buffer, offset: 0)
        }
        try b.write(fr, to: interp, offset: 0)
        try b.maskMagnitude(P: P, C: C, W: pop.W, lo: lo, hi: hi, interp: interp, active: pop.activeBuf, mask: pop.mask)
        try pop.deriveBiasMasks()
        try pop.applyMasks()
    }

    /// Edge pruning with `EdgeNormalization.mean`: the per-layer thresholds are chosen on the host
    /// from each selected model's weights (one read of WT floats per model and step; the ranking needs
    /// every layer's mean first), then each layer is masked on the device with `|w| > θ·s_l`.
    func pruneEdgesLayerMean(_ models: [Bool], targets: [Double]) throws {
        let arch = pop.arch, P = pop.P, b = pop.backend
        func ranges(_ a: Architecture) -> [Range<Int>] {
            (0..<a.depth).map { l in a.weightOffset(l)..<a.weightOffset(l) + a.widths[l] * a.widths[l + 1] }
        }
        let layers = ranges(arch)
        var thresholds = [[Float]](repeating: [Float](repeating: 0, count: arch.depth), count: P)
        for p in 0..<P where models[p] {
            // Thresholds are per layer, so the original layout (compact weights expanded) gives them exactly.
            let w = try pop.weights(of: p)
            thresholds[p] =
                if let m = unitMap {
                    EdgeNormalization.meanThresholds(weights: m.expand(weights: w, model: p), layers: ranges(m.original), percent: targets[p])
                } else {
                    EdgeNormalization.meanThresholds(weights: w, layers: layers, percent: targets[p])
                }
        }
        try pop.setActive(models)
        try b.write([UInt32](repeating: 0, count: P), to: interp, offset: 0)
        for (l, r) in layers.enumerated() {
            try b.write(thresholds.map { $0[l] }, to: lo, offset: 0)
            try b.maskMagnitude(
                P: P, C: r.count, stride: pop.WT, offset: r.lowerBound, W: pop.W, lo: lo, hi: lo, interp: interp,
                active: pop.activeBuf, mask: pop.mask)
        }
        try pop.deriveBiasMasks()
        try pop.applyMasks()
    }

    /// Edge pruning with `EdgeNormalization.spread`, on the host: each selected model's network is run
    /// over `spreadData` in the original layout for its sources' σ, every weight is scored `|w| · σ`, and
    /// a weight survives iff its score is above the `target` percentile of all scores (the original
    /// network's dropped weights count as zeros). Pruned weights score 0, so masks stay nested.
    func pruneEdgesBySpread(_ models: [Bool], targets: [Double]) throws {
        guard let data = spreadData else {
            throw TrainingConfigError("edge ranking 'spread' needs the training rows (PopulationPruner.spreadData); none were given")
        }
        let arch = pop.arch, WT = pop.WT, D = unitMap?.droppedWeights ?? 0
        for p in 0..<pop.P where models[p] {
            let w = try pop.weights(of: p), b = try pop.biases(of: p)
            let sigma = ActivationSpread.standardDeviations(
                arch: unitMap?.original ?? arch, weights: unitMap?.expand(weights: w, model: p) ?? w,
                biases: unitMap?.expand(biases: b, model: p) ?? b, data: data)
            let columns = (0..<arch.depth).map { l in unitMap?.layerMaps(l, model: p).columns ?? Array(0..<arch.widths[l]) }
            var scores = ActivationSpread.scores(arch: arch, weights: w) { l, i in sigma[l][columns[l][i]] }
            scores += [Double](repeating: 0, count: D)
            let theta = Percentile.value(scores, percent: targets[p])
            var mask = try pop.masks(of: p)
            for k in 0..<WT where !(scores[k] > theta) { mask[k] = 0 }
            try pop.backend.write(mask, to: pop.mask, offset: p * WT)
        }
        try pop.deriveBiasMasks()
        try pop.setActive(models)
        try pop.applyMasks()
    }

    /// Magnitude pruning of a range of every selected model's weights, on the device: the `count`
    /// smallest |w| of `W[p][offset ..< offset + length]` are masked, and so is every weight tied with
    /// the largest of them (rule: `|w| > θ` survives, θ = the `(count − 1)`-th smallest |w|; pruned
    /// weights are 0, so they are among the smallest and masks stay nested). `count ≤ 0` prunes
    /// nothing. Bias masks are not re-derived here; see `pruneToSparsity`.
    public func pruneSmallest(_ models: [Bool], offset: Int, length: Int, count: Int) throws {
        precondition(offset >= 0 && length >= 1 && offset + length <= pop.WT, "range \(offset)+\(length) outside the \(pop.WT) weights")
        precondition(count < length, "cannot prune \(count) of \(length) weights")
        guard count > 0 else { return }
        let P = pop.P, b = pop.backend
        try pop.setActive(models)
        try b.write([UInt32](repeating: UInt32(count - 1), count: P), to: ranks, offset: 0)
        try b.write([UInt32](repeating: 0, count: P), to: interp, offset: 0)
        try b.selectKthAbs(P: P, C: length, stride: pop.WT, offset: offset, values: pop.W, rank: ranks, active: pop.activeBuf, out: lo)
        try b.maskMagnitude(
            P: P, C: length, stride: pop.WT, offset: offset, W: pop.W, lo: lo, hi: lo, interp: interp,
            active: pop.activeBuf, mask: pop.mask)
    }

    /// Magnitude pruning of the selected models to `sparsity` (a fraction of weights): per weight
    /// layer (`.layer`: ⌊s·n_in·n_out⌋ smallest of each layer, output layer included) or over all the
    /// model's weights (`.global`: ⌊s·WT⌋ smallest), ties at the threshold pruned too (`pruneSmallest`);
    /// then bias masks are re-derived and masked parameters zeroed.
    public func pruneToSparsity(_ models: [Bool], sparsity: Double, scope: GradualPruning.Scope) throws {
        let arch = pop.arch
        switch scope {
        case .layer:
            for l in 0..<arch.depth {
                let n = arch.widths[l] * arch.widths[l + 1]
                try pruneSmallest(models, offset: arch.weightOffset(l), length: n, count: GradualPruning.pruneCount(sparsity, of: n))
            }
        case .global:
            try pruneSmallest(models, offset: 0, length: pop.WT, count: GradualPruning.pruneCount(sparsity, of: pop.WT))
        }
        try pop.setActive(models)
        try pop.deriveBiasMasks()
        try pop.applyMasks()
    }

    /// Surviving edges of every model's current masks.
    public func edgeCounts() throws -> [Int] {
        try pop.backend.countNonzero(P: pop.P, C: pop.WT, values: pop.mask, count: counts)
        return try pop.backend.read(counts, offset: 0, count: pop.P).map { Int($0) }
    }
}
