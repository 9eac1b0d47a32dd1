import SculptCore

/// P masked MLPs of one architecture, trained in lock-step by the same launches on one backend
/// (docs/layout.md "Conventions"). Each model has its own seed, learning rate, weights, masks, Adam state, data
/// order, input noise and best-epoch snapshot; a model's numbers do not depend on the others.
///
/// Device state (docs/layout.md "Conventions"): weights `[P][WT]` (layers concatenated, each `[n_out][n_in]`),
/// biases `[P][BT]`, masks like weights (0/1 floats), bias masks like biases (derived from the masks).
public final class Population<Backend: ComputeBackend> {
    public let backend: Backend
    public let arch: Architecture
    /// The training rows (shuffled, noisy mini-batches).
    public let data: Dataset
    /// The clean rows that validation, the best-epoch snapshot and unit scores use: the training
    /// table itself for Boolean tasks (docs/method.md §1.3), a held-out split for real data.
    public let validation: Dataset
    public let options: TrainingOptions
    public let models: [ModelSpec]

    public var P: Int { models.count }
    public let WT: Int, BT: Int
    /// Rows per activation buffer: the batch size, or more for validation chunks.
    public let capacity: Int

    // Shared data: training rows, and validation rows (the same buffers when they are the same set).
    public let inputs: Backend.Floats, targets: Backend.Floats
    public let valInputs: Backend.Floats, valTargets: Backend.Floats
    // Parameters and state.
    public let W: Backend.Floats, bias: Backend.Floats, mask: Backend.Floats, biasMask: Backend.Floats
    let gW: Backend.Floats, gb: Backend.Floats
    let m1W: Backend.Floats, m2W: Backend.Floats, m1b: Backend.Floats, m2b: Backend.Floats
    let snapW: Backend.Floats, snapB: Backend.Floats
    /// acts[l] = `[P][capacity][n_l]`: acts[0] the input batch, acts[L] the logits.
    public let acts: [Backend.Floats]
    /// deltas[l] = gradient w.r.t. the pre-activation of layer l (l ≥ 1), `[P][capacity][n_l]`.
    public let deltas: [Backend.Floats]
    public let y: Backend.Floats
    let perm: Backend.UInts, noiseKeys: Backend.UInts, dropoutKeys: Backend.UInts, sessionBuf: Backend.UInts
    public let activeBuf: Backend.UInts
    let lr: Backend.Floats
    let lossSum: Backend.Floats, correct: Backend.UInts
    let bestLoss: Backend.Floats, bestCorrect: Backend.UInts, flag: Backend.UInts
    let histLoss: Backend.Floats, histCorrect: Backend.UInts
    /// Unit scores `[P][H]` (pruning).
    let scores: Backend.Floats
    /// Layer 0's sparse route, when some models take it (`refreshSparseInput`).
    public internal(set) var sparseInput: SparseInputRoute<Backend.Floats, Backend.UInts>?
    /// What `setActive` last set.
    var activeFlags: [Bool]
    /// The fused path's lane-layout buffers, made at its first use (`Population+Fused.swift`).
    var fused: FusedBuffers<Backend>?
    var soloBuffers: SoloBuffers<Backend>?

    /// Training sessions each model has done (a fresh noise and shuffle stream per session). A model
    /// that continues another's work (an edge branch of a unit-pruned model) starts from its count.
    public var sessions: [UInt32]

    /// Called after every epoch of `train` with each model's validation loss and accuracy (percent) of
    /// that epoch (nil for models not training), e.g. to log training as it happens.
    public var epochMetrics: ((_ epoch: Int, _ metrics: [(loss: Double, accuracy: Double)?]) -> Void)?

