import CLRuntime
import SculptCore

// The gemm.cl family (see Kernels/gemm.cl for shapes, layout and guards).
extension OpenCLBackend {
    /// One `gemm` call's operands, as every path (kernels, OpenBLAS, CLBlast) takes them.
    struct GemmCall {
        let P: Int, M: Int, N: Int, K: Int
        let a: Floats, aOff: Int, sAp: Int, sAm: Int, sAk: Int
        let b: Floats, bOff: Int, sBp: Int, sBk: Int, sBn: Int
        let c: Floats, cOff: Int, sCp: Int, ldc: Int
        let bias: Floats?, biasOff: Int, sBiasP: Int, relu: Bool
        let gate: Floats?, gOff: Int, sGp: Int, ldg: Int, active: UInts

        /// Row-major BLAS layouts of A and B, nil when either's strides fit none (`blasLayout`).
        var blasLayouts: (a: (transpose: Bool, ld: Int), b: (transpose: Bool, ld: Int))? {
            guard let la = OpenCLBackend.blasLayout(rows: M, cols: K, rowStride: sAm, columnStride: sAk),
                let lb = OpenCLBackend.blasLayout(rows: K, cols: N, rowStride: sBk, columnStride: sBn)
            else { return nil }
            return (la, lb)
        }

        /// The epilogue's kernel arguments (bias, ReLU, gate, active), shared by the gemm kernels and
        /// `gemm_epilogue_copy`.
        var epilogueArgs: [Arg] {
            [
                .fb(bias ?? c), .i(biasOff), .i(sBiasP), .i(bias == nil ? 0 : 1), .i(relu ? 1 : 0),
                .fb(gate ?? c), .i(gOff), .i(sGp), .i(ldg), .i(gate == nil ? 0 : 1), .ub(active),
            ]
        }
    }

    public func gemm(
        P: Int, M: Int, N: Int, K: Int,
        a: Floats, aOff: Int, sAp: Int, sAm: Int, sAk: Int,
        b: Floats, bOff: Int, sBp: Int, sBk: Int, sBn: Int,
        c: Floats, cOff: Int, sCp: Int, ldc: Int,
        bias: Floats?, biasOff: Int, sBiasP: Int, relu: Bool,
        gate: Floats?, gOff: Int, sGp: Int, ldg: Int, active: UInts
    ) throws {
        let g = GemmCall(
            P: P, M: M, N: N, K: K, a: a, aOff: aOff, sAp: sAp, sAm: sAm, sAk: sAk, b: b, bOff: bOff, sBp: sBp, sBk: sBk, sBn: sBn,
            c: c, cOff: cOff, sCp: sCp, ldc: ldc, bias: bias, biasOff: biasOff, sBiasP: sBiasP, relu: relu,
            gate: gate, gOff: gOff, sGp: sGp, ldg: ldg, active: active)
        // The libraries take large products whose strides they can describe; everything else, the kernels.
        if M * N * K >= libraryGemmMinimum {
            switch gemmPath {
            case .blas: if try hostGemm(g) { return }
            case .clblast: if try clblastGemm(g) { return }
            case .auto, .opencl: break
            }
        }
        let args: [Arg] =
            [
                .i(M), .i(N), .i(K), .fb(a), .i(aOff), .i(sAp), .i(sAm), .i(sAk),
                .fb(b), .i(bOff), .i(sBp), .i(sBk), .i(sBn), .fb(c), .i(cOff), .i(sCp), .i(ldc),
            ] + g.epilogueArgs
        if gemmVariant == .cpu && sBn == 1 {
            try launch("gemm_vecb_cpu", gemmTuning.vecbGlobal(M: M, N: N, P: P), args, local: [1, 1, 1])
        } else if gemmVariant == .cpu && sAk == 1 && sBk == 1 {
            try launch("gemm_dot_cpu", gemmTuning.dotGlobal(M: M, N: N, P: P), args, local: [1, 1, 1])
        } else {
            let (global, local) = gemmTuning.tiled(M: M, N: N, P: P)
            try launch("gemm_tiled_gpu", global, args, local: local)
        }
    }

    public func biasGrad(P: Int, nOut: Int, B: Int, Bt: Int, BT: Int, bOff: Int, dOut: Floats, active: UInts, gb: Floats) throws {
        try launch("bias_grad", [nOut, P], [.i(nOut), .i(B), .i(Bt), .i(BT), .i(bOff), .fb(dOut), .ub(active), .fb(gb)])
    }
}
