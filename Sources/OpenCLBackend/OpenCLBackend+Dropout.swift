import CLRuntime
import SculptCore

// The dropout.cl family (see Kernels/dropout.cl for shapes, layout and guards).
extension OpenCLBackend {

    public func dropoutApply(
        P: Int, n: Int, B: Int, Bt: Int, hOff: Int, start: Int, epoch: Int, rate: Float, scale: Float,
        keys: UInts, session: UInts, active: UInts, x: Floats
    ) throws {
        try launch(
            "dropout_apply", [n, Bt, P],
            [
                .i(n), .i(B), .i(Bt), .i(hOff), .i(start), .i(epoch), .f(rate), .f(scale),
                .ub(keys), .ub(session), .ub(active), .fb(x),
            ])
    }
}
