import SculptCore

public enum Initialization {
    /// Kaiming-normal fan-in weights with the ReLU gain, `W_ij ~ N(0, 2/n_in)`, for one model:
    /// all layers concatenated, each row-major `[n_out][n_in]`, drawn in that order from the model's
    /// `initialWeights` Philox stream, so they depend on the seed alone.
    public static func kaimingNormal(arch: Architecture, seed: UInt64) -> [Float] {
        var rng = PhiloxStream(seed: seed, purpose: .initialWeights)
        var w: [Float] = []
        w.reserveCapacity(arch.weightCount)
        for l in 0..<arch.depth {
            let (nOut, nIn) = arch.shape(l)
            let std = (2.0 / Float(nIn)).squareRoot()
            for _ in 0..<(nOut * nIn) { w.append(rng.nextNormal() * std) }
        }
        return w
    }

    /// The order in which a model visits the N rows in one epoch of one training session.
    public static func epochOrder(rows: Int, seed: UInt64, session: UInt32, epoch: Int) -> [UInt32] {
        var rng = PhiloxStream(seed: seed, purpose: .shuffle, stream: UInt64(session) << 32 | UInt64(epoch))
        var order = (0..<rows).map { UInt32($0) }
        rng.fisherYates(&order)
        return order
    }
}