    /// Allocates the population on `backend`, initialises every model (weights from its seed as
    /// `options.initialization` says, zero biases, all-ones masks).
    /// - Throws: `TrainingConfigError` for an architecture or options that do not fit the data; the
    ///   backend's error when memory runs out.
    /// With `sharingDataWith`, the device copies of the data (the same `data` and `validation`) are
    /// those of that population instead of new uploads (a population rebuilt at another width).
    public init(
        backend: Backend, arch: Architecture, data: Dataset, validation: Dataset? = nil,
        options: TrainingOptions, models: [ModelSpec], sharingDataWith other: Population<Backend>? = nil
    ) throws {
        let validation = validation ?? data
        guard validation.inputWidth == data.inputWidth, validation.outputWidth == data.outputWidth, validation.count > 0 else {
            throw TrainingConfigError("the validation set's shape (\(validation.inputWidth) inputs, \(validation.outputWidth) outputs) does not match the training set's")
        }
        guard arch.inputs == data.inputWidth else {
            throw TrainingConfigError("architecture \(arch) has \(arch.inputs) inputs but the task has \(data.inputWidth)")
        }
        guard arch.outputs == data.outputWidth else {
            throw TrainingConfigError("architecture \(arch) has \(arch.outputs) outputs but the task has \(data.outputWidth)")
        }
        guard !models.isEmpty else { throw TrainingConfigError("a population needs at least one model") }
        for m in models where !(m.learningRate > 0 && m.learningRate.isFinite) {
            throw TrainingConfigError("learning rate must be a positive number (got \(m.learningRate))")
        }
        try options.validate(dataRows: data.count)
        if let mem = backend.memory {
            let shared =
                4 * (data.inputs.count + data.targets.count + (validation == data ? 0 : validation.inputs.count + validation.targets.count))
                + (Self.isSmall(arch: arch, batchSize: options.batchSize) ? 4 * FusedBuffers<Backend>.orderLimit : 0)
            let perModel = Self.bytesPerModel(arch: arch, data: data, validation: validation, options: options)
            let needed = UInt64(shared + models.count * perModel)
            let largest = UInt64(
                4
                    * max(
                        models.count * arch.weightCount, data.inputs.count,
                        models.count * Self.rowCapacity(options: options, validationRows: validation.count) * arch.widths.max()!))
            guard needed <= Self.memoryBudget(mem.total), largest <= mem.maxAllocation else {
                throw TrainingConfigError(
                    "\(models.count) model(s) of \(arch) need \(needed) bytes of device memory (\(perModel) per model, \(shared) shared; largest buffer \(largest)) but the device has \(mem.total) bytes (at most \(mem.maxAllocation) per buffer): use fewer models, a smaller batch or a smaller network"
                )
            }
        }
        self.backend = backend
        self.arch = arch
        self.data = data
        self.validation = validation
        self.options = options
        self.models = models
        let P = models.count
        WT = arch.weightCount
        BT = arch.biasCount
        let cap = Self.rowCapacity(options: options, validationRows: validation.count)
        capacity = cap
        let b = backend
        if let other {
            precondition(other.data.count == data.count && other.validation.count == validation.count, "shared data must be the same data")
            (inputs, targets, valInputs, valTargets) = (other.inputs, other.targets, other.valInputs, other.valTargets)
        } else {
            inputs = try b.makeFloats(data.inputs.count, label: "inputs")
            targets = try b.makeFloats(data.targets.count, label: "targets")
            try b.write(data.inputs, to: inputs, offset: 0)
            try b.write(data.targets, to: targets, offset: 0)
            if validation == data {
                valInputs = inputs
                valTargets = targets
            } else {
                valInputs = try b.makeFloats(validation.inputs.count, label: "validation inputs")
                valTargets = try b.makeFloats(validation.targets.count, label: "validation targets")
                try b.write(validation.inputs, to: valInputs, offset: 0)
                try b.write(validation.targets, to: valTargets, offset: 0)
            }
        }
        W = try b.makeFloats(P * WT, label: "weights")
        bias = try b.makeFloats(P * BT, label: "biases")
        mask = try b.makeFloats(P * WT, label: "masks")
        biasMask = try b.makeFloats(P * BT, label: "bias masks")
        gW = try b.makeFloats(P * WT, label: "weight gradients")
        gb = try b.makeFloats(P * BT, label: "bias gradients")
        m1W = try b.makeFloats(P * WT, label: "Adam m (weights)")
        m2W = try b.makeFloats(P * WT, label: "Adam v (weights)")
        m1b = try b.makeFloats(P * BT, label: "Adam m (biases)")
        m2b = try b.makeFloats(P * BT, label: "Adam v (biases)")
        snapW = try b.makeFloats(P * WT, label: "snapshot weights")
        snapB = try b.makeFloats(P * BT, label: "snapshot biases")
        acts = try arch.widths.enumerated().map { l, n in try b.makeFloats(P * cap * n, label: "activations \(l)") }
        deltas = try arch.widths.enumerated().map { l, n in try b.makeFloats(l == 0 ? 1 : P * cap * n, label: "deltas \(l)") }
        y = try b.makeFloats(P * capacity * arch.outputs, label: "batch targets")
        perm = try b.makeUInts(P * data.count, label: "row order")
        noiseKeys = try b.makeUInts(2 * P, label: "noise keys")
        dropoutKeys = try b.makeUInts(2 * P, label: "dropout keys")
        sessionBuf = try b.makeUInts(P, label: "sessions")
        activeBuf = try b.makeUInts(P, label: "active")
        lr = try b.makeFloats(P, label: "learning rates")
        lossSum = try b.makeFloats(P, label: "loss sums")
        correct = try b.makeUInts(P, label: "correct bits")
        bestLoss = try b.makeFloats(P, label: "best loss")
        bestCorrect = try b.makeUInts(P, label: "best correct")
        flag = try b.makeUInts(P, label: "flags")
        histLoss = try b.makeFloats(options.epochs * P, label: "loss history")
        histCorrect = try b.makeUInts(options.epochs * P, label: "accuracy history")
        scores = try b.makeFloats(max(1, P * arch.hiddenUnits), label: "unit scores")
        sessions = Array(repeating: 0, count: P)
        activeFlags = Array(repeating: false, count: P)

        try b.write(
            models.flatMap { m -> [UInt32] in
                let k = Philox.key(seed: m.seed, purpose: .inputNoise); return [k.0, k.1]
            },
            to: noiseKeys, offset: 0)
        try b.write(
            models.flatMap { m -> [UInt32] in
                let k = Philox.key(seed: m.seed, purpose: .dropout); return [k.0, k.1]
            },
            to: dropoutKeys, offset: 0)
        try b.write(models.map(\.learningRate), to: lr, offset: 0)
        try b.write(models.flatMap { Initialization.weights(options.initialization, arch: arch, seed: $0.seed) }, to: W, offset: 0)
        try b.write([Float](repeating: 1, count: P * WT), to: mask, offset: 0)
        try deriveBiasMasks()
    }

