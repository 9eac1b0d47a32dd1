@testable import Pruning
import OpenCLBackend
import ReferenceBackend
import SculptCore
import Training
import TestSupport
import XCTest

final class PruningDeviceTests: XCTestCase {
    /// The device's magnitude mask (order statistics selected on the device) equals the host rule
    /// `|w| > θ` with θ numpy's linear percentile over all weights, on weights with many ties and zeros.
    func testDeviceEdgeThresholdEqualsHostPercentileRule() throws {
        let arch = try Architecture([6, 24, 24, 3])
        let WT = arch.weightCount
        let P = 5
        let pop = try Population(
            backend: try openCLBackend(), arch: arch, data: tinyData(6, 3), options: TrainingOptions(epochs: 1, batchSize: 4),
            models: (0..<P).map { ModelSpec(seed: UInt64($0), learningRate: 0.1) })
        var r = TestRandom(77)
        var hostWeights: [[Float]] = []
        for p in 0..<P {
            // Coarse grid → many exact ties; every fifth weight already pruned (mask 0, weight 0).
            let w = r.floats(WT).enumerated().map { i, v -> Float in i % 5 == 0 ? 0 : (v * 8).rounded() / 8 }
            try pop.setWeights(of: p, w)
            try pop.setMasks(of: p, w.map { $0 == 0 ? 0 : 1 })
            hostWeights.append(w)
        }
        let pruner = try PopulationPruner(population: pop)
        let targets: [Double] = [20, 33.3, 50, 81.25, 97.5]
        try pruner.pruneEdges([true, true, true, true, true], targets: targets)
        for p in 0..<P {
            let theta = Percentile.value(hostWeights[p].map { Double(abs($0)) }, percent: targets[p])
            let expected: [Float] = hostWeights[p].map { Double(abs($0)) > theta ? 1 : 0 }
            XCTAssertEqual(try pop.masks(of: p), expected, "model \(p) at \(targets[p])%")
            let w = try pop.weights(of: p)
            XCTAssert(zip(w, expected).allSatisfy { $1 != 0 || $0 == 0 }, "pruned weights are zero")
        }
        XCTAssertEqual(try pruner.edgeCounts()[0], (try pop.masks(of: 0)).filter { $0 != 0 }.count)
    }

    /// `--edge-norm mean` on the device: with layers on very different scales, every layer is thinned
    /// in proportion (the raw global rule would empty the small-scale layer first), and the masks are
    /// exactly `|w| > θ·s_l` with the host's thresholds, on both backends.
    func testLayerMeanEdgePruningOnBothBackends() throws {
        let arch = try Architecture([6, 24, 24, 3])
        let WT = arch.weightCount
        let layers = (0..<arch.depth).map { l in arch.weightOffset(l)..<arch.weightOffset(l) + arch.widths[l] * arch.widths[l + 1] }
        var r = TestRandom(91)
        let targets: [Double] = [30, 62.5, 85]
        let hostWeights: [[Float]] = targets.indices.map { _ in
            let raw = r.floats(WT)
            return (0..<WT).map { i -> Float in
                let l = layers.firstIndex { $0.contains(i) }!
                return i % 7 == 0 ? 0 : raw[i] * [0.01, 1, 100][l]  // every seventh weight already pruned
            }
        }
        func run<B: ComputeBackend>(_ b: B) throws -> [[Float]] {
            let pop = try Population(
                backend: b, arch: arch, data: tinyData(6, 3), options: TrainingOptions(epochs: 1, batchSize: 4),
                models: targets.indices.map { ModelSpec(seed: UInt64($0), learningRate: 0.1) })
            for p in targets.indices {
                try pop.setWeights(of: p, hostWeights[p])
                try pop.setMasks(of: p, hostWeights[p].map { $0 == 0 ? 0 : 1 })
            }
            try PopulationPruner(population: pop).pruneEdges([true, true, true], targets: targets, normalization: .mean)
            return try targets.indices.map { try pop.masks(of: $0) }
        }
        let dev = try run(try openCLBackend()), ref = try run(ReferenceBackend())
        XCTAssertEqual(dev, ref)
        for p in targets.indices {
            let theta = EdgeNormalization.meanThresholds(weights: hostWeights[p], layers: layers, percent: targets[p])
            let expected: [Float] = (0..<WT).map { i in abs(hostWeights[p][i]) > theta[layers.firstIndex { $0.contains(i) }!] ? 1 : 0 }
            XCTAssertEqual(dev[p], expected, "model \(p) at \(targets[p])%")
            for (l, range) in layers.enumerated() {
                let before = range.filter { hostWeights[p][$0] != 0 }.count, kept = range.filter { expected[$0] != 0 }.count
                XCTAssert(kept > 0 && kept < before, "model \(p) layer \(l) keeps \(kept) of \(before): every layer pruned, none emptied")
            }
        }
    }

    /// After pruning, retraining keeps pruned weights exactly 0 and the masks nested.
    func testMasksStayNestedAndPrunedWeightsStayZeroThroughRetraining() throws {
        let pop = try Population(
            backend: try openCLBackend(), arch: try Architecture([4, 24, 4]), data: xorPairsData(),
            options: TrainingOptions(epochs: 5, batchSize: 8), models: [0, 1].map { ModelSpec(seed: $0, learningRate: 0.05) })
        _ = try pop.train(active: [true, true])
        let pruner = try PopulationPruner(population: pop)
        var previous = [try pop.masks(of: 0), try pop.masks(of: 1)]
        for (round, target) in [40.0, 60, 75].enumerated() {
            if round == 0 { _ = try pruner.pruneUnits([true, true], targets: [50, 50]) } else { try pruner.pruneEdges([true, true], targets: [target, target]) }
            _ = try pop.train(active: [true, true])
            for p in 0..<2 {
                let m = try pop.masks(of: p), w = try pop.weights(of: p)
                XCTAssert(zip(m, previous[p]).allSatisfy { $0 <= $1 }, "round \(round) model \(p): masks nested")
                XCTAssert(zip(m, w).allSatisfy { $0 != 0 || $1 == 0 }, "round \(round) model \(p): pruned weights exactly 0")
                XCTAssertLessThan(m.filter { $0 != 0 }.count, previous[p].filter { $0 != 0 }.count, "round \(round) pruned something")
                previous[p] = m
            }
        }
    }

