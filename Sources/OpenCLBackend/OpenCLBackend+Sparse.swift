import CLRuntime
import SculptCore

// The sparse.cl family (see Kernels/sparse.cl for shapes, layout and guards).
extension OpenCLBackend {

    /// Rounds a launch dimension up to a multiple of `m`: the kernels guard the excess, and PoCL
    /// vectorises a work-group only along a first dimension it can split (a prime such as 653
    /// leaves it one work-item wide).
    static func padded(_ n: Int, to m: Int) -> Int { (n + m - 1) / m * m }

    public func sparseInputGather(
        P: Int, n0: Int, U: Int, N: Int, B: Int, Bt: Int, start: Int, epoch: Int, sigma: Float, usePerm: Bool,
        inStride: Int, inOff: Int, input: Floats, perm: UInts, keys: UInts, session: UInts, inputs: UInts, active: UInts, xs: Floats
    ) throws {
        guard U > 0 else { return }
        try launch(
            "sparse_input_gather", [Self.padded(U, to: 16), Bt, P],
            [
                .i(n0), .i(U), .i(N), .i(B), .i(Bt), .i(start), .i(epoch), .f(sigma), .i(usePerm ? 1 : 0), .i(inStride), .i(inOff),
                .fb(input), .ub(perm), .ub(keys), .ub(session), .ub(inputs), .ub(active), .fb(xs),
            ])
    }

    public func sparseInputForward(
        P: Int, n0: Int, nOut: Int, K: Int, U: Int, B: Int, Bt: Int, WT: Int, wOff: Int, BT: Int, bOff: Int, relu: Bool,
        xs: Floats, cols: UInts, slots: UInts, W: Floats, bias: Floats, active: UInts, out: Floats
    ) throws {
        guard Bt > 0 else { return }
        try launch(
            "sparse_input_forward", [Self.padded(Bt, to: 16), nOut, P],
            [
                .i(n0), .i(nOut), .i(K), .i(U), .i(B), .i(Bt), .i(WT), .i(wOff), .i(BT), .i(bOff), .i(relu ? 1 : 0),
                .fb(xs), .ub(cols), .ub(slots), .fb(W), .fb(bias), .ub(active), .fb(out),
            ])
    }

    public func sparseInputBackwardWeights(
        P: Int, n0: Int, nOut: Int, K: Int, U: Int, B: Int, Bt: Int, WT: Int, wOff: Int,
        xs: Floats, cols: UInts, slots: UInts, dOut: Floats, active: UInts, gW: Floats
    ) throws {
        guard K > 0 else { return }
        try launch(
            "sparse_input_backward_weights", [Self.padded(K, to: 8), nOut, P],
            [
                .i(n0), .i(nOut), .i(K), .i(U), .i(B), .i(Bt), .i(WT), .i(wOff),
                .fb(xs), .ub(cols), .ub(slots), .fb(dOut), .ub(active), .fb(gW),
            ])
    }
}
