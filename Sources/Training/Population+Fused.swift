import SculptCore

/// The lane-layout copies of a population's parameters and training state that the fused path
/// (`Kernels/fused.cl`) works on, and its per-launch tables.
final class FusedBuffers<Backend: ComputeBackend> {
    let layout: FusedLayout
    let W: Backend.Floats, bias: Backend.Floats, mask: Backend.Floats, biasMask: Backend.Floats
    let m1W: Backend.Floats, m2W: Backend.Floats, m1b: Backend.Floats, m2b: Backend.Floats
    let snapW: Backend.Floats, snapB: Backend.Floats, acts: Backend.Floats, deltas: Backend.Floats
    let widths: Backend.UInts
    /// Each model's Philox key for its row orders (`RandomPurpose.shuffle`), `[P][2]`.
    let shuffleKeys: Backend.UInts
    /// Adam's bias corrections and the row orders of up to `epochsPerLaunch` epochs.
    let biasCorrections: Backend.Floats, perm: Backend.UInts
    let epochsPerLaunch: Int
    /// Row-order entries kept for the epochs of one launch (16 MiB), unless one epoch needs more.
    static var orderLimit: Int { 1 << 22 }

    init(_ pop: Population<Backend>, layout: FusedLayout) throws {
        let b = pop.backend, Pp = layout.padded(pop.P), arch = pop.arch
        let AT = pop.options.batchSize * arch.widths.reduce(0, +)
        self.layout = layout
        W = try b.makeFloats(Pp * pop.WT, label: "fused weights")
        bias = try b.makeFloats(Pp * pop.BT, label: "fused biases")
        mask = try b.makeFloats(Pp * pop.WT, label: "fused masks")
        biasMask = try b.makeFloats(Pp * pop.BT, label: "fused bias masks")
        m1W = try b.makeFloats(Pp * pop.WT, label: "fused Adam m (weights)")
        m2W = try b.makeFloats(Pp * pop.WT, label: "fused Adam v (weights)")
        m1b = try b.makeFloats(Pp * pop.BT, label: "fused Adam m (biases)")
        m2b = try b.makeFloats(Pp * pop.BT, label: "fused Adam v (biases)")
        snapW = try b.makeFloats(Pp * pop.WT, label: "fused snapshot weights")
        snapB = try b.makeFloats(Pp * pop.BT, label: "fused snapshot biases")
        acts = try b.makeFloats(Pp * AT, label: "fused activations")
        deltas = try b.makeFloats(Pp * AT, label: "fused deltas")
        widths = try b.makeUInts(arch.widths.count, label: "fused widths")
        try b.write(arch.widths.map { UInt32($0) }, to: widths, offset: 0)
        shuffleKeys = try b.makeUInts(2 * pop.P, label: "shuffle keys")
        try b.write(
            pop.models.flatMap { m -> [UInt32] in
                let k = Philox.key(seed: m.seed, purpose: .shuffle); return [k.0, k.1]
            }, to: shuffleKeys, offset: 0)
        // Row orders of several epochs at once, up to `orderLimit` of them.
        let perEpoch = pop.P * pop.data.count
        epochsPerLaunch = max(1, min(pop.options.epochs, Self.orderLimit / max(perEpoch, 1)))
        let steps = (pop.data.count + pop.options.batchSize - 1) / pop.options.batchSize
        biasCorrections = try b.makeFloats(2 * steps * epochsPerLaunch, label: "fused bias corrections")
        perm = try b.makeUInts(perEpoch * epochsPerLaunch, label: "fused row orders")
    }
}

/// The solo kernel's copies (`Kernels/fused_solo.cl`) of the few models it trains, each in a slot:
/// weights in its padded layout and its scratch. Biases train in the population's own arrays.
final class SoloBuffers<Backend: ComputeBackend> {
    let lanes: Int, slotCount: Int
    let W: Backend.Floats, mask: Backend.Floats, m1W: Backend.Floats, m2W: Backend.Floats, snapW: Backend.Floats
    let scratch: Backend.Floats
    /// Model p's slot, `[P]` (written for each training).
    let slots: Backend.UInts

