import SculptCore

// The dense.cl family (see Kernels/dense.cl for shapes, layout and guards).
extension ReferenceBackend {

    public func denseForward(
        P: Int, nIn: Int, nOut: Int, B: Int, Bt: Int, inStride: Int, inOff: Int,
        WT: Int, wOff: Int, BT: Int, bOff: Int, relu: Bool,
        input: Floats, W: Floats, bias: Floats, active: UInts, out: Floats
    ) throws {
        for p in 0..<P where active.a[p] != 0 {
            for b in 0..<Bt {
                for j in 0..<nOut {
                    var acc = 0.0
                    for i in 0..<nIn {
                        acc += Double(W.a[p * WT + wOff + j * nIn + i]) * Double(input.a[p * inStride + inOff + b * nIn + i])
                    }
                    acc += Double(bias.a[p * BT + bOff + j])
                    out.a[(p * B + b) * nOut + j] = Float(relu && acc < 0 ? 0 : acc)
                }
            }
        }
    }

    public func denseBackwardData(
        P: Int, nIn: Int, nOut: Int, B: Int, Bt: Int, WT: Int, wOff: Int,
        dOut: Floats, W: Floats, a: Floats, active: UInts, dIn: Floats
    ) throws {
        for p in 0..<P where active.a[p] != 0 {
            for b in 0..<Bt {
                let row = p * B + b
                for i in 0..<nIn {
                    var acc = 0.0
                    if a.a[row * nIn + i] > 0 {
                        for j in 0..<nOut { acc += Double(dOut.a[row * nOut + j]) * Double(W.a[p * WT + wOff + j * nIn + i]) }
                    }
                    dIn.a[row * nIn + i] = Float(acc)
                }
            }
        }
    }

    public func denseBackwardWeights(
        P: Int, nIn: Int, nOut: Int, B: Int, Bt: Int, inStride: Int, inOff: Int,
        WT: Int, wOff: Int, BT: Int, bOff: Int,
        input: Floats, dOut: Floats, active: UInts, gW: Floats, gb: Floats
    ) throws {
        for p in 0..<P where active.a[p] != 0 {
            for j in 0..<nOut {
                var accB = 0.0
                for b in 0..<Bt { accB += Double(dOut.a[(p * B + b) * nOut + j]) }
                gb.a[p * BT + bOff + j] = Float(accB)
                for i in 0..<nIn {
                    var acc = 0.0
                    for b in 0..<Bt {
                        acc += Double(dOut.a[(p * B + b) * nOut + j]) * Double(input.a[p * inStride + inOff + b * nIn + i])
                    }
                    gW.a[p * WT + wOff + j * nIn + i] = Float(acc)
                }
            }
        }
    }
}

#if canImport(Glibc)
    import Glibc
#endif
