import SculptCore

// The sparse.cl family (see Kernels/sparse.cl for shapes, layout and guards).
extension ReferenceBackend {

    public func sparseInputGather(
        P: Int, n0: Int, U: Int, N: Int, B: Int, Bt: Int, start: Int, epoch: Int, sigma: Float, usePerm: Bool,
        inStride: Int, inOff: Int, input: Floats, perm: UInts, keys: UInts, session: UInts, inputs: UInts, active: UInts, xs: Floats
    ) throws {
        for p in 0..<P where active.a[p] != 0 {
            for b in 0..<Bt {
                for u in 0..<U {
                    let c = inputs.a[p * U + u]
                    if c == UInt32.max { break }
                    let i = Int(c)
                    var v: Float
                    if usePerm {
                        let pos = start + b
                        v = input.a[Int(perm.a[p * N + pos]) * n0 + i]
                        if sigma > 0 {
                            let e = UInt32(pos) &* UInt32(n0) &+ UInt32(i)
                            let r = Philox.block(counter: (e >> 1, UInt32(epoch), session.a[p], 0), key: (keys.a[2 * p], keys.a[2 * p + 1]))
                            let z = Philox.normalPair(r.0, r.1)
                            v += sigma * ((e & 1) != 0 ? z.1 : z.0)
                        }
                    } else {
                        v = input.a[p * inStride + inOff + b * n0 + i]
                    }
                    xs.a[(p * B + b) * U + u] = v
                }
            }
        }
    }

    /// Model p's row j: (input column, slot) of each live weight.
    private func liveWeights(_ p: Int, _ j: Int, nOut: Int, K: Int, cols: UInts, slots: UInts) -> [(column: Int, slot: Int)] {
        var out: [(Int, Int)] = []
        for k in 0..<K {
            let e = (p * nOut + j) * K + k
            if cols.a[e] == UInt32.max { break }
            out.append((Int(cols.a[e]), Int(slots.a[e])))
        }
        return out
    }

    public func sparseInputForward(
        P: Int, n0: Int, nOut: Int, K: Int, U: Int, B: Int, Bt: Int, WT: Int, wOff: Int, BT: Int, bOff: Int, relu: Bool,
        xs: Floats, cols: UInts, slots: UInts, W: Floats, bias: Floats, active: UInts, out: Floats
    ) throws {
        for p in 0..<P where active.a[p] != 0 {
            for j in 0..<nOut {
                let live = liveWeights(p, j, nOut: nOut, K: K, cols: cols, slots: slots)
                for b in 0..<Bt {
                    var acc = 0.0
                    for (i, u) in live { acc += Double(W.a[p * WT + wOff + j * n0 + i]) * Double(xs.a[(p * B + b) * U + u]) }
                    acc += Double(bias.a[p * BT + bOff + j])
                    out.a[(p * B + b) * nOut + j] = Float(relu && acc < 0 ? 0 : acc)
                }
            }
        }
    }

    public func sparseInputBackwardWeights(
        P: Int, n0: Int, nOut: Int, K: Int, U: Int, B: Int, Bt: Int, WT: Int, wOff: Int,
        xs: Floats, cols: UInts, slots: UInts, dOut: Floats, active: UInts, gW: Floats
    ) throws {
        for p in 0..<P where active.a[p] != 0 {
            for j in 0..<nOut {
                for (i, u) in liveWeights(p, j, nOut: nOut, K: K, cols: cols, slots: slots) {
                    var acc = 0.0
                    for b in 0..<Bt { acc += Double(dOut.a[(p * B + b) * nOut + j]) * Double(xs.a[(p * B + b) * U + u]) }
                    gW.a[p * WT + wOff + j * n0 + i] = Float(acc)
                }
            }
        }
    }
}