    /// Device bytes one model of this shape needs (parameters, gradients, Adam state, snapshots,
    /// activations, and the pruner's accepted copies), shared data excluded.
    public static func bytesPerModel(arch: Architecture, data: Dataset, validation: Dataset? = nil, options: TrainingOptions) -> Int {
        let cap = rowCapacity(options: options, validationRows: (validation ?? data).count)
        let floats =
            8 * arch.weightCount + 8 * arch.biasCount + 2 * cap * arch.widths.reduce(0, +)
            + cap * arch.outputs + arch.hiddenUnits * 2 + options.epochs * 2 + 18
        return 4 * (floats + data.count) + fusedBytesPerModel(arch: arch, data: data, options: options)
    }

    /// Device bytes the fused path's lane-layout copies add per model (weights, masks, moments and
    /// snapshots, biases likewise, activation and delta scratch, one epoch's row order), for the
    /// networks small enough to take it; its row orders of further epochs share a bounded buffer
    /// (`FusedBuffers`).
    static func fusedBytesPerModel(arch: Architecture, data: Dataset, options: TrainingOptions) -> Int {
        guard isSmall(arch: arch, batchSize: options.batchSize) else { return 0 }
        return 4 * (5 * arch.weightCount + 5 * arch.biasCount + 2 * options.batchSize * arch.widths.reduce(0, +) + data.count + 2)
    }

    /// Rows a batch or a validation chunk holds at once: the batch, or up to `validationChunk`
    /// validation rows when that is more (the activation buffers are this many rows deep).
    public static func rowCapacity(options: TrainingOptions, validationRows: Int) -> Int {
        max(options.batchSize, min(validationRows, validationChunk))
    }

    /// Validation rows evaluated per launch.
    public static var validationChunk: Int { 1024 }

    /// The device memory a population may use: three quarters of it, leaving room for the driver and
    /// other programs. Both the refusal of a too-large population and `maxModels` use this one budget.
    public static func memoryBudget(_ total: UInt64) -> UInt64 { total / 4 * 3 }

    /// The largest population built at once: `maxModels` is never above this.
    public static var modelLimit: Int { 4096 }

    /// How many models fit one population on `backend`: the memory budget over the bytes per model,
    /// each per-model array within the largest allowed allocation, and at most `modelLimit`.
    /// Unlimited devices (the reference backend) get `modelLimit`.
    public static func maxModels(backend: Backend, arch: Architecture, data: Dataset, validation: Dataset? = nil, options: TrainingOptions) -> Int {
        guard let mem = backend.memory else { return modelLimit }
        let perModel = bytesPerModel(arch: arch, data: data, validation: validation, options: options)
        let cap = rowCapacity(options: options, validationRows: (validation ?? data).count)
        let largestPerModelArray = 4 * max(arch.weightCount, cap * arch.widths.max()!, data.count)
        let byTotal = Int(memoryBudget(mem.total)) / max(perModel, 1)
        let byAlloc = Int(mem.maxAllocation) / max(largestPerModelArray, 1)
        return max(1, min(modelLimit, byTotal, byAlloc))
    }

    // MARK: - Training

