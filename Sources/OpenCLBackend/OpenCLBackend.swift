import CLRuntime
import SculptCore
import SculptKernels

/// Runs the kernels of `Kernels/` on one OpenCL device. Owns its context, queue and kernel objects;
/// not thread-safe (kernel arguments are per object), so use one backend per thread.
public final class OpenCLBackend: ComputeBackend {
    public typealias Floats = CLBuffer<Float>
    public typealias UInts = CLBuffer<UInt32>

    public let context: CLContext
    public let queue: CLQueue
    let program: CLProgram
    private var kernels: [String: CLKernel] = [:]

    /// Kernel families built into the one program, in dependency order (random.cl first: others use it).
    public static let families = ["random", "dropout", "data", "dense", "loss", "adam", "population", "prune", "gemm"]

    /// Which matrix-product kernels run large layers (`Kernels/gemm.cl`).
    public enum GemmVariant: String, Sendable, CaseIterable {
        /// From the device type: GPU kernels on GPUs, CPU kernels otherwise.
        case auto
        /// Vector-type, register-blocked kernels with work-groups of one item.
        case cpu
        /// Local-memory tiles with register blocking.
        case gpu
    }

    public let gemmVariant: GemmVariant

    /// - Parameters:
    ///   - gemm: the large-layer kernel variant (default: from the device type).
    ///   - buildOptions: extra OpenCL build options, e.g. tuning macros `-DGEMM_TS=32`.
    /// - Throws: `CLError` (with the build log when a kernel does not compile) or `KernelSourceError`.
    public init(device: CLDevice, gemm: GemmVariant = .auto, buildOptions: String = "") throws {
        context = try CLContext(device: device)
        queue = try context.makeQueue()
        gemmVariant = gemm == .auto ? (device.type == .gpu ? .gpu : .cpu) : gemm
        let source = try Self.families.map { try KernelSources.source($0) }.joined(separator: "\n")
        program = try context.program(source: source, options: "-cl-std=CL1.2 \(buildOptions)",
                                      name: "sculpt kernels (\(Self.families.joined(separator: ", ")))")
    }

    public var deviceDescription: String {
        let d = context.device
        return "\(d.name) (\(d.type.rawValue), \(d.platformName), driver \(d.driverVersion))"
    }

    public var memory: (total: UInt64, maxAllocation: UInt64)? {
        (context.device.globalMemoryBytes, context.device.maxAllocationBytes)
    }

    func kernel(_ name: String) throws -> CLKernel {
        if let k = kernels[name] { return k }
        let k = try program.kernel(name)
        kernels[name] = k
        return k
    }

    public func makeFloats(_ count: Int, label: String) throws -> Floats { try context.buffer(Float.self, count: count, label: label) }
    public func makeUInts(_ count: Int, label: String) throws -> UInts { try context.buffer(UInt32.self, count: count, label: label) }
    public func write(_ values: [Float], to buffer: Floats, offset: Int) throws { try queue.write(buffer, values, offset: offset) }
    public func write(_ values: [UInt32], to buffer: UInts, offset: Int) throws { try queue.write(buffer, values, offset: offset) }
    public func read(_ buffer: Floats, offset: Int, count: Int) throws -> [Float] { try queue.read(buffer, offset: offset, count: count) }
    public func read(_ buffer: UInts, offset: Int, count: Int) throws -> [UInt32] { try queue.read(buffer, offset: offset, count: count) }
    public func copy(_ src: Floats, srcOffset: Int, to dst: Floats, dstOffset: Int, count: Int) throws {
        try queue.copy(from: src, srcOffset: srcOffset, to: dst, dstOffset: dstOffset, count: count)
    }
    public func finish() throws { try queue.finish() }

    /// One argument of a launch.
    enum Arg {
        case i(Int), f(Float), fb(Floats), ub(UInts)
    }

