import SculptCore

/// Plain-Swift definition of every kernel in `Kernels/`: clear rather than fast, with `Double`
/// accumulators and bounds-checked array indexing. Each method documents nothing beyond its kernel's
/// header; the kernel file is the contract, this is its executable meaning.
public final class ReferenceBackend: ComputeBackend {
    public final class Floats { public var a: [Float]; let label: String; init(_ n: Int, _ l: String) { a = .init(repeating: 0, count: n); label = l } }
    public final class UInts { public var a: [UInt32]; let label: String; init(_ n: Int, _ l: String) { a = .init(repeating: 0, count: n); label = l } }

    public init() {}

    public var deviceDescription: String { "reference (plain Swift on the host)" }
    public var memory: (total: UInt64, maxAllocation: UInt64)? { nil }

    public func makeFloats(_ count: Int, label: String) throws -> Floats { Floats(count, label) }
    public func makeUInts(_ count: Int, label: String) throws -> UInts { UInts(count, label) }
    public func write(_ values: [Float], to buffer: Floats, offset: Int) throws {
        buffer.a.replaceSubrange(offset..<offset + values.count, with: values)
    }
    public func write(_ values: [UInt32], to buffer: UInts, offset: Int) throws {
        buffer.a.replaceSubrange(offset..<offset + values.count, with: values)
    }
    public func read(_ buffer: Floats, offset: Int, count: Int) throws -> [Float] { Array(buffer.a[offset..<offset + count]) }
    public func read(_ buffer: UInts, offset: Int, count: Int) throws -> [UInt32] { Array(buffer.a[offset..<offset + count]) }
    public func copy(_ src: Floats, srcOffset: Int, to dst: Floats, dstOffset: Int, count: Int) throws {
        dst.a.replaceSubrange(dstOffset..<dstOffset + count, with: src.a[srcOffset..<srcOffset + count])
    }
    public func finish() throws {}

    // MARK: - data.cl

