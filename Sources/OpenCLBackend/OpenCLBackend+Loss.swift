import CLRuntime
import SculptCore

// The loss.cl family (see Kernels/loss.cl for shapes, layout and guards).
extension OpenCLBackend {

    public func bceGrad(P: Int, m: Int, B: Int, Bt: Int, scale: Float, yStride: Int, yOff: Int, saturate: Bool, z: Floats, y: Floats, active: UInts, dz: Floats) throws {
        try launch("bce_grad", [m, Bt, P], [.i(m), .i(B), .i(Bt), .f(scale), .i(yStride), .i(yOff), .i(saturate ? 1 : 0), .fb(z), .fb(y), .ub(active), .fb(dz)])
    }

    public func bceEvalAccumulate(
        P: Int, m: Int, B: Int, Bt: Int, tOff: Int, z: Floats, targets: Floats,
        active: UInts, lossSum: Floats, correct: UInts
    ) throws {
        try launch("bce_eval_accumulate", [P], [.i(m), .i(B), .i(Bt), .i(tOff), .fb(z), .fb(targets), .ub(active), .fb(lossSum), .ub(correct)])
    }

    public func softmaxCeGrad(P: Int, m: Int, B: Int, Bt: Int, scale: Float, yStride: Int, yOff: Int, z: Floats, y: Floats, active: UInts, dz: Floats) throws {
        try launch("softmax_ce_grad", [m, Bt, P], [.i(m), .i(B), .i(Bt), .f(scale), .i(yStride), .i(yOff), .fb(z), .fb(y), .ub(active), .fb(dz)])
    }

    public func softmaxEvalAccumulate(
        P: Int, m: Int, B: Int, Bt: Int, tOff: Int, z: Floats, targets: Floats,
        active: UInts, lossSum: Floats, correct: UInts
    ) throws {
        try launch("softmax_eval_accumulate", [P], [.i(m), .i(B), .i(Bt), .i(tOff), .fb(z), .fb(targets), .ub(active), .fb(lossSum), .ub(correct)])
    }
}
