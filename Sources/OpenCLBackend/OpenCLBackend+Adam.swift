import CLRuntime
import SculptCore

// The adam.cl family (see Kernels/adam.cl for shapes, layout and guards).
extension OpenCLBackend {

    public func adamStep(
        P: Int, C: Int, wd: Float, beta1: Float, beta2: Float, eps: Float, bc1: Float, bc2: Float,
        lr: Floats, active: UInts, mask: Floats, grad: Floats, param: Floats, m1: Floats, m2: Floats
    ) throws {
        let chunk = max(1, adamChunk)
        try launch(
            "adam_step", [(C + chunk - 1) / chunk, P],
            [
                .i(C), .i(chunk), .f(wd), .f(beta1), .f(beta2), .f(eps), .f(bc1), .f(bc2),
                .fb(lr), .ub(active), .fb(mask), .fb(grad), .fb(param), .fb(m1), .fb(m2),
            ])
    }
}
