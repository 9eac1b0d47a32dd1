import SculptCore

// The data.cl family (see Kernels/data.cl for shapes, layout and guards).
extension ReferenceBackend {

    public func batchGather(
        P: Int, n0: Int, m: Int, N: Int, B: Int, Bt: Int, start: Int, epoch: Int, sigma: Float,
        data: Floats, targets: Floats, perm: UInts, keys: UInts, session: UInts, active: UInts,
        x: Floats, y: Floats
    ) throws {
        for p in 0..<P where active.a[p] != 0 {
            for b in 0..<Bt {
                let pos = start + b
                let row = Int(perm.a[p * N + pos])
                for i in 0..<n0 {
                    var v = data.a[row * n0 + i]
                    if sigma > 0 {
                        let e = UInt32(pos) &* UInt32(n0) &+ UInt32(i)
                        let r = Philox.block(counter: (e >> 1, UInt32(epoch), session.a[p], 0), key: (keys.a[2 * p], keys.a[2 * p + 1]))
                        let z = Philox.normalPair(r.0, r.1)
                        v += sigma * ((e & 1) != 0 ? z.1 : z.0)
                    }
                    x.a[(p * B + b) * n0 + i] = v
                }
                for k in 0..<m {
                    y.a[(p * B + b) * m + k] = targets.a[row * m + k]
                }
            }
        }
    }
}

#if canImport(Glibc)
    import Glibc
#endif
