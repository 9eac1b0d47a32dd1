import CLRuntime
import SculptCore

// The population.cl family (see Kernels/population.cl for shapes, layout and guards).
extension OpenCLBackend {

    public func snapshotRule(
        P: Int, epoch: Int, NM: Float, ruleScale: Float, lossSum: Floats, correct: UInts, active: UInts,
        bestLoss: Floats, bestCorrect: UInts, flag: UInts, histLoss: Floats, histCorrect: UInts
    ) throws {
        try launch(
            "snapshot_rule", [P],
            [
                .i(P), .i(epoch), .f(NM), .f(ruleScale), .fb(lossSum), .ub(correct), .ub(active),
                .fb(bestLoss), .ub(bestCorrect), .ub(flag), .fb(histLoss), .ub(histCorrect),
            ])
    }

    public func selectCopy(P: Int, C: Int, flag: UInts, src: Floats, dst: Floats) throws {
        try launch("select_copy", [C, P], [.i(C), .ub(flag), .fb(src), .fb(dst)])
    }

    public func maskDeriveBias(P: Int, nIn: Int, nOut: Int, WT: Int, wOff: Int, BT: Int, bOff: Int, mask: Floats, bm: Floats) throws {
        try launch("mask_derive_bias", [nOut, P], [.i(nIn), .i(nOut), .i(WT), .i(wOff), .i(BT), .i(bOff), .fb(mask), .fb(bm)])
    }

    public func maskApply(P: Int, C: Int, active: UInts, mask: Floats, param: Floats) throws {
        try launch("mask_apply", [C, P], [.i(C), .ub(active), .fb(mask), .fb(param)])
    }
}
