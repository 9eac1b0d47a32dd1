import SculptCore

// The prune.cl family (see Kernels/prune.cl for shapes, layout and guards).
extension ReferenceBackend {

    public func unitScoreAccumulate(P: Int, n: Int, B: Int, Bt: Int, H: Int, hOff: Int, a: Floats, d: Floats, active: UInts, score: Floats) throws {
        for p in 0..<P where active.a[p] != 0 {
            for u in 0..<n {
                var acc = 0.0
                for b in 0..<Bt { acc += abs(Double(a.a[(p * B + b) * n + u]) * Double(d.a[(p * B + b) * n + u])) }
                score.a[p * H + hOff + u] += Float(acc)
            }
        }
    }

    public func maskPruneUnits(P: Int, nIn: Int, nOut: Int, WT: Int, wOff: Int, H: Int, hIn: Int, hOut: Int, keep: Floats, active: UInts, mask: Floats) throws {
        for p in 0..<P where active.a[p] != 0 {
            for j in 0..<nOut {
                for i in 0..<nIn {
                    let kIn: Float = hIn >= 0 ? keep.a[p * H + hIn + i] : 1
                    let kOut: Float = hOut >= 0 ? keep.a[p * H + hOut + j] : 1
                    mask.a[p * WT + wOff + j * nIn + i] *= kIn * kOut
                }
            }
        }
    }

    public func selectKthAbs(P: Int, C: Int, stride: Int, offset: Int, values: Floats, rank: UInts, active: UInts, out: Floats) throws {
        for p in 0..<P where active.a[p] != 0 {
            let sorted = values.a[p * stride + offset..<p * stride + offset + C].map { abs($0) }.sorted()
            out.a[p] = sorted[Int(rank.a[p])]
        }
    }

    public func maskMagnitude(P: Int, C: Int, stride: Int, offset: Int, W: Floats, lo: Floats, hi: Floats, interp: UInts, active: UInts, mask: Floats) throws {
        for p in 0..<P where active.a[p] != 0 {
            for c in 0..<C {
                let e = p * stride + offset + c
                let w = abs(W.a[e])
                let keep = interp.a[p] != 0 && hi.a[p] > lo.a[p] ? w >= hi.a[p] : w > lo.a[p]
                if !keep { mask.a[e] = 0 }
            }
        }
    }

    public func countNonzero(P: Int, C: Int, values: Floats, count: UInts) throws {
        for p in 0..<P { count.a[p] = UInt32(values.a[p * C..<(p + 1) * C].filter { $0 != 0 }.count) }
    }
}

#if canImport(Glibc)
    import Glibc
#endif