    /// Binds `args` in order and launches `name` over `global` (in work-groups of `local` when given).
    func launch(_ name: String, _ global: [Int], _ args: [Arg], local: [Int]? = nil) throws {
        if global.contains(0) { return }
        let k = try kernel(name)
        for (n, a) in args.enumerated() {
            switch a {
            case .i(let v):
                precondition(v >= Int(Int32.min) && v <= Int(Int32.max), "\(name) argument \(n) = \(v) does not fit a 32-bit int")
                try k.set(n, Int32(v))
            case .f(let v): try k.set(n, v)
            case .fb(let b): try k.set(n, b)
            case .ub(let b): try k.set(n, b)
            }
        }
        try queue.enqueue(k, global: global, local: local)
    }

    // MARK: - data.cl

    public func batchGather(P: Int, n0: Int, m: Int, N: Int, B: Int, Bt: Int, start: Int, epoch: Int, sigma: Float,
                            data: Floats, targets: Floats, perm: UInts, keys: UInts, session: UInts, active: UInts,
                            x: Floats, y: Floats) throws {
        try launch("batch_gather", [max(n0, m), Bt, P],
                   [.i(n0), .i(m), .i(N), .i(B), .i(start), .i(epoch), .f(sigma),
                    .fb(data), .fb(targets), .ub(perm), .ub(keys), .ub(session), .ub(active), .fb(x), .fb(y)])
    }

    // MARK: - dropout.cl

    public func dropoutApply(P: Int, n: Int, B: Int, Bt: Int, hOff: Int, start: Int, epoch: Int, rate: Float, scale: Float,
                             keys: UInts, session: UInts, active: UInts, x: Floats) throws {
        try launch("dropout_apply", [n, Bt, P], [.i(n), .i(B), .i(Bt), .i(hOff), .i(start), .i(epoch), .f(rate), .f(scale),
                                                 .ub(keys), .ub(session), .ub(active), .fb(x)])
    }

    // MARK: - dense.cl

    public func denseForward(P: Int, nIn: Int, nOut: Int, B: Int, Bt: Int, inStride: Int, inOff: Int,
                             WT: Int, wOff: Int, BT: Int, bOff: Int, relu: Bool,
                             input: Floats, W: Floats, bias: Floats, active: UInts, out: Floats) throws {
        try launch("dense_forward", [nOut, Bt, P],
                   [.i(nIn), .i(nOut), .i(B), .i(Bt), .i(inStride), .i(inOff), .i(WT), .i(wOff), .i(BT), .i(bOff),
                    .i(relu ? 1 : 0), .fb(input), .fb(W), .fb(bias), .ub(active), .fb(out)])
    }

    public func denseBackwardData(P: Int, nIn: Int, nOut: Int, B: Int, Bt: Int, WT: Int, wOff: Int,
                                  dOut: Floats, W: Floats, a: Floats, active: UInts, dIn: Floats) throws {
        try launch("dense_backward_data", [nIn, Bt, P],
                   [.i(nIn), .i(nOut), .i(B), .i(Bt), .i(WT), .i(wOff), .fb(dOut), .fb(W), .fb(a), .ub(active), .fb(dIn)])
    }

    public func denseBackwardWeights(P: Int, nIn: Int, nOut: Int, B: Int, Bt: Int, inStride: Int, inOff: Int,
                                     WT: Int, wOff: Int, BT: Int, bOff: Int,
                                     input: Floats, dOut: Floats, active: UInts, gW: Floats, gb: Floats) throws {
        try launch("dense_backward_weights", [nIn + 1, nOut, P],
                   [.i(nIn), .i(nOut), .i(B), .i(Bt), .i(inStride), .i(inOff), .i(WT), .i(wOff), .i(BT), .i(bOff),
                    .fb(input), .fb(dOut), .ub(active), .fb(gW), .fb(gb)])
    }

    // MARK: - loss.cl

    public func bceGrad(P: Int, m: Int, B: Int, Bt: Int, scale: Float, yStride: Int, yOff: Int, z: Floats, y: Floats, active: UInts, dz: Floats) throws {
        try launch("bce_grad", [m, Bt, P], [.i(m), .i(B), .i(Bt), .f(scale), .i(yStride), .i(yOff), .fb(z), .fb(y), .ub(active), .fb(dz)])
    }

