import CLRuntime
import SculptCore

// The dense.cl family (see Kernels/dense.cl for shapes, layout and guards).
extension OpenCLBackend {

    public func denseForward(
        P: Int, nIn: Int, nOut: Int, B: Int, Bt: Int, inStride: Int, inOff: Int,
        WT: Int, wOff: Int, BT: Int, bOff: Int, relu: Bool,
        input: Floats, W: Floats, bias: Floats, active: UInts, out: Floats
    ) throws {
        try launch(
            "dense_forward", [nOut, Bt, P],
            [
                .i(nIn), .i(nOut), .i(B), .i(Bt), .i(inStride), .i(inOff), .i(WT), .i(wOff), .i(BT), .i(bOff),
                .i(relu ? 1 : 0), .fb(input), .fb(W), .fb(bias), .ub(active), .fb(out),
            ])
    }

    public func denseBackwardData(
        P: Int, nIn: Int, nOut: Int, B: Int, Bt: Int, WT: Int, wOff: Int,
        dOut: Floats, W: Floats, a: Floats, active: UInts, dIn: Floats
    ) throws {
        try launch(
            "dense_backward_data", [nIn, Bt, P],
            [.i(nIn), .i(nOut), .i(B), .i(Bt), .i(WT), .i(wOff), .fb(dOut), .fb(W), .fb(a), .ub(active), .fb(dIn)])
    }

    public func denseBackwardWeights(
        P: Int, nIn: Int, nOut: Int, B: Int, Bt: Int, inStride: Int, inOff: Int,
        WT: Int, wOff: Int, BT: Int, bOff: Int,
        input: Floats, dOut: Floats, active: UInts, gW: Floats, gb: Floats
    ) throws {
        try launch(
            "dense_backward_weights", [nIn + 1, nOut, P],
            [
                .i(nIn), .i(nOut), .i(B), .i(Bt), .i(inStride), .i(inOff), .i(WT), .i(wOff), .i(BT), .i(bOff),
                .fb(input), .fb(dOut), .ub(active), .fb(gW), .fb(gb),
            ])
    }
}