    /// Several training steps plus a unit-pruning round and an edge-pruning round give exactly the
    /// same masks on both backends.
    func testPruningRoundsGiveTheSameMasksOnBothBackends() throws {
        func run<B: ComputeBackend>(_ b: B) throws -> [[Float]] {
            let pop = try Population(
                backend: b, arch: try Architecture([4, 24, 4]), data: xorPairsData(),
                options: TrainingOptions(epochs: 3, batchSize: 8), models: [3, 4].map { ModelSpec(seed: $0, learningRate: 0.05) })
            _ = try pop.train(active: [true, true])
            let pruner = try PopulationPruner(population: pop)
            _ = try pruner.pruneUnits([true, true], targets: [70, 50])
            _ = try pop.train(active: [true, true])
            try pruner.pruneEdges([true, true], targets: [80, 75])
            return [try pop.masks(of: 0), try pop.masks(of: 1)]
        }
        let ref = try run(ReferenceBackend()), dev = try run(try openCLBackend())
        XCTAssertEqual(ref, dev)
        XCTAssert(ref[0].contains(0) && ref[0].contains(1))
    }

    /// A model pruned inside a population equals the same model pruned alone (whole pipeline).
    func testModelPrunedInsidePopulationEqualsModelPrunedAlone() throws {
        let backend = try openCLBackend()
        func config(_ seeds: [UInt64]) throws -> PipelineConfig {
            PipelineConfig(
                arch: try Architecture([4, 24, 4]), training: TrainingOptions(epochs: 15, batchSize: 8), learningRate: 0.05,
                seeds: seeds, unitSteps: [70], edgeSteps: [2.5, 1.5], accuracyThreshold: 100)
        }
        let alone = try Pipeline.run(backend: backend, data: xorPairsData(), config: try config([5]))
        let crowd = try Pipeline.run(backend: backend, data: xorPairsData(), config: try config([0, 5, 9]))
        let mine = crowd.filter { $0.seed == 5 }
        XCTAssertEqual(mine.count, 2)
        for (a, c) in zip(alone, mine) {
            XCTAssertEqual(a.masks, c.masks)
            XCTAssertEqual(a.weights, c.weights)
            XCTAssertEqual(a.unitAttempts, c.unitAttempts)
            XCTAssertEqual(a.edgeAttempts, c.edgeAttempts)
        }
    }

    /// `chains` runs exactly the listed (seed, P_u, P_e) chains, in the order given, and each ends as the
    /// same chain does inside the full seed × P_u × P_e product; with `maxModelsPerPopulation` 2 the
    /// chains are split over several populations without changing them.
    func testChainsRunExactlyTheListedChainsAsInTheProduct() throws {
        let backend = try openCLBackend()
        let arch = try Architecture([4, 24, 4]), training = TrainingOptions(epochs: 15, batchSize: 8)
        let product = try Pipeline.run(
            backend: backend, data: xorPairsData(),
            config: PipelineConfig(
                arch: arch, training: training, learningRate: 0.05, seeds: [1, 5], unitSteps: [70, 40], edgeSteps: [2.5, 1.5],
                accuracyThreshold: 100))
        XCTAssertEqual(product.count, 8)
        let chains = [Chain(seed: 5, unitStep: 40, edgeStep: 1.5), Chain(seed: 1, unitStep: 70, edgeStep: 2.5), Chain(seed: 5, unitStep: 40, edgeStep: 2.5)]
        for cap in [nil, 2] {
            var config = PipelineConfig(arch: arch, training: training, learningRate: 0.05, chains: chains, accuracyThreshold: 100)
            config.maxModelsPerPopulation = cap
            XCTAssertEqual(config.seeds, [5, 1])
            XCTAssertEqual(config.unitSteps, [40, 70])
            let run = try Pipeline.run(backend: backend, data: xorPairsData(), config: config)
            XCTAssertEqual(run.map { Chain(seed: $0.seed, unitStep: $0.unitStep, edgeStep: $0.edgeStep) }, chains)
            for o in run {
                let twin = product.first { $0.seed == o.seed && $0.unitStep == o.unitStep && $0.edgeStep == o.edgeStep }!
                XCTAssertEqual(o.masks, twin.masks)
                XCTAssertEqual(o.unitAttempts, twin.unitAttempts)
                XCTAssertEqual(o.edgeAttempts, twin.edgeAttempts)
            }
        }
        // Two chains must differ in something, and the lists must match the chains.
        var twice = PipelineConfig(arch: arch, training: training, learningRate: 0.05, chains: chains, accuracyThreshold: 100)
        twice.chains = chains + [chains[0]]
        XCTAssertThrowsError(try twice.validate())
        var stray = PipelineConfig(arch: arch, training: training, learningRate: 0.05, chains: chains, accuracyThreshold: 100)
        stray.seeds = [5, 1, 9]
        XCTAssertThrowsError(try stray.validate())
    }

    func tinyData(_ n: Int, _ m: Int) -> Dataset {
        let rows = 8
        var r = TestRandom(5)
        return Dataset(inputs: r.bits(rows * n), targets: r.bits(rows * m), inputWidth: n, outputWidth: m)
    }
}
