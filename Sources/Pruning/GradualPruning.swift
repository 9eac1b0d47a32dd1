import SculptCore
import Training

/// Gradual magnitude pruning during training (Zhu & Gupta 2017, "To prune, or not to prune"; the
/// schedule of TF-MOT's `PolynomialDecay` with power 3), as *Pruned Neural Networks are Surprisingly
/// Modular* used it (docs/method.md §11–§12): `denseEpochs` of dense training, then over
/// `pruneEpochs` the target sparsity rises from `initialSparsity` to `finalSparsity` and the masks are
/// recomputed by weight magnitude every `pruneEvery` optimiser steps. docs/gradual-pruning.md.
///
/// Steps `t` are 0-based optimiser steps of the whole training (S = ⌈rows / batch⌉ per epoch). The
/// span runs from `t0 = denseEpochs·S` to the last step `t0 + T`, `T = pruneEpochs·S − 1`:
/// `s(t) = s_f + (s_i − s_f)·(1 − (t − t0)/T)³`, and masks are recomputed at `t0 + k·pruneEvery` and
/// at the last step, so the final network has exactly the final sparsity (up to ties).
public struct GradualPruning: Sendable, Equatable, Codable {
    /// Which weights one magnitude threshold covers.
    public enum Scope: String, Sendable, Codable, CaseIterable {
        /// Each weight matrix (output layer included) is pruned to the target within itself.
        case layer
        /// All weights of a model compete for one threshold.
        case global
    }

    /// `s_i`, the sparsity of the first pruning step (fraction in [0, 1)).
    public var initialSparsity: Double
    /// `s_f`, the sparsity at the end (fraction in [s_i, 1)).
    public var finalSparsity: Double
    /// Epochs of dense training before pruning starts (0 allowed).
    public var denseEpochs: Int
    /// Epochs over which the sparsity rises (at least 1).
    public var pruneEpochs: Int
    /// Optimiser steps between mask updates.
    public var pruneEvery: Int
    public var scope: Scope

    /// The polynomial's power (TF-MOT's default, and the paper's).
    public static let power = 3

    public init(initialSparsity: Double, finalSparsity: Double, denseEpochs: Int, pruneEpochs: Int, pruneEvery: Int, scope: Scope = .layer) {
        self.initialSparsity = initialSparsity
        self.finalSparsity = finalSparsity
        self.denseEpochs = denseEpochs
        self.pruneEpochs = pruneEpochs
        self.pruneEvery = pruneEvery
        self.scope = scope
    }

    /// Dense plus pruning epochs: the training's whole length.
    public var totalEpochs: Int { denseEpochs + pruneEpochs }

    /// - Throws: `TrainingConfigError` naming the bad value.
    public func validate() throws {
        guard initialSparsity >= 0, initialSparsity < 1 else {
            throw TrainingConfigError("initial sparsity must be in [0, 1) (got \(initialSparsity))")
        }
        guard finalSparsity >= initialSparsity, finalSparsity < 1 else {
            throw TrainingConfigError("final sparsity must be in [initial sparsity \(initialSparsity), 1) (got \(finalSparsity))")
        }
        guard denseEpochs >= 0 else { throw TrainingConfigError("dense epochs must be at least 0 (got \(denseEpochs))") }
        guard pruneEpochs >= 1 else { throw TrainingConfigError("prune epochs must be at least 1 (got \(pruneEpochs))") }
        guard pruneEvery >= 1 else { throw TrainingConfigError("prune-every must be at least 1 step (got \(pruneEvery))") }
    }

    /// First pruning step `t0` and span `T` (steps from `t0` to the last step) for `S` steps per epoch.
    public func span(stepsPerEpoch S: Int) -> (t0: Int, T: Int) {
        (denseEpochs * S, pruneEpochs * S - 1)
    }

    /// Target sparsity at step `t`: nil before the span, `s(t)` within it, `s_f` after it (and for a
    /// span of a single step).
    public func sparsity(atStep t: Int, stepsPerEpoch S: Int) -> Double? {
        let (t0, T) = span(stepsPerEpoch: S)
        guard t >= t0 else { return nil }
        guard T > 0, t < t0 + T else { return finalSparsity }
        guard t > t0 else { return initialSparsity }  // exactly, without s_f + (s_i − s_f) rounding
        let left = 1 - Double(t - t0) / Double(T)
        var cube = 1.0
        for _ in 0..<Self.power { cube *= left }
        return finalSparsity + (initialSparsity - finalSparsity) * cube
    }