    /// Trains every model with `active[p]` for `options.epochs` epochs with a fresh Adam state, keeping
    /// its weights and masks, and leaves it holding its best-epoch snapshot (docs/method.md §2). Other models are
    /// untouched. `onEpoch(e)` is called after each epoch (1-based) for progress reports.
    /// - Returns: one result per model; nil for models not trained.
    ///
    /// With `earlyStop`, a model stops training once its snapshot's accuracy has reached the threshold
    /// and has not risen for `patience` epochs; it then holds its best-epoch snapshot (opt-in; the paper
    /// always trains the full budget).
    ///
    /// With `keepBest: false` every model ends holding its last epoch's network, and its result
    /// reports that epoch (gradual pruning: an earlier snapshot would be denser than the schedule's
    /// end). `beforeStep(t)` runs before optimiser step `t` (0-based over this training) and may
    /// change masks and the active flags, which are restored afterwards.
    /// (`onEpoch` comes first so that a trailing closure still means `onEpoch`.)
    public func train(
        active: [Bool], earlyStop: EarlyStop? = nil, keepBest: Bool = true,
        onEpoch: ((Int) -> Void)? = nil,
        beforeStep: ((_ step: Int) throws -> Void)? = nil
    ) throws -> [TrainingResult?] {
        precondition(active.count == P, "one flag per model")
        precondition(keepBest || earlyStop == nil, "early stopping needs the best-epoch snapshot")
        if beforeStep == nil, try usesFusedPath() {
            return try trainFused(active: active, earlyStop: earlyStop, keepBest: keepBest, onEpoch: onEpoch)
        }
        let b = backend
        let N = data.count, B = options.batchSize
        try beginTraining(active)
        try refreshSparseInput()
        for buf in [m1W, m2W] { try b.write([Float](repeating: 0, count: P * WT), to: buf, offset: 0) }
        for buf in [m1b, m2b] { try b.write([Float](repeating: 0, count: P * BT), to: buf, offset: 0) }

        var step = 0
        var progress = EpochProgress(active: active, epochs: options.epochs)
        for epoch in 0..<options.epochs {
            guard progress.running.contains(true) else { break }
            var order: [UInt32] = []
            order.reserveCapacity(P * N)
            for p in 0..<P {
                order +=
                    active[p]
                    ? Initialization.epochOrder(rows: N, seed: models[p].seed, session: sessions[p], epoch: epoch)
                    : (0..<N).map { UInt32($0) }
            }
            try b.write(order, to: perm, offset: 0)
            for start in stride(from: 0, to: N, by: B) {
                if let beforeStep {
                    try beforeStep(step)
                    try setActive(progress.running)
                }
                step += 1
                try miniBatch(start: start, rows: min(B, N - start), epoch: epoch, step: step)
            }
            try evaluate()
            try b.snapshotRule(
                P: P, epoch: epoch, NM: Float(validation.count * unitsPerRow), ruleScale: snapshotRuleScale, lossSum: lossSum, correct: correct, active: activeBuf,
                bestLoss: bestLoss, bestCorrect: bestCorrect, flag: flag, histLoss: histLoss, histCorrect: histCorrect)
            if keepBest {
                try b.selectCopy(P: P, C: WT, flag: flag, src: W, dst: snapW)
                try b.selectCopy(P: P, C: BT, flag: flag, src: bias, dst: snapB)
            }
            try endOfEpoch(epoch, earlyStop: earlyStop, onEpoch: onEpoch, progress: &progress)
        }
        // Every trained model ends holding its snapshot (or its last network).
        try setActive(active)
        if keepBest {
            try b.selectCopy(P: P, C: WT, flag: activeBuf, src: snapW, dst: W)
            try b.selectCopy(P: P, C: BT, flag: activeBuf, src: snapB, dst: bias)
        }
        return try results(active: active, epochsRun: progress.epochsRun, keepBest: keepBest)
    }

    /// What every training starts with, on either path: a new session (noise and shuffle streams) for
    /// each trained model, the active flags, and no snapshot yet.
    func beginTraining(_ active: [Bool]) throws {
        for p in 0..<P where active[p] { sessions[p] &+= 1 }
        try backend.write(sessions, to: sessionBuf, offset: 0)
        try setActive(active)
        try backend.write([Float](repeating: SnapshotRule.lossCeiling, count: P), to: bestLoss, offset: 0)
        try backend.write([UInt32](repeating: 0, count: P), to: bestCorrect, offset: 0)
    }

    /// Which models still train, and the early-stopping counts, across the epochs of one `train`.
    struct EpochProgress {
        var running: [Bool]
        var epochsRun: [Int]
        var sinceSnapshot: [Int]
        var lastBest: [UInt32]

        init(active: [Bool], epochs: Int) {
            running = active
            epochsRun = [Int](repeating: epochs, count: active.count)
            sinceSnapshot = [Int](repeating: 0, count: active.count)
            lastBest = [UInt32](repeating: 0, count: active.count)
        }
    }

    /// After epoch `epoch` (0-based) has been validated: its metrics to `epochMetrics`, early
    /// stopping (which deactivates the models it stops), then `onEpoch`. Both training paths call it.
    func endOfEpoch(_ epoch: Int, earlyStop: EarlyStop?, onEpoch: ((Int) -> Void)?, progress: inout EpochProgress) throws {
        let b = backend
        let total = Double(validation.count * unitsPerRow)
        if let epochMetrics {
            let l = try b.read(histLoss, offset: epoch * P, count: P), c = try b.read(histCorrect, offset: epoch * P, count: P)
            epochMetrics(epoch + 1, (0..<P).map { p in progress.running[p] ? (Double(l[p]), 100 * Double(c[p]) / total) : nil })
        }
        if let stop = earlyStop {
            let best = try b.read(bestCorrect, offset: 0, count: P)
            var changed = false
            for p in 0..<P where progress.running[p] {
                // "Improving" means the snapshot's accuracy rose; a lower loss at the same accuracy
                // only breaks ties and never changes an acceptance decision.
                progress.sinceSnapshot[p] = best[p] > progress.lastBest[p] ? 0 : progress.sinceSnapshot[p] + 1
                progress.lastBest[p] = best[p]
                if 100 * Double(best[p]) / total >= stop.accuracyThreshold && progress.sinceSnapshot[p] >= stop.patience {
                    progress.running[p] = false
                    progress.epochsRun[p] = epoch + 1
                    changed = true
                }
            }
            if changed { try setActive(progress.running) }
        }
        onEpoch?(epoch + 1)
    }

    /// What one validation row counts for accuracy and the mean loss: `options.unitsPerRow`.
    public var unitsPerRow: Int { options.unitsPerRow(outputs: arch.outputs) }

    /// Dropout of the current training step: the epoch and the step's first row position.
    struct DropoutStep { let start: Int, epoch: Int }

