import Foundation
@testable import Pruning
import ReferenceBackend
import SculptCore
import Tasks
import TestSupport
import Training
import XCTest

/// A compacted pipeline makes the decisions, masks and weights of the uncompacted one: exactly on the
/// reference backend, and with the same masks and decisions (weights within kernel tolerance) on OpenCL.
final class CompactionTests: XCTestCase {
    func config(
        _ arch: [Int], data: TaskData, seeds: [UInt64] = [0, 1, 2], unitSteps: [Double] = [50, 30], edgeSteps: [Double] = [5],
        epochs: Int = 6, threshold: Double = 80, batch: Int = 8, lr: Float = 0.05
    ) throws -> PipelineConfig {
        PipelineConfig(
            arch: try Architecture(arch), training: TrainingSettings(epochs: epochs, batchSize: batch).options(for: data), learningRate: lr,
            seeds: seeds, unitSteps: unitSteps, edgeSteps: edgeSteps, accuracyThreshold: threshold)
    }

    /// Runs with and without compaction; returns both and the narrowest widths the compacted run used.
    func both<B: ComputeBackend>(_ b: B, _ c: PipelineConfig, data: TaskData) throws -> (plain: [ModelOutcome], compact: [ModelOutcome], widths: [Int]) {
        var off = c
        off.compaction = false
        let plain = try Pipeline.run(backend: b, data: data.train, validation: data.validation, config: off)
        var narrowest = c.arch.widths
        let compact = try Pipeline.run(backend: b, data: data.train, validation: data.validation, config: c) { p in
            if !p.widths.isEmpty { narrowest = zip(narrowest, p.widths).map { min($0, $1) } }
        }
        return (plain, compact, narrowest)
    }

