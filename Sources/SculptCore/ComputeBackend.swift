/// The device operations training and pruning need, one method per kernel of `Kernels/*.cl` with the
/// same name and argument order. `ReferenceBackend` is their plain-Swift definition; `OpenCLBackend`
/// runs the kernels. Shapes and layouts: docs/layout.md "Conventions" and each kernel file's header.
///
/// All operations are queued in order; `read` waits for everything queued before it.
public protocol ComputeBackend: AnyObject {
    associatedtype Floats: AnyObject
    associatedtype UInts: AnyObject

    /// e.g. "reference (plain Swift)" or the OpenCL device name and driver.
    var deviceDescription: String { get }
    /// Who runs the matrix products of large layers, for run files: e.g. "blas (OpenBLAS …, 2 threads)".
    var matrixProducts: String { get }
    /// The device's memory and largest single allocation in bytes; nil when it has no fixed limit.
    var memory: (total: UInt64, maxAllocation: UInt64)? { get }

    /// A zero-filled array of `count` floats on the device.
    func makeFloats(_ count: Int, label: String) throws -> Floats
    /// A zero-filled array of `count` 32-bit unsigned integers on the device.
    func makeUInts(_ count: Int, label: String) throws -> UInts
    func write(_ values: [Float], to buffer: Floats, offset: Int) throws
    func write(_ values: [UInt32], to buffer: UInts, offset: Int) throws
    func read(_ buffer: Floats, offset: Int, count: Int) throws -> [Float]
    func read(_ buffer: UInts, offset: Int, count: Int) throws -> [UInt32]
    /// Device copy of `count` elements.
    func copy(_ src: Floats, srcOffset: Int, to dst: Floats, dstOffset: Int, count: Int) throws
    /// Waits for every queued operation.
    func finish() throws

    // MARK: data.cl
    /// Rows `perm[p][start ..< start+Bt]` of `data`/`targets` into `x`/`y` `[P][B][·]`, plus noise σ.
    func batchGather(
        P: Int, n0: Int, m: Int, N: Int, B: Int, Bt: Int, start: Int, epoch: Int, sigma: Float,
        data: Floats, targets: Floats, perm: UInts, keys: UInts, session: UInts, active: UInts,
        x: Floats, y: Floats) throws

    // MARK: sparse.cl
    /// `xs[p][b][u]` = input column `inputs[p][u]` of row b: through `perm` with input noise σ when
    /// `usePerm`, else at `p·inStride + inOff + b·n0` of `input`.
    func sparseInputGather(
        P: Int, n0: Int, U: Int, N: Int, B: Int, Bt: Int, start: Int, epoch: Int, sigma: Float, usePerm: Bool,
        inStride: Int, inOff: Int, input: Floats, perm: UInts, keys: UInts, session: UInts, inputs: UInts, active: UInts, xs: Floats) throws
    /// Layer 0 over its live weights only (`cols`/`slots`, ELL `[P][nOut][K]`) from the gathered `xs`.
    func sparseInputForward(
        P: Int, n0: Int, nOut: Int, K: Int, U: Int, B: Int, Bt: Int, WT: Int, wOff: Int, BT: Int, bOff: Int, relu: Bool,
        xs: Floats, cols: UInts, slots: UInts, W: Floats, bias: Floats, active: UInts, out: Floats) throws
    /// Layer 0's weight gradient at its live weights only.
    func sparseInputBackwardWeights(
        P: Int, n0: Int, nOut: Int, K: Int, U: Int, B: Int, Bt: Int, WT: Int, wOff: Int,
        xs: Floats, cols: UInts, slots: UInts, dOut: Floats, active: UInts, gW: Floats) throws
    /// Layer 0 of a model runs sparse when its live weights padded to its longest row (n1 · K) are at
    /// most this many times its inputs n0 (`Population.refreshSparseInput`); 0 never.
    var sparseInputCrossover: Double { get }

    // MARK: dropout.cl
    /// Inverted dropout in place on `x` `[P][B][n]` (rows < Bt) of the hidden layer at `hOff`: keep
    /// decisions from Philox (`keys`, `session`, position `start + b`, `epoch`), kept values times `scale`.
    func dropoutApply(
        P: Int, n: Int, B: Int, Bt: Int, hOff: Int, start: Int, epoch: Int, rate: Float, scale: Float,
        keys: UInts, session: UInts, active: UInts, x: Floats) throws

