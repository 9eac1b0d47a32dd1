import SculptCore

// The gemm.cl family (see Kernels/gemm.cl for shapes, layout and guards).
extension ReferenceBackend {

    public func gemm(
        P: Int, M: Int, N: Int, K: Int,
        a: Floats, aOff: Int, sAp: Int, sAm: Int, sAk: Int,
        b: Floats, bOff: Int, sBp: Int, sBk: Int, sBn: Int,
        c: Floats, cOff: Int, sCp: Int, ldc: Int,
        bias: Floats?, biasOff: Int, sBiasP: Int, relu: Bool,
        gate: Floats?, gOff: Int, sGp: Int, ldg: Int, active: UInts
    ) throws {
        for p in 0..<P where active.a[p] != 0 {
            for m in 0..<M {
                for n in 0..<N {
                    var acc = 0.0
                    for k in 0..<K {
                        acc += Double(a.a[p * sAp + aOff + m * sAm + k * sAk]) * Double(b.a[p * sBp + bOff + k * sBk + n * sBn])
                    }
                    if let bias { acc += Double(bias.a[p * sBiasP + biasOff + n]) }
                    if relu && acc < 0 { acc = 0 }
                    if let gate, !(gate.a[p * sGp + gOff + m * ldg + n] > 0) { acc = 0 }
                    c.a[p * sCp + cOff + m * ldc + n] = Float(acc)
                }
            }
        }
    }

    public func biasGrad(P: Int, nOut: Int, B: Int, Bt: Int, BT: Int, bOff: Int, dOut: Floats, active: UInts, gb: Floats) throws {
        for p in 0..<P where active.a[p] != 0 {
            for j in 0..<nOut {
                var acc = 0.0
                for b in 0..<Bt { acc += Double(dOut.a[(p * B + b) * nOut + j]) }
                gb.a[p * BT + bOff + j] = Float(acc)
            }
        }
    }
}

#if canImport(Glibc)
    import Glibc
#endif
