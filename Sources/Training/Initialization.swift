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

    /// Glorot-uniform weights, `W_ij ~ U(−a, a)` with `a = sqrt(6/(n_in + n_out))` per layer, for one
    /// model: layers concatenated, each row-major `[n_out][n_in]`, drawn in that order from the
    /// model's `initialWeights` Philox stream as `(2u − 1)·a` with `u` uniform in (0, 1].
    public static func glorotUniform(arch: Architecture, seed: UInt64) -> [Float] {
        var rng = PhiloxStream(seed: seed, purpose: .initialWeights)
        var w: [Float] = []
        w.reserveCapacity(arch.weightCount)
        for l in 0..<arch.depth {
            let (nOut, nIn) = arch.shape(l)
            let a = (6.0 / Float(nIn + nOut)).squareRoot()
            for _ in 0..<(nOut * nIn) { w.append((2 * Philox.unitFloat(rng.nextUInt32()) - 1) * a) }
        }
        return w
    }

    /// The weights `kind` gives one model.
    public static func weights(_ kind: WeightInitialization, arch: Architecture, seed: UInt64) -> [Float] {
        switch kind {
        case .kaimingNormal: return kaimingNormal(arch: arch, seed: seed)
        case .glorotUniform: return glorotUniform(arch: arch, seed: seed)
        }
    }

    /// The order in which a model visits the N rows in one epoch of one training session.
    public static func epochOrder(rows: Int, seed: UInt64, session: UInt32, epoch: Int) -> [UInt32] {
        var rng = PhiloxStream(seed: seed, purpose: .shuffle, stream: UInt64(session) << 32 | UInt64(epoch))
        var order = (0..<rows).map { UInt32($0) }
        rng.fisherYates(&order)
        return order
    }
}