    public func bceEvalAccumulate(P: Int, m: Int, B: Int, Bt: Int, tOff: Int, z: Floats, targets: Floats,
                                  active: UInts, lossSum: Floats, correct: UInts) throws {
        try launch("bce_eval_accumulate", [P], [.i(m), .i(B), .i(Bt), .i(tOff), .fb(z), .fb(targets), .ub(active), .fb(lossSum), .ub(correct)])
    }

    public func softmaxCeGrad(P: Int, m: Int, B: Int, Bt: Int, scale: Float, yStride: Int, yOff: Int, z: Floats, y: Floats, active: UInts, dz: Floats) throws {
        try launch("softmax_ce_grad", [m, Bt, P], [.i(m), .i(B), .i(Bt), .f(scale), .i(yStride), .i(yOff), .fb(z), .fb(y), .ub(active), .fb(dz)])
    }

    public func softmaxEvalAccumulate(P: Int, m: Int, B: Int, Bt: Int, tOff: Int, z: Floats, targets: Floats,
                                      active: UInts, lossSum: Floats, correct: UInts) throws {
        try launch("softmax_eval_accumulate", [P], [.i(m), .i(B), .i(Bt), .i(tOff), .fb(z), .fb(targets), .ub(active), .fb(lossSum), .ub(correct)])
    }

    // MARK: - adam.cl

    public func adamStep(P: Int, C: Int, wd: Float, beta1: Float, beta2: Float, eps: Float, bc1: Float, bc2: Float,
                         lr: Floats, active: UInts, mask: Floats, grad: Floats, param: Floats, m1: Floats, m2: Floats) throws {
        try launch("adam_step", [C, P], [.i(C), .f(wd), .f(beta1), .f(beta2), .f(eps), .f(bc1), .f(bc2),
                                         .fb(lr), .ub(active), .fb(mask), .fb(grad), .fb(param), .fb(m1), .fb(m2)])
    }

    // MARK: - population.cl

    public func snapshotRule(P: Int, epoch: Int, NM: Float, lossSum: Floats, correct: UInts, active: UInts,
                             bestLoss: Floats, bestCorrect: UInts, flag: UInts, histLoss: Floats, histCorrect: UInts) throws {
        try launch("snapshot_rule", [P], [.i(P), .i(epoch), .f(NM), .fb(lossSum), .ub(correct), .ub(active),
                                          .fb(bestLoss), .ub(bestCorrect), .ub(flag), .fb(histLoss), .ub(histCorrect)])
    }

    public func selectCopy(P: Int, C: Int, flag: UInts, src: Floats, dst: Floats) throws {
        try launch("select_copy", [C, P], [.i(C), .ub(flag), .fb(src), .fb(dst)])
    }

    public func maskDeriveBias(P: Int, nIn: Int, nOut: Int, WT: Int, wOff: Int, BT: Int, bOff: Int, mask: Floats, bm: Floats) throws {
        try launch("mask_derive_bias", [nOut, P], [.i(nIn), .i(nOut), .i(WT), .i(wOff), .i(BT), .i(bOff), .fb(mask), .fb(bm)])
    }

    public func maskApply(P: Int, C: Int, active: UInts, mask: Floats, param: Floats) throws {
        try launch("mask_apply", [C, P], [.i(C), .ub(active), .fb(mask), .fb(param)])
    }

    // MARK: - prune.cl

    public func unitScoreAccumulate(P: Int, n: Int, B: Int, Bt: Int, H: Int, hOff: Int, a: Floats, d: Floats, active: UInts, score: Floats) throws {
        try launch("unit_score_accumulate", [n, P], [.i(n), .i(B), .i(Bt), .i(H), .i(hOff), .fb(a), .fb(d), .ub(active), .fb(score)])
    }

    public func maskPruneUnits(P: Int, nIn: Int, nOut: Int, WT: Int, wOff: Int, H: Int, hIn: Int, hOut: Int, keep: Floats, active: UInts, mask: Floats) throws {
        try launch("mask_prune_units", [nIn * nOut, P], [.i(nIn), .i(nOut), .i(WT), .i(wOff), .i(H), .i(hIn), .i(hOut), .fb(keep), .ub(active), .fb(mask)])
    }

