import SculptCore
import Training
import Pruning
import OpenCLBackend
import ReferenceBackend
import TestSupport
import XCTest

/// Gradual magnitude pruning (Sources/Pruning/GradualPruning.swift, docs/gradual-pruning.md).
final class GradualScheduleTests: XCTestCase {
    func testPolynomialScheduleAtKnownPoints() {
        // S = 5 steps per epoch, 3 dense + 1 pruning epoch: t0 = 15, T = 4 (the last step is 19).
        let g = GradualPruning(initialSparsity: 0.5, finalSparsity: 0.9, denseEpochs: 3, pruneEpochs: 1, pruneEvery: 3)
        XCTAssertTrue(g.span(stepsPerEpoch: 5) == (15, 4))
        XCTAssertNil(g.sparsity(atStep: 14, stepsPerEpoch: 5), "no pruning while dense")
        XCTAssertEqual(g.sparsity(atStep: 15, stepsPerEpoch: 5), 0.5, "s(t0) = s_i")
        // Half way: s_f + (s_i − s_f)·(1/2)³ = 0.9 − 0.4/8 = 0.85.
        XCTAssertEqual(g.sparsity(atStep: 17, stepsPerEpoch: 5)!, 0.85, accuracy: 1e-12)
        XCTAssertEqual(g.sparsity(atStep: 19, stepsPerEpoch: 5), 0.9, "s(t0 + T) = s_f")
        XCTAssertEqual(g.sparsity(atStep: 40, stepsPerEpoch: 5), 0.9, "s_f after the span")
        // Updates every 3 steps from t0, and at the last step.
        XCTAssertEqual((0..<25).filter { g.updatesMask(atStep: $0, stepsPerEpoch: 5) }, [15, 18, 19])
    }

    func testScheduleIsMonotoneAndEndsAtTheFinalSparsity() {
        let g = GradualPruning(initialSparsity: 0.2, finalSparsity: 0.95, denseEpochs: 2, pruneEpochs: 7, pruneEvery: 10)
        let S = 37
        let values = (0..<(g.totalEpochs * S)).compactMap { g.sparsity(atStep: $0, stepsPerEpoch: S) }
        XCTAssertEqual(values.count, 7 * S)
        XCTAssertEqual(values.first, 0.2)
        XCTAssertEqual(values.last, 0.95)
        XCTAssert(zip(values, values.dropFirst()).allSatisfy { $0 <= $1 }, "non-decreasing")
        XCTAssert(g.updatesMask(atStep: g.totalEpochs * S - 1, stepsPerEpoch: S), "the last step updates the masks")
    }

    func testBadSchedulesAreRejected() {
        func message(_ g: GradualPruning) -> String { do { try g.validate(); return "accepted" } catch { return "\(error)" } }
        XCTAssert(message(GradualPruning(initialSparsity: 0.5, finalSparsity: 1, denseEpochs: 1, pruneEpochs: 1, pruneEvery: 1)).contains("final sparsity"))
        XCTAssert(message(GradualPruning(initialSparsity: 0.6, finalSparsity: 0.5, denseEpochs: 1, pruneEpochs: 1, pruneEvery: 1)).contains("final sparsity"))
        XCTAssert(message(GradualPruning(initialSparsity: -0.1, finalSparsity: 0.5, denseEpochs: 1, pruneEpochs: 1, pruneEvery: 1)).contains("initial sparsity"))
        XCTAssert(message(GradualPruning(initialSparsity: 0.5, finalSparsity: 0.9, denseEpochs: 1, pruneEpochs: 0, pruneEvery: 1)).contains("prune epochs"))
        XCTAssert(message(GradualPruning(initialSparsity: 0.5, finalSparsity: 0.9, denseEpochs: 1, pruneEpochs: 1, pruneEvery: 0)).contains("prune-every"))
        XCTAssertEqual(GradualPruning.pruneCount(0.9, of: 7840), 7056, "⌊0.9·7840⌋ despite rounding")
    }

    func testGlorotUniformInitialisation() throws {
        let arch = try Architecture([30, 20, 10])
        let w = Initialization.glorotUniform(arch: arch, seed: 4)
        XCTAssertEqual(w, Initialization.glorotUniform(arch: arch, seed: 4), "deterministic per seed")
        XCTAssertNotEqual(w, Initialization.glorotUniform(arch: arch, seed: 5))
        for l in 0..<arch.depth {
            let (nOut, nIn) = arch.shape(l)
            let a = (6 / Float(nIn + nOut)).squareRoot()
            let layer = w[arch.weightOffset(l)..<arch.weightOffset(l) + nOut * nIn]
            XCTAssert(layer.allSatisfy { abs($0) <= a }, "layer \(l) within ±\(a)")
            // U(−a, a) has variance a²/3; 200–600 samples: within 25%.
            let variance = layer.reduce(0) { $0 + Double($1 * $1) } / Double(layer.count)
            XCTAssertEqual(variance, Double(a * a) / 3, accuracy: 0.25 * Double(a * a) / 3, "layer \(l)")
        }
        let pop = try Population(
            backend: ReferenceBackend(), arch: arch,
            data: Dataset(inputs: [Float](repeating: 0, count: 30), targets: [Float](repeating: 0, count: 10), inputWidth: 30, outputWidth: 10),
            options: TrainingOptions(epochs: 1, batchSize: 1, initialization: .glorotUniform), models: [ModelSpec(seed: 4, learningRate: 0.1)])
        XCTAssertEqual(try pop.weights(of: 0), w)
    }
}

