import CLRuntime
import SculptCore

// The data.cl family (see Kernels/data.cl for shapes, layout and guards).
extension OpenCLBackend {

    public func batchGather(
        P: Int, n0: Int, m: Int, N: Int, B: Int, Bt: Int, start: Int, epoch: Int, sigma: Float,
        data: Floats, targets: Floats, perm: UInts, keys: UInts, session: UInts, active: UInts,
        x: Floats, y: Floats
    ) throws {
        try launch(
            "batch_gather", [Self.padded(max(n0, m), to: 16), Bt, P],
            [
                .i(n0), .i(m), .i(N), .i(B), .i(start), .i(epoch), .f(sigma),
                .fb(data), .fb(targets), .ub(perm), .ub(keys), .ub(session), .ub(active), .fb(x), .fb(y),
            ])
    }
}
