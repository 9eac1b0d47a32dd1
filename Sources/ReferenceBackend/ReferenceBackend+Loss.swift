import SculptCore

// The loss.cl family (see Kernels/loss.cl for shapes, layout and guards).
extension ReferenceBackend {

    static func sigmoid(_ z: Double) -> Double { z >= 0 ? 1 / (1 + exp(-z)) : exp(z) / (1 + exp(z)) }

    /// Whether σ(z), evaluated in float as the kernel and PyTorch do (1/(1 + e) rounds to 1 once
    /// e = exp(−z) < 2^−24), is exactly 1 with target 0 or exactly 0 with target 1.
    static func saturatedWrong(_ z: Double, target t: Double) -> Bool {
        let e = Float(exp(-abs(z)))
        let s: Float = z >= 0 ? 1 / (1 + e) : e / (1 + e)
        return (s == 1 && t < 0.5) || (s == 0 && t > 0.5)
    }

    public func bceGrad(P: Int, m: Int, B: Int, Bt: Int, scale: Float, yStride: Int, yOff: Int, saturate: Bool, z: Floats, y: Floats, active: UInts, dz: Floats) throws {
        for p in 0..<P where active.a[p] != 0 {
            for b in 0..<Bt {
                for k in 0..<m {
                    let e = (p * B + b) * m + k
                    let v = Double(z.a[e]), t = Double(y.a[p * yStride + yOff + b * m + k])
                    dz.a[e] = saturate && Self.saturatedWrong(v, target: t) ? 0 : Float((Self.sigmoid(v) - t) * Double(scale))
                }
            }
        }
    }

    public func bceEvalAccumulate(
        P: Int, m: Int, B: Int, Bt: Int, tOff: Int, z: Floats, targets: Floats,
        active: UInts, lossSum: Floats, correct: UInts
    ) throws {
        for p in 0..<P where active.a[p] != 0 {
            var loss = 0.0
            var ok: UInt32 = 0
            for b in 0..<Bt {
                for k in 0..<m {
                    let v = Double(z.a[(p * B + b) * m + k])
                    let t = Double(targets.a[tOff + b * m + k])
                    loss += max(v, 0) - v * t + log1p(exp(-abs(v)))
                    if (v > 0) == (t > 0.5) { ok += 1 }
                }
            }
            lossSum.a[p] += Float(loss)
            correct.a[p] += ok
        }
    }

    /// Row statistics of the softmax: M = max z, S = Σ exp(z − M).
    static func softmaxStats(_ z: ArraySlice<Float>) -> (M: Double, S: Double) {
        let M = Double(z.max()!)
        return (M, z.reduce(0.0) { $0 + exp(Double($1) - M) })
    }

    public func softmaxCeGrad(P: Int, m: Int, B: Int, Bt: Int, scale: Float, yStride: Int, yOff: Int, z: Floats, y: Floats, active: UInts, dz: Floats) throws {
        for p in 0..<P where active.a[p] != 0 {
            for b in 0..<Bt {
                let row = (p * B + b) * m
                let (M, S) = Self.softmaxStats(z.a[row..<row + m])
                for k in 0..<m {
                    let q = exp(Double(z.a[row + k]) - M) / S
                    dz.a[row + k] = Float((q - Double(y.a[p * yStride + yOff + b * m + k])) * Double(scale))
                }
            }
        }
    }

    public func softmaxEvalAccumulate(
        P: Int, m: Int, B: Int, Bt: Int, tOff: Int, z: Floats, targets: Floats,
        active: UInts, lossSum: Floats, correct: UInts
    ) throws {
        for p in 0..<P where active.a[p] != 0 {
            var loss = 0.0
            var ok: UInt32 = 0
            for b in 0..<Bt {
                let row = (p * B + b) * m, t = tOff + b * m
                let (M, S) = Self.softmaxStats(z.a[row..<row + m])
                var yz = 0.0
                var az = 0, at = 0
                for k in 0..<m {
                    yz += Double(targets.a[t + k]) * (M - Double(z.a[row + k]))
                    if z.a[row + k] > z.a[row + az] { az = k }
                    if targets.a[t + k] > targets.a[t + at] { at = k }
                }
                loss += log(S) + yz
                if az == at { ok += 1 }
            }
            lossSum.a[p] += Float(loss)
            correct.a[p] += ok
        }
    }
}

#if canImport(Glibc)
    import Glibc
#endif