final class GradualPruningTests: XCTestCase {
    /// Per-layer pruning gives every weight layer exactly ⌊s·n⌋ pruned weights (continuous weights,
    /// no ties), and the device's selection equals sorting |w| on the host; global scope likewise
    /// over all weights. Both the one-item and the parallel radix selection paths.
    func testLayerAndGlobalPruningEqualAHostComputation() throws {
        let arch = try Architecture([7, 93, 13, 5])
        let data = Dataset(inputs: [Float](repeating: 0, count: 7), targets: [Float](repeating: 0, count: 5), inputWidth: 7, outputWidth: 5)
        for (scope, parallel) in [(GradualPruning.Scope.layer, false), (.layer, true), (.global, false), (.global, true)] {
            let backend = try openCLBackend()
            if parallel { backend.parallelSelectThreshold = 1 }
            let models = (0..<3).map { ModelSpec(seed: UInt64(20 + $0), learningRate: 0.1) }
            let pop = try Population(backend: backend, arch: arch, data: data, options: TrainingOptions(epochs: 1, batchSize: 1), models: models)
            let pruner = try PopulationPruner(population: pop)
            let before = try (0..<3).map { try pop.weights(of: $0) }
            // Two rounds, as the schedule does: the second must keep the first's pruned weights pruned.
            try pruner.pruneToSparsity([true, false, true], sparsity: 0.3, scope: scope)
            try pruner.pruneToSparsity([true, false, true], sparsity: 0.65, scope: scope)
            for p in 0..<3 {
                let masks = try pop.masks(of: p)
                var expected = [Float](repeating: 1, count: arch.weightCount)
                let ranges =
                    scope == .layer
                    ? (0..<arch.depth).map { arch.weightOffset($0)..<arch.weightOffset($0) + arch.widths[$0] * arch.widths[$0 + 1] }
                    : [0..<arch.weightCount]
                if p != 1 {
                    for r in ranges {
                        let k = GradualPruning.pruneCount(0.65, of: r.count)
                        for e in r.sorted(by: { abs(before[p][$0]) < abs(before[p][$1]) }).prefix(k) { expected[e] = 0 }
                        XCTAssertEqual(masks[r].filter { $0 == 0 }.count, k, "\(scope) model \(p) range \(r): exactly ⌊s·n⌋ pruned")
                    }
                }
                XCTAssertEqual(masks, expected, "\(scope) parallel \(parallel) model \(p)")
                let w = try pop.weights(of: p)
                XCTAssert(zip(w, masks).allSatisfy { $1 != 0 || $0 == 0 }, "pruned weights are 0")
            }
        }
    }

    /// Ties at the threshold are pruned too: on a coarse grid every survivor is larger than every
    /// pruned weight of its layer, and at least ⌊s·n⌋ are pruned.
    func testTiesAtTheThresholdArePruned() throws {
        let arch = try Architecture([20, 30, 4])
        let data = Dataset(inputs: [Float](repeating: 0, count: 20), targets: [Float](repeating: 0, count: 4), inputWidth: 20, outputWidth: 4)
        let pop = try Population(
            backend: try openCLBackend(), arch: arch, data: data, options: TrainingOptions(epochs: 1, batchSize: 1),
            models: [ModelSpec(seed: 1, learningRate: 0.1)])
        try pop.setWeights(of: 0, try pop.weights(of: 0).map { ($0 * 4).rounded() / 4 })
        try PopulationPruner(population: pop).pruneToSparsity([true], sparsity: 0.5, scope: .layer)
        let w = try pop.layerWeights(of: 0), m = try pop.layerMasks(of: 0)
        for l in 0..<arch.depth {
            XCTAssertGreaterThanOrEqual(m[l].filter { $0 == 0 }.count, m[l].count / 2)
            let kept = zip(w[l], m[l]).filter { $1 != 0 }.map { abs($0.0) }
            XCTAssert(kept.allSatisfy { $0 > 0 }, "zeros are the smallest and pruned")
        }
    }