    /// One optimiser step of every active model on rows `perm[p][start ..< start+rows]` of the training
    /// set (noise drawn for `epoch`), Adam's bias corrections for step `step` (1-based).
    public func miniBatch(start: Int, rows Bt: Int, epoch: Int, step: Int) throws {
        let b = backend, m = arch.outputs, n0 = arch.inputs
        let routes = layer0Routes
        // The batch's inputs for the models whose layer 0 is dense; only the targets for the others,
        // whose sparse layer 0 reads its rows itself.
        if routes.dense {
            try b.batchGather(
                P: P, n0: n0, m: m, N: data.count, B: capacity, Bt: Bt, start: start, epoch: epoch, sigma: options.noise,
                data: inputs, targets: targets, perm: perm, keys: noiseKeys, session: sessionBuf, active: denseLayer0Active,
                x: acts[0], y: y)
        }
        if routes.sparse, let s = sparseInput {
            try b.batchGather(
                P: P, n0: 0, m: m, N: data.count, B: capacity, Bt: Bt, start: start, epoch: epoch, sigma: options.noise,
                data: inputs, targets: targets, perm: perm, keys: noiseKeys, session: sessionBuf, active: s.sparseActive,
                x: acts[0], y: y)
        }
        let drop = options.dropout > 0 ? DropoutStep(start: start, epoch: epoch) : nil
        let source = Layer0Source.batch(start: start, epoch: epoch)
        try forward(rows: Bt, input: acts[0], inStride: capacity * n0, inOff: 0, dropout: drop, sparseSource: source)
        try lossGrad(rows: Bt, perSample: false, y: y, yStride: capacity * m, yOff: 0)
        try backward(rows: Bt, dropout: drop)
        let (bc1, bc2) = adamBiasCorrections(step: step)
        try b.adamStep(
            P: P, C: WT, wd: options.weightDecay, beta1: options.beta1, beta2: options.beta2, eps: options.epsilon,
            bc1: bc1, bc2: bc2, lr: lr, active: activeBuf, mask: mask, grad: gW, param: W, m1: m1W, m2: m2W)
        try b.adamStep(
            P: P, C: BT, wd: options.weightDecay, beta1: options.beta1, beta2: options.beta2, eps: options.epsilon,
            bc1: bc1, bc2: bc2, lr: lr, active: activeBuf, mask: biasMask, grad: gb, param: bias, m1: m1b, m2: m2b)
    }

    /// The factor between the mean validation loss and the loss the best-epoch rule compares
    /// (`TrainingOptions.snapshotLoss`).
    var snapshotRuleScale: Float { options.snapshotLoss.ruleScale(validationRows: validation.count, batchSize: options.batchSize) }

    /// Adam's bias corrections (1 − β1^t, 1 − β2^t) for optimiser step `t` (1-based), computed in
    /// Double and rounded once, as both training paths use them.
    func adamBiasCorrections(step t: Int) -> (Float, Float) {
        (Float(1 - Double(options.beta1).power(t)), Float(1 - Double(options.beta2).power(t)))
    }

    /// Validation metrics of the current weights of every active model on the clean table, into
    /// `lossSum`/`correct` (summed BCE and correct bits).
    func evaluate() throws {
        let b = backend, N = validation.count, m = arch.outputs, n0 = arch.inputs
        try b.write([Float](repeating: 0, count: P), to: lossSum, offset: 0)
        try b.write([UInt32](repeating: 0, count: P), to: correct, offset: 0)
        for start in stride(from: 0, to: N, by: capacity) {
            let rows = min(capacity, N - start)
            try forward(rows: rows, input: valInputs, inStride: 0, inOff: start * n0)
            switch options.loss {
            case .bce:
                try b.bceEvalAccumulate(
                    P: P, m: m, B: capacity, Bt: rows, tOff: start * m, z: acts[arch.depth], targets: valTargets,
                    active: activeBuf, lossSum: lossSum, correct: correct)
            case .softmaxCrossEntropy:
                try b.softmaxEvalAccumulate(
                    P: P, m: m, B: capacity, Bt: rows, tOff: start * m, z: acts[arch.depth], targets: valTargets,
                    active: activeBuf, lossSum: lossSum, correct: correct)
            }
        }
    }

    /// deltas[L] = gradient of the loss w.r.t. the logits of `rows` rows, targets `y` at
    /// `p·yStride + yOff`: of the batch mean (`perSample: false`; BCE 1/(Bt·m), softmax 1/Bt), or of
    /// each row's own loss (`perSample: true`; BCE 1/m, softmax 1), as unit scores need.
    func lossGrad(rows: Int, perSample: Bool, y: Backend.Floats, yStride: Int, yOff: Int) throws {
        let m = arch.outputs, L = arch.depth
        switch options.loss {
        case .bce:
            try backend.bceGrad(
                P: P, m: m, B: capacity, Bt: rows, scale: 1 / Float((perSample ? 1 : rows) * m), yStride: yStride, yOff: yOff,
                saturate: options.bceGradient == .probabilities, z: acts[L], y: y, active: activeBuf, dz: deltas[L])
        case .softmaxCrossEntropy:
            try backend.softmaxCeGrad(
                P: P, m: m, B: capacity, Bt: rows, scale: 1 / Float(perSample ? 1 : rows), yStride: yStride, yOff: yOff,
                z: acts[L], y: y, active: activeBuf, dz: deltas[L])
        }
    }