    /// Whether the masks are recomputed before step `t`: every `pruneEvery` steps from `t0`, and at
    /// the last step `t0 + T`.
    public func updatesMask(atStep t: Int, stepsPerEpoch S: Int) -> Bool {
        let (t0, T) = span(stepsPerEpoch: S)
        guard t >= t0, t <= t0 + T else { return false }
        return (t - t0) % pruneEvery == 0 || t == t0 + T
    }

    /// Weights to prune out of `n` at `sparsity`: ⌊s·n⌋ (a hair of slack so 0.9·7840 is 7056).
    public static func pruneCount(_ sparsity: Double, of n: Int) -> Int {
        min(n - 1, max(0, Int((sparsity * Double(n) + 1e-9).rounded(.down))))
    }
}

/// One mask update of a gradual pruning run.
public struct MaskUpdate: Codable, Equatable, Sendable {
    /// 0-based optimiser step the masks were recomputed before.
    public var step: Int
    /// 1-based epoch of that step.
    public var epoch: Int
    /// Target sparsity (fraction).
    public var sparsity: Double
}

/// What gradual pruning gave one model.
public struct GradualResult: Codable, Equatable, Sendable {
    /// Training history; its `bestEpoch` is the last epoch, whose network the model holds.
    public var training: TrainingResult
    /// Fraction of masked weights in each weight layer of the final network.
    public var layerSparsity: [Double]
    /// Fraction of masked weights over the whole network.
    public var sparsity: Double
    /// Every mask update, in order (the same for every model of the run).
    public var updates: [MaskUpdate]
}

/// Trains a population with gradual magnitude pruning (`GradualPruning`); masks are chosen on the
/// device by `PopulationPruner.pruneToSparsity`.
///
/// The models end holding their LAST epoch's network, not a best-epoch snapshot: a snapshot from
/// before the schedule's end would be denser than the requested final sparsity.
public final class GradualTrainer<Backend: ComputeBackend> {
    public let pruner: PopulationPruner<Backend>
    public let schedule: GradualPruning
    public var population: Population<Backend> { pruner.pop }

    /// - Throws: `TrainingConfigError` when the schedule is invalid or the population's epochs are not
    ///   `schedule.totalEpochs`; the backend's error when memory runs out.
    public init(population: Population<Backend>, schedule: GradualPruning) throws {
        try schedule.validate()
        guard population.options.epochs == schedule.totalEpochs else {
            throw TrainingConfigError(
                "gradual pruning trains \(schedule.denseEpochs) dense + \(schedule.pruneEpochs) pruning epochs = \(schedule.totalEpochs), but the training options say \(population.options.epochs) epochs"
            )
        }
        self.schedule = schedule
        pruner = try PopulationPruner(population: population)
    }

    /// Optimiser steps per epoch.
    public var stepsPerEpoch: Int {
        let N = population.data.count, B = population.options.batchSize
        return (N + B - 1) / B
    }

    /// Trains every model with `active[p]` from its current network for `schedule.totalEpochs`
    /// epochs, pruning as the schedule says; each ends holding its last epoch's network.
    /// `onEpoch(e)` is called after each epoch (1-based).
    /// - Returns: one result per model; nil for models not trained.
    public func train(active: [Bool], onEpoch: ((Int) -> Void)? = nil) throws -> [GradualResult?] {
        let pop = population, S = stepsPerEpoch
        var updates: [MaskUpdate] = []
        let results = try pop.train(
            active: active, keepBest: false, onEpoch: onEpoch,
            beforeStep: { t in
                guard self.schedule.updatesMask(atStep: t, stepsPerEpoch: S), let s = self.schedule.sparsity(atStep: t, stepsPerEpoch: S) else { return }
                try self.pruner.pruneToSparsity(active, sparsity: s, scope: self.schedule.scope)
                updates.append(MaskUpdate(step: t, epoch: t / S + 1, sparsity: s))
            })
        let arch = pop.arch
        return try (0..<pop.P).map { p in
            guard let r = results[p] else { return nil }
            let masks = try pop.layerMasks(of: p)
            let zeros = masks.map { $0.filter { $0 == 0 }.count }
            return GradualResult(
                training: r, layerSparsity: zip(zeros, masks).map { Double($0) / Double($1.count) },
                sparsity: Double(zeros.reduce(0, +)) / Double(arch.weightCount), updates: updates)
        }
    }
}