    init(_ pop: Population<Backend>, lanes: Int, slotCount: Int) throws {
        let b = pop.backend, w = pop.arch.widths
        func padded(_ n: Int) -> Int { (n + lanes - 1) / lanes * lanes }
        let WS = (0..<pop.arch.depth).reduce(0) { $0 + w[$1 + 1] * padded(w[$1]) }
        let B = pop.options.batchSize
        let scratchSize = 2 * padded(B) * w.reduce(0, +) + B * w.dropLast().reduce(0) { $0 + padded($1) }
        (self.lanes, self.slotCount) = (lanes, slotCount)
        // Not cleared: the rows' padding never enters a sum, and the kernel clears Adam's moments.
        W = try b.makeFloats(slotCount * WS, label: "solo weights")
        mask = try b.makeFloats(slotCount * WS, label: "solo masks")
        m1W = try b.makeFloats(slotCount * WS, label: "solo Adam m (weights)")
        m2W = try b.makeFloats(slotCount * WS, label: "solo Adam v (weights)")
        snapW = try b.makeFloats(slotCount * WS, label: "solo snapshot weights")
        scratch = try b.makeFloats(slotCount * scratchSize, label: "solo scratch")
        slots = try b.makeUInts(pop.P, label: "solo slots")
    }
}

extension Population {
    /// Whether `train` runs on the fused path: the backend has one, every layer's product over a
    /// training batch is below `tiledThreshold` (small enough for one work-item per model; larger
    /// layers go to the tiled or library products), the network is at most `FusedLayout.maximumDepth`
    /// layers deep, and layer 0 takes no sparse route. (Steps that change masks during training,
    /// `beforeStep`, always take the per-layer launches.)
    public func usesFusedPath() throws -> Bool {
        guard backend.fusedLayout != nil, arch.depth <= FusedLayout.maximumDepth else { return false }
        guard Self.isSmall(arch: arch, batchSize: options.batchSize, threshold: tiledThreshold) else { return false }
        try refreshSparseInput()
        return sparseInput == nil
    }

    /// Whether a training of these models takes the solo kernel: few enough of them for the backend's
    /// `fusedSoloLimit`, and models in vector lanes (the layout the solo kernel replaces).
    func usesSoloKernel(active: [Bool]) -> Bool {
        guard let layout = backend.fusedLayout, layout.lanes > 1 else { return false }
        return active.filter { $0 }.count <= backend.fusedSoloLimit
    }