    /// Inverted dropout (`Kernels/dropout.cl`) on hidden layer `l`'s `[P][capacity][n_l]` array `x`:
    /// its activations in the forward pass, the gradient w.r.t. its pre-activations in the backward.
    func applyDropout(_ d: DropoutStep, layer l: Int, rows: Int, to x: Backend.Floats) throws {
        let rate = options.dropout
        try backend.dropoutApply(
            P: P, n: arch.widths[l], B: capacity, Bt: rows, hOff: hiddenOffset(l), start: d.start, epoch: d.epoch,
            rate: rate, scale: 1 / (1 - rate), keys: dropoutKeys, session: sessionBuf, active: activeBuf, x: x)
    }

    /// Layers at least this large (capacity · n_in · n_out multiply-adds per model) use the tiled
    /// matrix-product kernels (`Kernels/gemm.cl`); smaller ones the one-item-per-output kernels of
    /// `Kernels/dense.cl`, which win on tiny layers. The choice depends on the layer and batch only,
    /// never on the population, so a model's result does not depend on its neighbours.
    public var tiledThreshold = defaultTiledThreshold

    /// `tiledThreshold` unless a population sets another.
    public static var defaultTiledThreshold: Int { 1 << 18 }

    /// First layers with fewer weights (n0 · n1) than this always run dense: their launches, not their
    /// products, set their cost, and the sparse route would add one (the Boolean tasks' first layers,
    /// at most 8 × 60 in the built-in manifests, are all below it).
    public var sparseInputMinimumWeights = 1 << 10

    /// Whether every layer's product over a training batch is under `tiledThreshold` (the default
    /// one): small enough for the fused path (`usesFusedPath`).
    static func isSmall(arch: Architecture, batchSize: Int, threshold: Int = defaultTiledThreshold) -> Bool {
        (0..<arch.depth).allSatisfy { l in batchSize * arch.shape(l).0 * arch.shape(l).1 < threshold }
    }

    /// Whether weight layer `l` runs on the tiled kernels.
    public func isTiled(_ l: Int) -> Bool {
        let (nOut, nIn) = arch.shape(l)
        return capacity * nIn * nOut >= tiledThreshold
    }

    /// Forward pass of `rows` rows; layer 0's input is `input` at `p·inStride + inOff`.
    /// (Rebuilds layer 0's sparse route from the current masks first.)
    public func forward(rows: Int, input: Backend.Floats, inStride: Int, inOff: Int) throws {
        try refreshSparseInput()
        try forward(rows: rows, input: input, inStride: inStride, inOff: inOff, dropout: nil)
    }

    /// Where the sparse route of layer 0 reads its rows: the training batch (through the row order,
    /// with input noise), or the `input` buffer given to `forward`.
    enum Layer0Source {
        case batch(start: Int, epoch: Int)
        case buffer
    }

    /// Forward pass with dropout after every hidden layer when `dropout` is given (training steps).
    func forward(
        rows: Int, input: Backend.Floats, inStride: Int, inOff: Int, dropout: DropoutStep?, sparseSource: Layer0Source = .buffer
    ) throws {
        let L = arch.depth
        let routes = layer0Routes
        for l in 0..<L {
            let (nOut, nIn) = arch.shape(l)
            let x = l == 0 ? input : acts[l], xs = l == 0 ? inStride : capacity * nIn, xo = l == 0 ? inOff : 0
            let active = l == 0 ? denseLayer0Active : activeBuf
            if l == 0, routes.sparse, let s = sparseInput {
                try sparseLayer0Forward(rows: rows, source: sparseSource, input: input, inStride: inStride, inOff: inOff, route: s)
            }
            // Layer 0 runs dense too when some active model takes the dense route.
            let dense = l > 0 || routes.dense
            if dense && isTiled(l) {
                try backend.gemm(
                    P: P, M: rows, N: nOut, K: nIn, a: x, aOff: xo, sAp: xs, sAm: nIn, sAk: 1,
                    b: W, bOff: arch.weightOffset(l), sBp: WT, sBk: 1, sBn: nIn,
                    c: acts[l + 1], cOff: 0, sCp: capacity * nOut, ldc: nOut,
                    bias: bias, biasOff: arch.biasOffset(l), sBiasP: BT, relu: l < L - 1,
                    gate: nil, gOff: 0, sGp: 0, ldg: 0, active: active)
            } else if dense {
                try backend.denseForward(
                    P: P, nIn: nIn, nOut: nOut, B: capacity, Bt: rows, inStride: xs, inOff: xo,
                    WT: WT, wOff: arch.weightOffset(l), BT: BT, bOff: arch.biasOffset(l), relu: l < L - 1,
                    input: x, W: W, bias: bias, active: active, out: acts[l + 1])
            }
            if let dropout, l < L - 1 { try applyDropout(dropout, layer: l + 1, rows: rows, to: acts[l + 1]) }
        }
    }