    // MARK: dense.cl
    func denseForward(
        P: Int, nIn: Int, nOut: Int, B: Int, Bt: Int, inStride: Int, inOff: Int,
        WT: Int, wOff: Int, BT: Int, bOff: Int, relu: Bool,
        input: Floats, W: Floats, bias: Floats, active: UInts, out: Floats) throws
    func denseBackwardData(
        P: Int, nIn: Int, nOut: Int, B: Int, Bt: Int, WT: Int, wOff: Int,
        dOut: Floats, W: Floats, a: Floats, active: UInts, dIn: Floats) throws
    func denseBackwardWeights(
        P: Int, nIn: Int, nOut: Int, B: Int, Bt: Int, inStride: Int, inOff: Int,
        WT: Int, wOff: Int, BT: Int, bOff: Int,
        input: Floats, dOut: Floats, active: UInts, gW: Floats, gb: Floats) throws

    // MARK: loss.cl
    func bceGrad(P: Int, m: Int, B: Int, Bt: Int, scale: Float, yStride: Int, yOff: Int, saturate: Bool, z: Floats, y: Floats, active: UInts, dz: Floats) throws
    func bceEvalAccumulate(
        P: Int, m: Int, B: Int, Bt: Int, tOff: Int, z: Floats, targets: Floats,
        active: UInts, lossSum: Floats, correct: UInts) throws

    /// Softmax cross-entropy gradient `dz = (softmax(z) − y)·scale` per row.
    func softmaxCeGrad(P: Int, m: Int, B: Int, Bt: Int, scale: Float, yStride: Int, yOff: Int, z: Floats, y: Floats, active: UInts, dz: Floats) throws
    /// Adds summed softmax cross-entropy and correct rows (argmax) of a chunk to `lossSum`/`correct`.
    func softmaxEvalAccumulate(
        P: Int, m: Int, B: Int, Bt: Int, tOff: Int, z: Floats, targets: Floats,
        active: UInts, lossSum: Floats, correct: UInts) throws

    // MARK: adam.cl
    func adamStep(
        P: Int, C: Int, wd: Float, beta1: Float, beta2: Float, eps: Float, bc1: Float, bc2: Float,
        lr: Floats, active: UInts, mask: Floats, grad: Floats, param: Floats, m1: Floats, m2: Floats) throws

    // MARK: population.cl
    func snapshotRule(
        P: Int, epoch: Int, NM: Float, ruleScale: Float, lossSum: Floats, correct: UInts, active: UInts,
        bestLoss: Floats, bestCorrect: UInts, flag: UInts, histLoss: Floats, histCorrect: UInts) throws
    func selectCopy(P: Int, C: Int, flag: UInts, src: Floats, dst: Floats) throws
    func maskDeriveBias(P: Int, nIn: Int, nOut: Int, WT: Int, wOff: Int, BT: Int, bOff: Int, mask: Floats, bm: Floats) throws
    func maskApply(P: Int, C: Int, active: UInts, mask: Floats, param: Floats) throws

    // MARK: prune.cl
    func unitScoreAccumulate(P: Int, n: Int, B: Int, Bt: Int, H: Int, hOff: Int, a: Floats, d: Floats, active: UInts, score: Floats) throws
    func maskPruneUnits(P: Int, nIn: Int, nOut: Int, WT: Int, wOff: Int, H: Int, hIn: Int, hOut: Int, keep: Floats, active: UInts, mask: Floats) throws
    /// `out[p]` = the `rank[p]`-th smallest |v| of model p's range `values[p·stride + offset ..< +C]`.
    func selectKthAbs(P: Int, C: Int, stride: Int, offset: Int, values: Floats, rank: UInts, active: UInts, out: Floats) throws
    /// Magnitude mask of model p's range `W/mask[p·stride + offset ..< +C]` (rule in `Kernels/prune.cl`).
    func maskMagnitude(P: Int, C: Int, stride: Int, offset: Int, W: Floats, lo: Floats, hi: Floats, interp: UInts, active: UInts, mask: Floats) throws
    func countNonzero(P: Int, C: Int, values: Floats, count: UInts) throws

    // MARK: gemm.cl
    /// `C(m,n) = epilogue(Σ_k A(m,k)·B(k,n))` per model, strides and epilogue as in `Kernels/gemm.cl`.
    func gemm(
        P: Int, M: Int, N: Int, K: Int,
        a: Floats, aOff: Int, sAp: Int, sAm: Int, sAk: Int,
        b: Floats, bOff: Int, sBp: Int, sBk: Int, sBn: Int,
        c: Floats, cOff: Int, sCp: Int, ldc: Int,
        bias: Floats?, biasOff: Int, sBiasP: Int, relu: Bool,
        gate: Floats?, gOff: Int, sGp: Int, ldg: Int, active: UInts) throws
    func biasGrad(P: Int, nOut: Int, B: Int, Bt: Int, BT: Int, bOff: Int, dOut: Floats, active: UInts, gb: Floats) throws