    /// A short gradual run on xor-pairs: ends at the final sparsity in every layer, holds its last
    /// epoch's network, and the reference and the device agree on losses and exactly on masks.
    func testGradualTrainingAgreesAcrossBackendsAndReachesTheFinalSparsity() throws {
        let arch = try Architecture([4, 24, 24, 4])
        let g = GradualPruning(initialSparsity: 0.3, finalSparsity: 0.7, denseEpochs: 2, pruneEpochs: 3, pruneEvery: 2, scope: .layer)
        let opts = TrainingOptions(epochs: g.totalEpochs, batchSize: 8, dropout: 0.2, initialization: .glorotUniform)
        let models = [0, 1].map { ModelSpec(seed: $0, learningRate: 0.03) }
        func run<B: ComputeBackend>(_ b: B) throws -> ([GradualResult], [[Float]], [Double]) {
            let pop = try Population(backend: b, arch: arch, data: xorPairsData(), options: opts, models: models)
            let r = try GradualTrainer(population: pop, schedule: g).train(active: [true, true]).map { $0! }
            let held = try pop.validationMetrics(active: [true, true]).map { $0!.accuracy }
            return (r, try (0..<2).map { try pop.masks(of: $0) }, held)
        }
        let (ref, refMasks, refHeld) = try run(ReferenceBackend())
        let (dev, devMasks, devHeld) = try run(try openCLBackend())
        XCTAssertEqual(refMasks, devMasks, "the same masks on both backends")
        for p in 0..<2 {
            // As PopulationTests: float vs double sums drift ~1e-5 relative over 10 steps.
            XCTAssertNil(mismatches(dev[p].training.epochLoss.map(Float.init), ref[p].training.epochLoss.map(Float.init), atol: 1e-6, rtol: 1e-3))
            XCTAssertEqual(dev[p].layerSparsity, ref[p].layerSparsity)
            // Layers of 96, 576 and 96 weights: ⌊0.7·n⌋/n.
            XCTAssertEqual(dev[p].layerSparsity, [67.0 / 96, 403.0 / 576, 67.0 / 96])
            XCTAssertEqual(dev[p].training.bestEpoch, 5, "the last epoch is kept")
            XCTAssertEqual(dev[p].training.accuracy, dev[p].training.epochAccuracy.last, "result = last epoch")
            XCTAssertEqual(devHeld[p], dev[p].training.accuracy, "the model holds its last epoch's network")
            XCTAssertEqual(refHeld[p], ref[p].training.accuracy)
            // 2 steps per epoch: t0 = 4, T = 5; updates at 4, 6, 8 and the last step 9.
            XCTAssertEqual(dev[p].updates.map(\.step), [4, 6, 8, 9])
            XCTAssertEqual(dev[p].updates.first?.sparsity, 0.3)
            XCTAssertEqual(dev[p].updates.last?.sparsity, 0.7)
        }
    }

    /// With dropout and gradual pruning, a model trained inside a population of 48 (other seeds and
    /// learning rates, some inactive) equals the same model trained alone, bit for bit.
    func testModelInsidePopulationEqualsModelAloneWithDropout() throws {
        let backend = try openCLBackend()
        let arch = try Architecture([4, 24, 4])
        let opts = TrainingOptions(epochs: 4, batchSize: 8, dropout: 0.5)
        let target = ModelSpec(seed: 5, learningRate: 0.05)
        var models: [ModelSpec] = (0..<48).map { (p: Int) -> ModelSpec in
            ModelSpec(seed: UInt64(1000 + p), learningRate: 0.01 * Float(p % 7 + 1))
        }
        models[29] = target
        let active = (0..<48).map { $0 % 9 != 0 }
        let big = try Population(backend: backend, arch: arch, data: xorPairsData(), options: opts, models: models)
        let alone = try Population(backend: backend, arch: arch, data: xorPairsData(), options: opts, models: [target])
        XCTAssertEqual(try big.train(active: active)[29], try alone.train(active: [true])[0])
        XCTAssertEqual(try big.weights(of: 29), try alone.weights(of: 0))
        XCTAssertEqual(try big.biases(of: 29), try alone.biases(of: 0))

        let g = GradualPruning(initialSparsity: 0.5, finalSparsity: 0.8, denseEpochs: 1, pruneEpochs: 3, pruneEvery: 1)
        let bigG = try Population(backend: backend, arch: arch, data: xorPairsData(), options: opts, models: models)
        let aloneG = try Population(backend: backend, arch: arch, data: xorPairsData(), options: opts, models: [target])
        let rb = try GradualTrainer(population: bigG, schedule: g).train(active: active)
        let ra = try GradualTrainer(population: aloneG, schedule: g).train(active: [true])
        XCTAssertEqual(rb[29], ra[0])
        XCTAssertEqual(try bigG.weights(of: 29), try aloneG.weights(of: 0))
        XCTAssertEqual(try bigG.masks(of: 29), try aloneG.masks(of: 0))
        XCTAssertNil(rb[0])
    }

    func testEpochsMustMatchTheSchedule() throws {
        let pop = try Population(
            backend: ReferenceBackend(), arch: try Architecture([4, 8, 4]), data: xorPairsData(),
            options: TrainingOptions(epochs: 3, batchSize: 8), models: [ModelSpec(seed: 0, learningRate: 0.1)])
        let g = GradualPruning(initialSparsity: 0.5, finalSparsity: 0.9, denseEpochs: 2, pruneEpochs: 2, pruneEvery: 1)
        XCTAssertThrowsError(try GradualTrainer<ReferenceBackend>(population: pop, schedule: g)) {
            XCTAssert("\($0)".contains("2 dense + 2 pruning epochs = 4"), "\($0)")
        }
    }
}
