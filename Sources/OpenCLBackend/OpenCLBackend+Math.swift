// The mathfn.cl family (see Kernels/mathfn.cl): the exp, log, log1p and sin/cos of 2πu that every
// kernel uses, exposed on arrays so that tests can hold them to their stated accuracy.
extension OpenCLBackend {
    /// A function of mathfn.cl, numbered as its `math_eval` kernel takes them.
    public enum MathFunction: Int32, CaseIterable, Sendable {
        case exp = 0, log, log1p, sin2pi, cos2pi
    }

    /// `f` of every element of `x`, computed on the device.
    public func evaluate(_ f: MathFunction, _ x: [Float]) throws -> [Float] {
        guard !x.isEmpty else { return [] }
        let input = try makeFloats(x.count, label: "math input"), output = try makeFloats(x.count, label: "math output")
        try write(x, to: input, offset: 0)
        try launch("math_eval", [x.count], [.i(Int(f.rawValue)), .i(x.count), .fb(input), .fb(output)])
        return try read(output, offset: 0, count: x.count)
    }
}