    func assertSameDecisions(_ a: [ModelOutcome], _ b: [ModelOutcome], exactWeights: Bool, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.count, b.count, file: file, line: line)
        for (x, y) in zip(a, b) {
            let id = "seed \(x.seed) P_u \(x.unitStep) P_e \(x.edgeStep)"
            XCTAssertEqual(x.unitAttempts, y.unitAttempts, "\(id): unit decisions", file: file, line: line)
            XCTAssertEqual(x.edgeAttempts, y.edgeAttempts, "\(id): edge decisions", file: file, line: line)
            XCTAssertEqual(x.masks, y.masks, "\(id): masks", file: file, line: line)
            XCTAssertEqual(x.edges, y.edges, file: file, line: line)
            XCTAssertEqual(x.hiddenUnitsAfterUnitPruning, y.hiddenUnitsAfterUnitPruning, file: file, line: line)
            XCTAssertEqual(x.dense, y.dense, file: file, line: line)
            if exactWeights {
                XCTAssertEqual(x.weights, y.weights, "\(id): weights", file: file, line: line)
                XCTAssertEqual(x.biases, y.biases, "\(id): biases", file: file, line: line)
                XCTAssertEqual(x.base, y.base, file: file, line: line)
                XCTAssertEqual(x.accuracy, y.accuracy, file: file, line: line)
            } else if let m = mismatches(y.weights.flatMap { $0 } + y.biases, x.weights.flatMap { $0 } + x.biases, atol: 1e-4, rtol: 1e-3) {
                XCTFail("\(id): weights differ beyond tolerance: \(m)", file: file, line: line)
            }
        }
    }

    func testReferenceBackendBooleanIsExact() throws {
        let data = try TaskData.load("xor-pairs")
        let c = try config([4, 20, 20, 4], data: data)
        let r = try both(ReferenceBackend(), c, data: data)
        XCTAssertLessThan(r.widths[1], 20, "the population was compacted")
        assertSameDecisions(r.plain, r.compact, exactWeights: true)
    }

    /// The edge rankings beyond the paper's read each model's network in the original layout
    /// (`mean` its per-layer scales, `spread` its sources' σ): compaction changes nothing.
    func testReferenceBackendEdgeNormalizationsAreExact() throws {
        let data = try TaskData.load("and-or")
        for norm in [EdgeNormalization.mean, .spread] {
            var c = try config([6, 16, 16, 3], data: data, seeds: [1, 2], unitSteps: [40], edgeSteps: [10, 4], epochs: 8, threshold: 90, batch: 16)
            c.edgeNormalization = norm
            let r = try both(ReferenceBackend(), c, data: data)
            XCTAssertLessThan(r.widths[1], 16, "\(norm)")
            XCTAssertTrue(r.compact.contains { $0.edgeAttempts.contains(where: \.accepted) }, "\(norm): some edge step was accepted")
            assertSameDecisions(r.plain, r.compact, exactWeights: true)
        }
    }

    func testReferenceBackendVisionIsExact() throws {
        let dir = NSTemporaryDirectory() + "sculpt-compact-\(UUID().uuidString)"
        _ = try IDXWriter.writeSynthetic(directory: dir, trainCount: 300, testCount: 60, seed: 4, gzip: false)
        let data = try TaskData.load("mnist-pairs", vision: VisionSettings(data: dir, trainPairs: 120, validationPairs: 40, testPairs: 20))
        let c = try config(
            [1568, 12, 20], data: data, seeds: [0, 1], unitSteps: [40], edgeSteps: [20], epochs: 3, threshold: 85, batch: 20,
            lr: 0.005)
        let r = try both(ReferenceBackend(), c, data: data)
        XCTAssertLessThan(r.widths[1], 12)
        XCTAssertLessThan(r.widths[0], 1568, "input columns no model reads left the device copy of the data")
        assertSameDecisions(r.plain, r.compact, exactWeights: true)
    }

    /// Edge branches that have finished keep their final networks on the host and stop counting towards
    /// the widths, so the branches still pruning run narrower than the widest final network, with the
    /// uncompacted run's decisions, masks and weights.
    func testFinishedBranchesLeaveTheWidths() throws {
        let data = try TaskData.load("xor-pairs")
        let c = try config([4, 20, 20, 4], data: data, seeds: [0, 1, 2, 3], unitSteps: [60, 10], edgeSteps: [30, 2], epochs: 6, threshold: 100)
        var edgeWidths: [[Int]] = []
        var off = c
        off.compaction = false
        let plain = try Pipeline.run(backend: ReferenceBackend(), data: data.train, validation: data.validation, config: off)
        let compact = try Pipeline.run(backend: ReferenceBackend(), data: data.train, validation: data.validation, config: c) { p in
            if p.phase == .edge { edgeWidths.append(p.widths) }
        }
        assertSameDecisions(plain, compact, exactWeights: true)
        // The widest final network's live units per hidden layer: what the population kept before.
        let arch = c.arch
        let widest = (1..<arch.depth).map { h in
            compact.map { o in Compaction.liveUnits(masks: o.masks.flatMap { $0 }, arch: arch)[h - 1].count }.max()!
        }
        let last = try XCTUnwrap(edgeWidths.last)
        XCTAssert(zip(last.dropFirst().dropLast(), widest).contains { $0 < $1 }, "last edge round at \(last), widest final network \(widest)")
    }

    func testOpenCLSameMasksAndDecisions() throws {
        let b = try openCLBackend()
        let data = try TaskData.load("xor-pairs")
        let r = try both(b, try config([4, 20, 20, 4], data: data), data: data)
        XCTAssertLessThan(r.widths[1], 20)
        assertSameDecisions(r.plain, r.compact, exactWeights: false)
    }

    func testInputNoiseKeepsTheInputs() throws {
        let data = try TaskData.load("and-or")
        let c = try config([6, 12, 3], data: data, seeds: [0, 3], unitSteps: [40], edgeSteps: [20], epochs: 6, threshold: 70, batch: 16)
        XCTAssertGreaterThan(c.training.noise, 0)
        let r = try both(ReferenceBackend(), c, data: data)
        XCTAssertEqual(r.widths[0], 6, "the noise stream is keyed by input column, so no column is dropped")
        assertSameDecisions(r.plain, r.compact, exactWeights: true)
    }

    func testDropoutTurnsCompactionOff() throws {
        let data = try TaskData.load("xor-pairs")
        var c = try config([4, 12, 4], data: data, seeds: [0], unitSteps: [50], edgeSteps: [5], epochs: 3, threshold: 0)
        c.training.dropout = 0.1
        var narrowest = 12
        _ = try Pipeline.run(backend: ReferenceBackend(), data: data.train, config: c) { p in narrowest = min(narrowest, p.widths.isEmpty ? 12 : p.widths[1]) }
        XCTAssertEqual(narrowest, 12, "dropout's streams are keyed by unit position, so the population keeps its widths")
    }

    func testUnitMapRoundTrip() throws {
        let arch = try Architecture([2, 3, 2])
        var map = UnitMap(identity: arch, models: 1)
        XCTAssertEqual(map.arch, arch)
        let w: [Float] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]
        XCTAssertEqual(map.expand(weights: w, model: 0), w)
        // Keep hidden units 2 and 0 (in that order): the compact layer rows/columns map back.
        map = try XCTUnwrap(Compaction.compactedMap(map, keeping: [[[2, 0]]]))
        XCTAssertEqual(map.arch.widths, [2, 2, 2])
        let compact: [Float] = [5, 6, 1, 2, 9, 7, 12, 10]
        XCTAssertEqual(map.expand(weights: compact, model: 0), [1, 2, 0, 0, 5, 6, 7, 0, 9, 10, 0, 12])
        XCTAssertEqual(map.expand(biases: [3, 1, 4, 5], model: 0), [1, 0, 3, 4, 5])
    }
}