    /// deltas[l] = (deltas[l+1]·W_l) ⊙ [acts[l] > 0] for hidden layer l ≥ 1.
    func backwardData(_ l: Int, rows: Int) throws {
        let (nOut, nIn) = arch.shape(l)
        if isTiled(l) {
            try backend.gemm(
                P: P, M: rows, N: nIn, K: nOut, a: deltas[l + 1], aOff: 0, sAp: capacity * nOut, sAm: nOut, sAk: 1,
                b: W, bOff: arch.weightOffset(l), sBp: WT, sBk: nIn, sBn: 1,
                c: deltas[l], cOff: 0, sCp: capacity * nIn, ldc: nIn, bias: nil, biasOff: 0, sBiasP: 0, relu: false,
                gate: acts[l], gOff: 0, sGp: capacity * nIn, ldg: nIn, active: activeBuf)
        } else {
            try backend.denseBackwardData(
                P: P, nIn: nIn, nOut: nOut, B: capacity, Bt: rows, WT: WT, wOff: arch.weightOffset(l),
                dOut: deltas[l + 1], W: W, a: acts[l], active: activeBuf, dIn: deltas[l])
        }
    }

    /// Backward pass from `deltas[L]`, writing every layer's weight and bias gradients; with
    /// `dropout`, the forward pass's dropout (same step) scales kept units' gradients by 1/(1 − rate).
    /// Layer 0's sparse route uses the inputs its forward pass gathered.
    func backward(rows: Int, dropout: DropoutStep? = nil) throws {
        let routes = layer0Routes
        for l in stride(from: arch.depth - 1, through: 0, by: -1) {
            let (nOut, nIn) = arch.shape(l)
            let active = l == 0 ? denseLayer0Active : activeBuf
            if l == 0, routes.sparse, let s = sparseInput { try sparseLayer0Backward(rows: rows, route: s) }
            let dense = l > 0 || routes.dense
            if dense && isTiled(l) {
                try backend.gemm(
                    P: P, M: nOut, N: nIn, K: rows, a: deltas[l + 1], aOff: 0, sAp: capacity * nOut, sAm: 1, sAk: nOut,
                    b: acts[l], bOff: 0, sBp: capacity * nIn, sBk: nIn, sBn: 1,
                    c: gW, cOff: arch.weightOffset(l), sCp: WT, ldc: nIn, bias: nil, biasOff: 0, sBiasP: 0, relu: false,
                    gate: nil, gOff: 0, sGp: 0, ldg: 0, active: active)
                try backend.biasGrad(
                    P: P, nOut: nOut, B: capacity, Bt: rows, BT: BT, bOff: arch.biasOffset(l),
                    dOut: deltas[l + 1], active: active, gb: gb)
            } else if dense {
                try backend.denseBackwardWeights(
                    P: P, nIn: nIn, nOut: nOut, B: capacity, Bt: rows, inStride: capacity * nIn, inOff: 0,
                    WT: WT, wOff: arch.weightOffset(l), BT: BT, bOff: arch.biasOffset(l),
                    input: acts[l], dOut: deltas[l + 1], active: active, gW: gW, gb: gb)
            }
            if l > 0 {
                try backwardData(l, rows: rows)
                if let dropout { try applyDropout(dropout, layer: l, rows: rows, to: deltas[l]) }
            }
        }
    }

    /// Reads the history back and rebuilds each trained model's result.
    /// With `keepBest: false` the result reports the last epoch run instead of the snapshot's.
    func results(active: [Bool], epochsRun: [Int], keepBest: Bool = true) throws -> [TrainingResult?] {
        let E = options.epochs
        let losses = try backend.read(histLoss, offset: 0, count: E * P)
        let corrects = try backend.read(histCorrect, offset: 0, count: E * P)
        let total = validation.count * unitsPerRow
        return (0..<P).map { p in
            guard active[p] else { return nil }
            let ran = epochsRun[p]
            let l = (0..<ran).map { losses[$0 * P + p] }
            let c = (0..<ran).map { corrects[$0 * P + p] }
            // Replays the snapshot rule (population.cl) on the host to find the snapshot's epoch.
            var bestL = SnapshotRule.lossCeiling, bestC: UInt32 = 0, bestE = 0
            let scale = snapshotRuleScale
            for e in 0..<ran where SnapshotRule.takes(loss: SnapshotRule.ruleLoss(l[e], scale: scale), correct: c[e], bestLoss: bestL, bestCorrect: bestC) {
                bestL = SnapshotRule.ruleLoss(l[e], scale: scale); bestC = c[e]; bestE = e
            }
            if !keepBest, ran > 0 { (bestC, bestE) = (c[ran - 1], ran - 1) }
            return TrainingResult(
                bestEpoch: bestE + 1, accuracy: 100 * Double(bestC) / Double(total), loss: ran > 0 ? Double(l[bestE]) : Double(SnapshotRule.lossCeiling),
                correctBits: Int(bestC), totalBits: total,
                epochLoss: l.map(Double.init), epochAccuracy: c.map { 100 * Double($0) / Double(total) })
        }
    }

    // MARK: - Parameters and masks

