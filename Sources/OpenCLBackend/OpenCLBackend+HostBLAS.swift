import CLRuntime
import COpenBLAS
import Foundation
import SculptCore

// The matrix products of Kernels/gemm.cl run by OpenBLAS on the host, over the population's own
// buffers mapped into host memory: on a CPU device the buffers already live there, so mapping copies
// nothing (measured with PoCL 3.1: a 100 MB map takes ~0.04 ms), and the host's BLAS reaches several
// times the throughput of OpenCL kernels compiled by PoCL (Benchmarks/RESULTS.md).
//
// Ordering: the maps are queued after every command before the product and one clFinish waits for
// them all, so those commands have finished when BLAS reads its operands; the unmaps are queued
// before anything after it. While BLAS runs, PoCL's worker threads have nothing queued, and while
// PoCL runs, OpenBLAS's idle workers sleep (BLASIdleWorkers), so the two pools do not compete.
extension OpenCLBackend {

    /// How a strided operand `X(r,c) = X[r·rowStride + c·columnStride]` of `rows × cols` is passed to a
    /// row-major CBLAS call: as itself or transposed, with its leading dimension; nil when no layout fits.
    public static func blasLayout(rows: Int, cols: Int, rowStride: Int, columnStride: Int) -> (transpose: Bool, ld: Int)? {
        if columnStride == 1 && (rows <= 1 || rowStride >= max(cols, 1)) { return (false, rows <= 1 ? max(cols, 1) : rowStride) }
        if rowStride == 1 && (cols <= 1 || columnStride >= max(rows, 1)) { return (true, cols <= 1 ? max(rows, 1) : columnStride) }
        return nil
    }

    /// The `gemm` of `Kernels/gemm.cl` through `cblas_sgemm`, one call per active model, with the same
    /// epilogue (bias, ReLU, gate) applied on the host. Returns false, having done nothing, when an
    /// operand's strides fit no BLAS layout or a size exceeds a 32-bit BLAS integer; the caller then
    /// runs the kernel.
    func hostGemm(_ g: GemmCall) throws -> Bool {
        let limit = Int(Int32.max)
        guard let (la, lb) = g.blasLayouts, g.ldc >= max(g.N, 1), [g.M, g.N, g.K, la.ld, lb.ld, g.ldc].allSatisfy({ $0 <= limit })
        else { return false }
        libraryProducts += 1
        if g.M == 0 || g.N == 0 { return true }
        // Every operand and the active flags are mapped without waiting, then one wait covers them
        // all: a blocking call per buffer would cost a round trip through PoCL's scheduler each.
        var mapped: [ObjectIdentifier: (unmap: () throws -> Void, pointer: UnsafeMutablePointer<Float>)] = [:]
        func host(_ buffer: Floats) throws -> UnsafeMutablePointer<Float> {
            if let m = mapped[ObjectIdentifier(buffer)] { return m.pointer }
            let p = try queue.map(buffer, blocking: false)
            mapped[ObjectIdentifier(buffer)] = ({ try self.queue.unmap(buffer, p) }, p)
            return p
        }
        var failure: Error?
        var activeFlags: UnsafeMutablePointer<UInt32>?
        do {
            let flags = try queue.map(g.active, blocking: false)
            activeFlags = flags
            let (M, N, ldc) = (g.M, g.N, g.ldc)
            let pa = try host(g.a), pb = try host(g.b), pc = try host(g.c)
            let pBias = try g.bias.map(host), pGate = try g.gate.map(host)
            try queue.finish()
            if (0..<g.P).contains(where: { flags[$0] != 0 }) {
                BLASIdleWorkers.sleepPromptly
                if openblas_get_num_threads() != blasThreads { openblas_set_num_threads(Int32(blasThreads)) }
            }
            for p in 0..<g.P where flags[p] != 0 {
                let cp = pc + p * g.sCp + g.cOff
                if let pBias {
                    let row = pBias + p * g.sBiasP + g.biasOff
                    for m in 0..<M { (cp + m * ldc).update(from: row, count: N) }
                }
                cblas_sgemm(
                    Int32(COpenBLASRowMajor),
                    Int32(la.transpose ? COpenBLASTrans : COpenBLASNoTrans), Int32(lb.transpose ? COpenBLASTrans : COpenBLASNoTrans),
                    Int32(M), Int32(N), Int32(g.K), 1, pa + p * g.sAp + g.aOff, Int32(la.ld), pb + p * g.sBp + g.bOff, Int32(lb.ld),
                    pBias == nil ? 0 : 1, cp, Int32(ldc))
                if g.relu || pGate != nil {
                    let gp = pGate.map { $0 + p * g.sGp + g.gOff }
                    for m in 0..<M { Self.reluAndGate(cp + m * ldc, gate: gp.map { $0 + m * g.ldg }, count: N, relu: g.relu) }
                }
            }
        } catch { failure = error }
        for m in mapped.values {
            do { try m.unmap() } catch { failure = failure ?? error }
        }
        if let activeFlags {
            do { try queue.unmap(g.active, activeFlags) } catch { failure = failure ?? error }
        }
        if let failure { throw failure }
        return true
    }

    /// The kernels' epilogue after the bias, on one row: `x = 0` where `relu` and `x < 0`, and where
    /// `gate` is given and not `> 0` (so NaN and −0 pass ReLU as in `Kernels/gemm.cl`). In vectors of
    /// 16: the element-wise loop did not vectorise and took ~1 ms per 512×392 product, 20× this.
    static func reluAndGate(_ row: UnsafeMutablePointer<Float>, gate: UnsafeMutablePointer<Float>?, count: Int, relu: Bool) {
        typealias V = SIMD16<Float>
        let zero = V(repeating: 0)
        let raw = UnsafeMutableRawPointer(row), rawGate = gate.map { UnsafeRawPointer($0) }
        var n = 0
        while n + V.scalarCount <= count {
            var v = raw.loadUnaligned(fromByteOffset: n * 4, as: V.self)
            if relu { v.replace(with: zero, where: v .< zero) }
            if let rawGate { v.replace(with: zero, where: .!(rawGate.loadUnaligned(fromByteOffset: n * 4, as: V.self) .> zero)) }
            raw.storeBytes(of: v, toByteOffset: n * 4, as: V.self)
            n += V.scalarCount
        }
        while n < count {
            if relu && row[n] < 0 { row[n] = 0 }
            if let gate, !(gate[n] > 0) { row[n] = 0 }
            n += 1
        }
    }

    /// OpenBLAS threads for the host products: `OPENBLAS_NUM_THREADS`, else `OMP_NUM_THREADS`, else the
    /// cores this process may use.
    public static func defaultBLASThreads(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> Int {
        for name in ["OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"] {
            if let v = environment[name].flatMap({ Int($0) }), v > 0 { return v }
        }
        return max(1, ProcessInfo.processInfo.activeProcessorCount)
    }

    /// The host BLAS as run files and `sculpt devices` name it: build, kernel set, threads.
    public static func hostBLASDescription(threads: Int = defaultBLASThreads()) -> String {
        "\(blasConfiguration), \(BLASKernels.current) kernels, \(threads) thread\(threads == 1 ? "" : "s")"
    }

    /// OpenBLAS's build description, e.g. "OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY Haswell MAX_THREADS=64".
    static var blasConfiguration: String {
        guard let c = openblas_get_config() else { return "OpenBLAS" }
        return String(cString: c)
    }
}
