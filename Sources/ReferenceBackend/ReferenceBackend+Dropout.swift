import SculptCore

// The dropout.cl family (see Kernels/dropout.cl for shapes, layout and guards).
extension ReferenceBackend {

    public func dropoutApply(
        P: Int, n: Int, B: Int, Bt: Int, hOff: Int, start: Int, epoch: Int, rate: Float, scale: Float,
        keys: UInts, session: UInts, active: UInts, x: Floats
    ) throws {
        for p in 0..<P where active.a[p] != 0 {
            for b in 0..<Bt {
                for u in 0..<n {
                    let r = Philox.block(
                        counter: (UInt32(hOff + u), UInt32(start + b), UInt32(epoch), session.a[p]),
                        key: (keys.a[2 * p], keys.a[2 * p + 1]))
                    let e = (p * B + b) * n + u
                    x.a[e] = Philox.unitFloat(r.0) > rate ? x.a[e] * scale : 0
                }
            }
        }
    }
}

#if canImport(Glibc)
    import Glibc
#endif