    public func batchGather(P: Int, n0: Int, m: Int, N: Int, B: Int, Bt: Int, start: Int, epoch: Int, sigma: Float,
                            data: Floats, targets: Floats, perm: UInts, keys: UInts, session: UInts, active: UInts,
                            x: Floats, y: Floats) throws {
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

    // MARK: - dropout.cl

    public func dropoutApply(P: Int, n: Int, B: Int, Bt: Int, hOff: Int, start: Int, epoch: Int, rate: Float, scale: Float,
                             keys: UInts, session: UInts, active: UInts, x: Floats) throws {
        for p in 0..<P where active.a[p] != 0 {
            for b in 0..<Bt {
                for u in 0..<n {
                    let r = Philox.block(counter: (UInt32(hOff + u), UInt32(start + b), UInt32(epoch), session.a[p]),
                                         key: (keys.a[2 * p], keys.a[2 * p + 1]))
                    let e = (p * B + b) * n + u
                    x.a[e] = Philox.unitFloat(r.0) > rate ? x.a[e] * scale : 0
                }
            }
        }
    }

    // MARK: - dense.cl

    public func denseForward(P: Int, nIn: Int, nOut: Int, B: Int, Bt: Int, inStride: Int, inOff: Int,
                             WT: Int, wOff: Int, BT: Int, bOff: Int, relu: Bool,
                             input: Floats, W: Floats, bias: Floats, active: UInts, out: Floats) throws {
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

    public func denseBackwardData(P: Int, nIn: Int, nOut: Int, B: Int, Bt: Int, WT: Int, wOff: Int,
                                  dOut: Floats, W: Floats, a: Floats, active: UInts, dIn: Floats) throws {
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

    public func denseBackwardWeights(P: Int, nIn: Int, nOut: Int, B: Int, Bt: Int, inStride: Int, inOff: Int,
                                     WT: Int, wOff: Int, BT: Int, bOff: Int,
                                     input: Floats, dOut: Floats, active: UInts, gW: Floats, gb: Floats) throws {
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

    // MARK: - loss.cl

    static func sigmoid(_ z: Double) -> Double { z >= 0 ? 1 / (1 + exp(-z)) : exp(z) / (1 + exp(z)) }

    public func bceGrad(P: Int, m: Int, B: Int, Bt: Int, scale: Float, yStride: Int, yOff: Int, z: Floats, y: Floats, active: UInts, dz: Floats) throws {
        for p in 0..<P where active.a[p] != 0 {
            for b in 0..<Bt {
                for k in 0..<m {
                    let e = (p * B + b) * m + k
                    dz.a[e] = Float((Self.sigmoid(Double(z.a[e])) - Double(y.a[p * yStride + yOff + b * m + k])) * Double(scale))
                }
            }
        }
    }

    public func bceEvalAccumulate(P: Int, m: Int, B: Int, Bt: Int, tOff: Int, z: Floats, targets: Floats,
                                  active: UInts, lossSum: Floats, correct: UInts) throws {
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

    public func softmaxEvalAccumulate(P: Int, m: Int, B: Int, Bt: Int, tOff: Int, z: Floats, targets: Floats,
                                      active: UInts, lossSum: Floats, correct: UInts) throws {
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

    // MARK: - adam.cl

    public func adamStep(P: Int, C: Int, wd: Float, beta1: Float, beta2: Float, eps: Float, bc1: Float, bc2: Float,
                         lr: Floats, active: UInts, mask: Floats, grad: Floats, param: Floats, m1: Floats, m2: Floats) throws {
        for p in 0..<P where active.a[p] != 0 {
            for c in 0..<C {
                let e = p * C + c
                let mk = Double(mask.a[e]), w = Double(param.a[e])
                let g = (Double(grad.a[e]) + Double(wd) * w) * mk
                let a = Double(beta1) * Double(m1.a[e]) + (1 - Double(beta1)) * g
                let v = Double(beta2) * Double(m2.a[e]) + (1 - Double(beta2)) * g * g
                m1.a[e] = Float(a)
                m2.a[e] = Float(v)
                param.a[e] = Float((w - Double(lr.a[p]) / Double(bc1) * a / (v.squareRoot() / Double(bc2).squareRoot() + Double(eps))) * mk)
            }
        }
    }

    // MARK: - population.cl

    public func snapshotRule(P: Int, epoch: Int, NM: Float, lossSum: Floats, correct: UInts, active: UInts,
                             bestLoss: Floats, bestCorrect: UInts, flag: UInts, histLoss: Floats, histCorrect: UInts) throws {
        for p in 0..<P {
            guard active.a[p] != 0 else { flag.a[p] = 0; continue }
            let loss = lossSum.a[p] / NM
            let c = correct.a[p]
            let take = loss < 1000
                ? (loss <= bestLoss.a[p] && c >= bestCorrect.a[p]) || c > bestCorrect.a[p]
                : c >= bestCorrect.a[p]
            if take { bestLoss.a[p] = loss; bestCorrect.a[p] = c }
            flag.a[p] = take ? 1 : 0
            histLoss.a[epoch * P + p] = loss
            histCorrect.a[epoch * P + p] = c
        }
    }

    public func selectCopy(P: Int, C: Int, flag: UInts, src: Floats, dst: Floats) throws {
        for p in 0..<P where flag.a[p] != 0 {
            for c in 0..<C { dst.a[p * C + c] = src.a[p * C + c] }
        }
    }

    public func maskDeriveBias(P: Int, nIn: Int, nOut: Int, WT: Int, wOff: Int, BT: Int, bOff: Int, mask: Floats, bm: Floats) throws {
        for p in 0..<P {
            for j in 0..<nOut {
                let row = (0..<nIn).map { mask.a[p * WT + wOff + j * nIn + $0] }
                bm.a[p * BT + bOff + j] = row.contains { $0 != 0 } ? 1 : 0
            }
        }
    }

    public func maskApply(P: Int, C: Int, active: UInts, mask: Floats, param: Floats) throws {
        for p in 0..<P where active.a[p] != 0 {
            for c in 0..<C { param.a[p * C + c] *= mask.a[p * C + c] }
        }
    }

    // MARK: - prune.cl

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

    // MARK: - gemm.cl

    public func gemm(P: Int, M: Int, N: Int, K: Int,
                     a: Floats, aOff: Int, sAp: Int, sAm: Int, sAk: Int,
                     b: Floats, bOff: Int, sBp: Int, sBk: Int, sBn: Int,
                     c: Floats, cOff: Int, sCp: Int, ldc: Int,
                     bias: Floats?, biasOff: Int, sBiasP: Int, relu: Bool,
                     gate: Floats?, gOff: Int, sGp: Int, ldg: Int, active: UInts) throws {
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