    /// Recomputes every bias mask from the weight masks (a unit with no incoming edge loses its bias)
    /// and zeroes masked weights and biases of active models.
    public func deriveBiasMasks() throws {
        for l in 0..<arch.depth {
            let (nOut, nIn) = arch.shape(l)
            try backend.maskDeriveBias(
                P: P, nIn: nIn, nOut: nOut, WT: WT, wOff: arch.weightOffset(l), BT: BT,
                bOff: arch.biasOffset(l), mask: mask, bm: biasMask)
        }
    }

    /// Model `p`'s weights (all layers concatenated, each `[n_out][n_in]`).
    public func weights(of p: Int) throws -> [Float] { try backend.read(W, offset: p * WT, count: WT) }
    public func biases(of p: Int) throws -> [Float] { try backend.read(bias, offset: p * BT, count: BT) }
    public func masks(of p: Int) throws -> [Float] { try backend.read(mask, offset: p * WT, count: WT) }

    /// Model `p`'s masks split per layer, row-major `[n_out][n_in]`.
    public func layerMasks(of p: Int) throws -> [[Float]] { split(try masks(of: p)) }
    public func layerWeights(of p: Int) throws -> [[Float]] { split(try weights(of: p)) }

    func split(_ flat: [Float]) -> [[Float]] {
        (0..<arch.depth).map { l in Array(flat[arch.weightOffset(l)..<arch.weightOffset(l) + arch.widths[l] * arch.widths[l + 1]]) }
    }

    /// Replaces model `p`'s weights (and optionally biases).
    public func setWeights(of p: Int, _ w: [Float], biases: [Float]? = nil) throws {
        precondition(w.count == WT)
        try backend.write(w, to: W, offset: p * WT)
        if let biases { precondition(biases.count == BT); try backend.write(biases, to: bias, offset: p * BT) }
    }

    /// Replaces model `p`'s masks, re-derives bias masks and zeroes what they mask.
    public func setMasks(of p: Int, _ m: [Float]) throws {
        precondition(m.count == WT)
        try backend.write(m, to: mask, offset: p * WT)
        try deriveBiasMasks()
        try applyMasks(all: true)
    }

    /// Marks which models the next launches work on.
    public func setActive(_ active: [Bool]) throws {
        precondition(active.count == P, "one flag per model")
        try backend.write(active.map { $0 ? 1 : 0 }, to: activeBuf, offset: 0)
        activeFlags = active
        try writeLayer0Active()
    }

    /// `W *= mask`, `b *= biasMask` for active models (all models when `all`).
    public func applyMasks(all: Bool = false) throws {
        if all { try setActive([Bool](repeating: true, count: P)) }
        try backend.maskApply(P: P, C: WT, active: activeBuf, mask: mask, param: W)
        try backend.maskApply(P: P, C: BT, active: activeBuf, mask: biasMask, param: bias)
    }
}

extension Double {
    func power(_ n: Int) -> Double {
        var r = 1.0
        for _ in 0..<n { r *= self }
        return r
    }
}

extension Population {
    /// Mean loss and accuracy (percent; per bit with BCE, per row with softmax) of each active
    /// model's current network on the validation rows.
    public func validationMetrics(active: [Bool]) throws -> [(loss: Double, accuracy: Double)?] {
        try evaluatedResults(active: active).map { $0.map { ($0.loss, $0.accuracy) } }
    }

    /// Each active model's current network evaluated on the validation rows as a training of no
    /// epochs (`bestEpoch` 0), e.g. a network loaded from a file that takes the place of a trained one.
    public func evaluatedResults(active: [Bool]) throws -> [TrainingResult?] {
        try setActive(active)
        try refreshSparseInput()
        try evaluate()
        let l = try backend.read(lossSum, offset: 0, count: P), c = try backend.read(correct, offset: 0, count: P)
        let total = validation.count * unitsPerRow
        return (0..<P).map { p in
            guard active[p] else { return nil }
            return TrainingResult(
                bestEpoch: 0, accuracy: 100 * Double(c[p]) / Double(total), loss: Double(l[p]) / Double(total), correctBits: Int(c[p]),
                totalBits: total, epochLoss: [], epochAccuracy: [])
        }
    }

    /// Loss and accuracy of given networks (per layer weights and masks, concatenated biases) on
    /// `data`, e.g. a held-out test split, as one population.
    public static func evaluate(
        backend: Backend, arch: Architecture, data: Dataset, options: TrainingOptions,
        networks: [(weights: [[Float]], biases: [Float], masks: [[Float]])]
    ) throws -> [(loss: Double, accuracy: Double)] {
        guard !networks.isEmpty else { return [] }
        var opts = options
        opts.batchSize = min(options.batchSize, data.count)
        let pop = try Population(
            backend: backend, arch: arch, data: data, options: opts,
            models: networks.indices.map { ModelSpec(seed: UInt64($0), learningRate: 1) })
        for (p, n) in networks.enumerated() {
            try pop.setWeights(of: p, n.weights.flatMap { $0 }, biases: n.biases)
            try pop.setMasks(of: p, n.masks.flatMap { $0 })
        }
        return try pop.validationMetrics(active: [Bool](repeating: true, count: networks.count)).map { $0! }
    }
}
