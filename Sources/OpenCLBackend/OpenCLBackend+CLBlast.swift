import CCLBlast
import CLRuntime
import SculptCore

// The matrix products of Kernels/gemm.cl through CLBlast's strided-batched SGEMM: one library call for
// all P models (uniform per-model strides are exactly its batch strides) into a dense scratch
// [P][M][N], then `gemm_epilogue_copy` applies the kernels' epilogue while copying into C, skipping
// inactive models. Everything stays on the device and in queue order: no host synchronisation.
extension OpenCLBackend {

    /// The `gemm` of `Kernels/gemm.cl` through CLBlast. Returns false, having done nothing, when an
    /// operand's strides fit no BLAS layout; the caller then runs the kernel.
    /// - Throws: `CLBlastError` for a status CLBlast reports, `CLError` for the epilogue launch.
    func clblastGemm(_ g: GemmCall) throws -> Bool {
        guard let (la, lb) = g.blasLayouts, g.sAp >= 0, g.sBp >= 0 else { return false }
        libraryProducts += 1
        let (P, M, N, K) = (g.P, g.M, g.N, g.K)
        if M == 0 || N == 0 || P == 0 { return true }
        let scratch = try gemmScratch(P * M * N)
        var q: cl_command_queue? = queue.handle
        let status = CLBlastSgemmStridedBatched(
            CLBlastLayoutRowMajor, la.transpose ? CLBlastTransposeYes : CLBlastTransposeNo, lb.transpose ? CLBlastTransposeYes : CLBlastTransposeNo,
            M, N, K, 1, g.a.handle, g.aOff, la.ld, g.sAp, g.b.handle, g.bOff, lb.ld, g.sBp, 0, scratch.handle, 0, N, M * N, P, &q, nil)
        guard status == CLBlastSuccess else {
            throw CLBlastError(status: Int(status.rawValue), call: "CLBlastSgemmStridedBatched", shape: "P \(P), M \(M), N \(N), K \(K)")
        }
        try launch("gemm_epilogue_copy", [N, M, P], [.i(M), .i(N), .fb(scratch), .fb(g.c), .i(g.cOff), .i(g.sCp), .i(g.ldc)] + g.epilogueArgs)
        return true
    }

    /// A device buffer of at least `count` floats for library products, grown when needed.
    func gemmScratch(_ count: Int) throws -> Floats {
        if let s = scratchForLibrary, s.count >= count { return s }
        let s = try makeFloats(count, label: "library product scratch")
        scratchForLibrary = s
        return s
    }
}

/// A CLBlast call that did not succeed; `status` is CLBlast's code (negative OpenCL codes, −1000 and
/// below its own, e.g. −2048 for an unsupported device).
public struct CLBlastError: Error, CustomStringConvertible, Equatable {
    public let status: Int
    public let call: String
    public let shape: String
    public var description: String { "\(call) failed with CLBlast status \(status) (\(shape))" }
}