    // MARK: fused.cl
    /// The lane layout of the fused small-network path; nil when the backend has none (or it is off),
    /// and `Population.train` then takes the per-layer launches. Default: nil.
    var fusedLayout: FusedLayout? { get }
    /// `dst` (lane layout, padded) = `src` `[P][C]`.
    func fusedToLanes(P: Int, C: Int, src: Floats, dst: Floats) throws
    /// `dst` `[P][C]` = `src` (lane layout) for the models with `flag[p] != 0`.
    func fusedFromLanes(P: Int, C: Int, flag: UInts, src: Floats, dst: Floats) throws
    /// Whole epochs of every active model in one launch (`Kernels/fused.cl`).
    func fusedEpochs(_ a: FusedEpochs<Floats, UInts>) throws
    /// Populations training at most this many models at once take `fusedSoloEpochs`; 0 never. Default 0.
    var fusedSoloLimit: Int { get }
    /// Model p's weights between `[P][WT]` and the solo kernel's padded layout (`Kernels/fused_solo.cl`),
    /// model p in slot `slots[p]`, for the models with `flag[p] != 0`.
    func fusedSoloConvert(P: Int, depth: Int, widths: UInts, WT: Int, toSolo: Bool, flag: UInts, slots: UInts, src: Floats, dst: Floats) throws
    /// Whole epochs of every active model in one launch, one model per work-item (`Kernels/fused_solo.cl`):
    /// weight arrays in its padded layout (model p in slot `slots[p]`), bias arrays `[P][BT]`, `acts`
    /// its scratch (per slot; `deltas` unused).
    func fusedSoloEpochs(_ a: FusedEpochs<Floats, UInts>, slots: UInts) throws
    /// `perm[e][p]` = model p's row order of epoch `epoch0 + e` (`Initialization.epochOrder`), drawn
    /// on the device from its shuffle key `keys[p]` and `session[p]`, for active models.
    func fusedShuffle(P: Int, N: Int, epoch0: Int, epochs: Int, keys: UInts, session: UInts, active: UInts, perm: UInts) throws
}

extension ComputeBackend {
    public var fusedLayout: FusedLayout? { nil }
    public func fusedToLanes(P: Int, C: Int, src: Floats, dst: Floats) throws { throw FusedUnavailableError(deviceDescription) }
    public func fusedFromLanes(P: Int, C: Int, flag: UInts, src: Floats, dst: Floats) throws { throw FusedUnavailableError(deviceDescription) }
    public func fusedEpochs(_ a: FusedEpochs<Floats, UInts>) throws { throw FusedUnavailableError(deviceDescription) }
    public var fusedSoloLimit: Int { 0 }
    public func fusedSoloConvert(P: Int, depth: Int, widths: UInts, WT: Int, toSolo: Bool, flag: UInts, slots: UInts, src: Floats, dst: Floats) throws {
        throw FusedUnavailableError(deviceDescription)
    }
    public func fusedSoloEpochs(_ a: FusedEpochs<Floats, UInts>, slots: UInts) throws { throw FusedUnavailableError(deviceDescription) }
    public func fusedShuffle(P: Int, N: Int, epoch0: Int, epochs: Int, keys: UInts, session: UInts, active: UInts, perm: UInts) throws {
        throw FusedUnavailableError(deviceDescription)
    }
}

extension ComputeBackend {
    /// "; sparse first layer where n1·K ≤ 1·n0" (or "off") for `matrixProducts`.
    public static func sparseFirstLayer(_ crossover: Double) -> String {
        let x = crossover == crossover.rounded() && crossover < 1e9 ? String(Int(crossover)) : String(crossover)
        return crossover > 0 ? "; sparse first layer where n1·K ≤ \(x)·n0" : "; sparse first layer off"
    }

    /// The whole of each model's `[P][C]` array (`stride = C`, `offset = 0`).
    public func selectKthAbs(P: Int, C: Int, values: Floats, rank: UInts, active: UInts, out: Floats) throws {
        try selectKthAbs(P: P, C: C, stride: C, offset: 0, values: values, rank: rank, active: active, out: out)
    }

    /// The whole of each model's `[P][C]` array (`stride = C`, `offset = 0`).
    public func maskMagnitude(P: Int, C: Int, W: Floats, lo: Floats, hi: Floats, interp: UInts, active: UInts, mask: Floats) throws {
        try maskMagnitude(P: P, C: C, stride: C, offset: 0, W: W, lo: lo, hi: hi, interp: interp, active: active, mask: mask)
    }
}
