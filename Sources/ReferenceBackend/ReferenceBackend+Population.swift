import SculptCore

// The population.cl family (see Kernels/population.cl for shapes, layout and guards).
extension ReferenceBackend {

    public func snapshotRule(
        P: Int, epoch: Int, NM: Float, ruleScale: Float, lossSum: Floats, correct: UInts, active: UInts,
        bestLoss: Floats, bestCorrect: UInts, flag: UInts, histLoss: Floats, histCorrect: UInts
    ) throws {
        for p in 0..<P {
            guard active.a[p] != 0 else { flag.a[p] = 0; continue }
            let loss = lossSum.a[p] / NM, ruleLoss = SnapshotRule.ruleLoss(loss, scale: ruleScale)
            let c = correct.a[p]
            let take = SnapshotRule.takes(loss: ruleLoss, correct: c, bestLoss: bestLoss.a[p], bestCorrect: bestCorrect.a[p])
            if take { bestLoss.a[p] = ruleLoss; bestCorrect.a[p] = c }
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
}

#if canImport(Glibc)
    import Glibc
#endif
