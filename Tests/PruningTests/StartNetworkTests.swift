@testable import Pruning
import OpenCLBackend
import SculptCore
import Training
import TestSupport
import XCTest

/// `Pipeline.run(start:)` (`sculpt run --from`): every model starts from a given network instead of
/// training a dense one, and `P_u` = 0 goes straight to edge pruning.
final class StartNetworkTests: XCTestCase {
    let arch = try! Architecture([4, 24, 4])
    let training = TrainingOptions(epochs: 15, batchSize: 8)

    /// A trained, unit-pruned xor-pairs network: the final network of a short pipeline run.
    func prunedNetwork() throws -> StateDict.Network {
        let made = try Pipeline.run(
            backend: try openCLBackend(), data: xorPairsData(),
            config: PipelineConfig(arch: arch, training: training, learningRate: 0.05, seeds: [3], unitSteps: [70], edgeSteps: [2.5], accuracyThreshold: 100))
        let o = made[0]
        XCTAssertEqual(o.accuracy, 100)
        return StateDict.Network(arch: arch, weights: o.weights, masks: o.masks, biases: o.biases)
    }

    func config(unitSteps: [Double], compaction: Bool = true) -> PipelineConfig {
        var c = PipelineConfig(
            arch: arch, training: training, learningRate: 0.05, seeds: [0, 7], unitSteps: unitSteps, edgeSteps: [2.5, 0.5], accuracyThreshold: 100)
        c.compaction = compaction
        return c
    }

    func testEdgePruningStartsFromTheGivenNetwork() throws {
        let backend = try openCLBackend()
        let start = try prunedNetwork()
        let startEdges = start.masks.joined().filter { $0 != 0 }.count
        let evaluated = try Population<OpenCLBackend>.evaluate(
            backend: backend, arch: arch, data: xorPairsData(), options: training, networks: [(start.weights, start.biases, start.masks)])[0]
        let run = try Pipeline.run(backend: backend, data: xorPairsData(), config: config(unitSteps: [0]), start: start)
        XCTAssertEqual(run.count, 4)
        for o in run {
            // The start is evaluated, not trained.
            XCTAssertEqual(o.dense.bestEpoch, 0)
            XCTAssertEqual(o.dense.accuracy, evaluated.accuracy)
            XCTAssertEqual(o.dense.loss, evaluated.loss, accuracy: 1e-6 * max(1, evaluated.loss))
            // P_u = 0: no unit round; edge pruning's first target counts the start's pruned weights.
            XCTAssertTrue(o.unitAttempts.isEmpty)
            XCTAssertFalse(o.unitAccepted)
            XCTAssertEqual(o.hiddenUnitsAfterUnitPruning, start.liveHiddenUnits)
            let first = try XCTUnwrap(o.edgeAttempts.first)
            XCTAssertEqual(first.target, 100 * (1 - Double(startEdges) / Double(arch.weightCount)) + o.edgeStep, accuracy: 1e-9)
            // Pruning only removes: every final edge is an edge of the start.
            for (m, s) in zip(o.masks.joined(), start.masks.joined()) where m != 0 { XCTAssertNotEqual(s, 0) }
            XCTAssertLessThanOrEqual(o.edges, startEdges)
            XCTAssertEqual(o.accuracy, 100)
        }
        // The two seeds draw different noise and batch orders from the same start.
        XCTAssertEqual(Set(run.map(\.seed)), [0, 7])
    }

    /// Compaction of a pruned start changes the cost, not the outcome (docs/method.md §3.5).
    func testCompactedStartGivesTheUncompactedOutcomes() throws {
        let backend = try openCLBackend()
        let start = try prunedNetwork()
        let a = try Pipeline.run(backend: backend, data: xorPairsData(), config: config(unitSteps: [0, 50]), start: start)
        let b = try Pipeline.run(backend: backend, data: xorPairsData(), config: config(unitSteps: [0, 50], compaction: false), start: start)
        for (x, y) in zip(a, b) {
            XCTAssertEqual(x.masks, y.masks)
            XCTAssertEqual(x.unitAttempts, y.unitAttempts)
            XCTAssertEqual(x.edgeAttempts, y.edgeAttempts)
        }
        // P_u = 50 prunes units from the start; the dead units score 0 and count in the percentile.
        XCTAssertFalse(a.filter { $0.unitStep == 50 }.allSatisfy(\.unitAttempts.isEmpty))
    }

    func testUnitStepZeroWithoutAStartSkipsUnitPruning() throws {
        let run = try Pipeline.run(backend: try openCLBackend(), data: xorPairsData(), config: config(unitSteps: [0]))
        for o in run {
            XCTAssertEqual(o.dense.bestEpoch > 0, true, "the dense network trains")
            XCTAssertTrue(o.unitAttempts.isEmpty)
            XCTAssertEqual(o.hiddenUnitsAfterUnitPruning, 24)
            XCTAssertEqual(o.edgeAttempts.first?.target, o.edgeStep)
        }
    }

    func testAStartOfAnotherArchitectureIsRefused() throws {
        let other = StateDict.Network(
            arch: try Architecture([4, 8, 4]), weights: [[Float](repeating: 1, count: 32), [Float](repeating: 1, count: 32)],
            masks: [[Float](repeating: 1, count: 32), [Float](repeating: 1, count: 32)], biases: [Float](repeating: 0, count: 12))
        XCTAssertThrowsError(try Pipeline.run(backend: try openCLBackend(), data: xorPairsData(), config: config(unitSteps: [0]), start: other)) {
            XCTAssert("\($0)".contains("[4,8,4]"), "\($0)")
        }
        var bad = config(unitSteps: [-1])
        XCTAssertThrowsError(try bad.validate())
        bad.unitSteps = [100]
        XCTAssertThrowsError(try bad.validate())
    }
}