    /// Above this many weights per model, selection runs as parallel radix histograms.
    public var parallelSelectThreshold = 1 << 16
    private var radixScratch: (P: Int, G: Int, hist: UInts, rank: UInts, prefix: UInts, mask: UInts)?

    public func selectKthAbs(P: Int, C: Int, stride: Int, offset: Int, values: Floats, rank: UInts, active: UInts, out: Floats) throws {
        guard C >= parallelSelectThreshold else {
            try launch("select_kth_abs", [P], [.i(C), .i(stride), .i(offset), .fb(values), .ub(rank), .ub(active), .fb(out)])
            return
        }
        let wg = 256
        let G = min(256, max(1, C / (wg * 64)))
        let chunk = (C + G - 1) / G
        if radixScratch == nil || radixScratch!.P != P || radixScratch!.G != G {
            radixScratch = (P, G, try makeUInts(P * G * 256, label: "radix histograms"), try makeUInts(P, label: "radix rank"),
                            try makeUInts(P, label: "radix prefix"), try makeUInts(P, label: "radix prefix mask"))
        }
        let s = radixScratch!
        try queue.copy(from: rank, to: s.rank, count: P)
        try write([UInt32](repeating: 0, count: P), to: s.prefix, offset: 0)
        try write([UInt32](repeating: 0, count: P), to: s.mask, offset: 0)
        for shift in [24, 16, 8, 0] {
            try launch("radix_histogram", [G * wg, P], [.i(C), .i(stride), .i(offset), .i(chunk), .i(shift), .fb(values), .ub(s.prefix), .ub(s.mask), .ub(active), .ub(s.hist)],
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

    // MARK: - gemm.cl

    /// Tile edge of gemm_tiled_gpu (GEMM_TS; keep equal to the kernel's default unless overridden).
    public var gpuTile = 64

    public func gemm(P: Int, M: Int, N: Int, K: Int,
                     a: Floats, aOff: Int, sAp: Int, sAm: Int, sAk: Int,
                     b: Floats, bOff: Int, sBp: Int, sBk: Int, sBn: Int,
                     c: Floats, cOff: Int, sCp: Int, ldc: Int,
                     bias: Floats?, biasOff: Int, sBiasP: Int, relu: Bool,
                     gate: Floats?, gOff: Int, sGp: Int, ldg: Int, active: UInts) throws {
        let args: [Arg] = [.i(M), .i(N), .i(K), .fb(a), .i(aOff), .i(sAp), .i(sAm), .i(sAk),
                           .fb(b), .i(bOff), .i(sBp), .i(sBk), .i(sBn), .fb(c), .i(cOff), .i(sCp), .i(ldc),
                           .fb(bias ?? c), .i(biasOff), .i(sBiasP), .i(bias == nil ? 0 : 1), .i(relu ? 1 : 0),
                           .fb(gate ?? c), .i(gOff), .i(sGp), .i(ldg), .i(gate == nil ? 0 : 1), .ub(active)]
        func up(_ x: Int, _ d: Int) -> Int { (x + d - 1) / d }
        if gemmVariant == .cpu && sBn == 1 {
            try launch("gemm_vecb_cpu", [up(N, 16), up(M, 4), P], args, local: [1, 1, 1])
        } else if gemmVariant == .cpu && sAk == 1 && sBk == 1 {
            try launch("gemm_dot_cpu", [up(N, 4), up(M, 4), P], args, local: [1, 1, 1])
        } else {
            let t = gpuTile
            try launch("gemm_tiled_gpu", [up(N, t) * t / 4, up(M, t) * t / 4, P], args, local: [t / 4, t / 4, 1])
        }
    }

    public func biasGrad(P: Int, nOut: Int, B: Int, Bt: Int, BT: Int, bOff: Int, dOut: Floats, active: UInts, gb: Floats) throws {
        try launch("bias_grad", [nOut, P], [.i(nOut), .i(B), .i(Bt), .i(BT), .i(bOff), .fb(dOut), .ub(active), .fb(gb)])
    }
}