    /// `train` on the fused path: the same preparation, epochs and results, with whole epochs per
    /// launch (one epoch per launch with early stopping, which decides between epochs).
    func trainFused(active: [Bool], earlyStop: EarlyStop?, keepBest: Bool, onEpoch: ((Int) -> Void)?) throws -> [TrainingResult?] {
        let b = backend
        guard let layout = b.fusedLayout else { throw FusedUnavailableError(b.deviceDescription) }
        if fused?.layout != layout { fused = try FusedBuffers(self, layout: layout) }
        let f = fused!
        // The solo kernel's copies when it trains these models (nil: the lanes do).
        var solo: SoloBuffers<Backend>?
        if usesSoloKernel(active: active) {
            let trained = active.filter { $0 }.count
            if soloBuffers.map({ $0.lanes != layout.lanes || $0.slotCount < trained }) ?? true {
                soloBuffers = try SoloBuffers(self, lanes: layout.lanes, slotCount: min(P, max(trained, b.fusedSoloLimit)))
            }
            solo = soloBuffers
        }
        let N = data.count, B = options.batchSize, E = options.epochs, Pp = layout.padded(P)
        let steps = (N + B - 1) / B
        try beginTraining(active)
        if let s = solo {
            // The trained models in slots 0, 1, …; Adam's moments start afresh in the kernel's first launch.
            var next: UInt32 = 0
            try b.write(
                active.map { a -> UInt32 in
                    defer { if a { next += 1 } }
                    return a ? next : UInt32.max
                }, to: s.slots, offset: 0)
            for (src, dst) in [(W, s.W), (mask, s.mask)] {
                try b.fusedSoloConvert(P: P, depth: arch.depth, widths: f.widths, WT: WT, toSolo: true, flag: activeBuf, slots: s.slots, src: src, dst: dst)
            }
        } else {
            try b.fusedToLanes(P: P, C: WT, src: W, dst: f.W)
            try b.fusedToLanes(P: P, C: BT, src: bias, dst: f.bias)
            try b.fusedToLanes(P: P, C: WT, src: mask, dst: f.mask)
            try b.fusedToLanes(P: P, C: BT, src: biasMask, dst: f.biasMask)
            for buf in [f.m1W, f.m2W] { try b.write([Float](repeating: 0, count: Pp * WT), to: buf, offset: 0) }
            for buf in [f.m1b, f.m2b] { try b.write([Float](repeating: 0, count: Pp * BT), to: buf, offset: 0) }
        }

        var progress = EpochProgress(active: active, epochs: E)
        let perLaunch = earlyStop == nil ? f.epochsPerLaunch : 1
        var epoch = 0
        while epoch < E, progress.running.contains(true) {
            let count = min(perLaunch, E - epoch)
            try b.fusedShuffle(P: P, N: N, epoch0: epoch, epochs: count, keys: f.shuffleKeys, session: sessionBuf, active: activeBuf, perm: f.perm)
            var corrections: [Float] = []
            for t in epoch * steps..<(epoch + count) * steps {
                let (bc1, bc2) = adamBiasCorrections(step: t + 1)
                corrections += [bc1, bc2]
            }
            try b.write(corrections, to: f.biasCorrections, offset: 0)
            var launch = FusedEpochs(
                P: P, widths: f.widths, depth: arch.depth, N: N, B: B, epoch0: epoch, epochs: count, sigma: options.noise,
                dropRate: options.dropout, dropScale: 1 / (1 - options.dropout), softmax: options.loss == .softmaxCrossEntropy,
                saturate: options.bceGradient == .probabilities,
                wd: options.weightDecay, beta1: options.beta1, beta2: options.beta2, eps: options.epsilon,
                biasCorrections: f.biasCorrections, validationRows: validation.count, chunk: capacity,
                NM: Float(validation.count * unitsPerRow), ruleScale: snapshotRuleScale, keepBest: keepBest,
                data: inputs, targets: targets, perm: f.perm, validationData: valInputs, validationTargets: valTargets,
                noiseKeys: noiseKeys, dropoutKeys: dropoutKeys, session: sessionBuf, lr: lr, active: activeBuf,
                W: f.W, bias: f.bias, mask: f.mask, biasMask: f.biasMask, m1W: f.m1W, m2W: f.m2W, m1b: f.m1b, m2b: f.m2b,
                snapW: f.snapW, snapB: f.snapB, acts: f.acts, deltas: f.deltas,
                bestLoss: bestLoss, bestCorrect: bestCorrect, histLoss: histLoss, histCorrect: histCorrect)
            if let s = solo {
                (launch.W, launch.mask, launch.m1W, launch.m2W, launch.snapW) = (s.W, s.mask, s.m1W, s.m2W, s.snapW)
                (launch.bias, launch.biasMask, launch.m1b, launch.m2b, launch.snapB) = (bias, biasMask, m1b, m2b, snapB)
                (launch.acts, launch.deltas) = (s.scratch, s.scratch)
                try b.fusedSoloEpochs(launch, slots: s.slots)
            } else {
                try b.fusedEpochs(launch)
            }
            for e in epoch..<epoch + count { try endOfEpoch(e, earlyStop: earlyStop, onEpoch: onEpoch, progress: &progress) }
            epoch += count
        }
        // Every trained model ends holding its snapshot (or its last network), in the [P] layout.
        try setActive(active)
        if let s = solo {
            try b.fusedSoloConvert(
                P: P, depth: arch.depth, widths: f.widths, WT: WT, toSolo: false, flag: activeBuf, slots: s.slots, src: keepBest ? s.snapW : s.W, dst: W)
            if keepBest { try b.selectCopy(P: P, C: BT, flag: activeBuf, src: snapB, dst: bias) }
        } else {
            try b.fusedFromLanes(P: P, C: WT, flag: activeBuf, src: keepBest ? f.snapW : f.W, dst: W)
            try b.fusedFromLanes(P: P, C: BT, flag: activeBuf, src: keepBest ? f.snapB : f.bias, dst: bias)
        }
        return try results(active: active, epochsRun: progress.epochsRun, keepBest: keepBest)
    }
}
