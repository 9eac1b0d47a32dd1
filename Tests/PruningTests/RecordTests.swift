import Analysis
import Foundation
import Pruning
import ReferenceBackend
import SculptCore
import Tasks
import TestSupport
import Training
import XCTest

/// Every file a run or a training writes reads back with its record type, and readers refuse other
/// format versions.
final class RecordTests: XCTestCase {
    func tempDir() throws -> RunDirectory {
        let path = NSTemporaryDirectory() + "sculpt-records-\(UUID().uuidString)"
        return RunDirectory(path: path)
    }

    func testRunFilesReadBackWithTheirRecords() throws {
        let data = try TaskData.load("xor-pairs")
        let config = PipelineConfig(
            arch: try Architecture([4, 8, 4]), training: TrainingSettings(epochs: 3, batchSize: 8).options(for: data),
            learningRate: 0.05, seeds: [0, 1], unitSteps: [50], edgeSteps: [10], accuracyThreshold: 0)
        let job = RunJob(data: data, config: config, detection: DetectionOptions.defaults(forTask: data.name))
        let dir = try tempDir()
        let record = try job.execute(ReferenceBackend(), into: dir)
        let run = try dir.read(RunRecord.self, "run.json")
        XCTAssertEqual(run.format, "sculpt-run/2")
        XCTAssertEqual(run.models, record.models)
        XCTAssertEqual(run.config.seeds, [0, 1])
        XCTAssertEqual(run.models.map(\.id), ["s0-u50-e10", "s1-u50-e10"])
        for m in run.models {
            let history = try dir.read(HistoryRecord.self, "models/\(m.id)/history.json")
            XCTAssertEqual(history.edgeAttempts.filter(\.tried).count, m.edgeRoundsTried)
            XCTAssert(history.unitAttempts.allSatisfy { $0.phase == .unit } && history.edgeAttempts.allSatisfy { $0.phase == .edge })
            let weights = try dir.read(WeightsRecord.self, "models/\(m.id)/weights.json")
            XCTAssertEqual(weights.biases.map(\.count), [8, 4], "biases per layer")
            XCTAssertEqual(weights.weights.map(\.count), [32, 32])
            let masks = try MaskFile(contentsOf: dir.file("models/\(m.id)/masks.json"))
            XCTAssertEqual(masks.edgeCount, m.edges)
            // masks.json stores the weight of each surviving edge; weights.json every weight.
            for l in 0..<2 {
                XCTAssertEqual(masks.weights?[l], masks.edges[l].map { weights.weights[l][$0.target * [4, 8, 4][l] + $0.source] })
            }
        }
        // metrics.jsonl: one line per model and epoch of every training, as it happened.
        let lines = try String(contentsOfFile: dir.file("metrics.jsonl"), encoding: .utf8).split(separator: "\n")
        let metrics = try lines.map { try RecordCoding.decoder().decode(EpochMetrics.self, from: Data($0.utf8)) }
        XCTAssertEqual(metrics.filter { $0.phase == .dense }.count, 2 * 3, "two models × three dense epochs")
        XCTAssertEqual(Set(metrics.map(\.phase)), [.dense, .unit, .base, .edge])
        XCTAssertEqual(Set(metrics.filter { $0.phase == .edge }.map(\.model)), ["s0-u50-e10", "s1-u50-e10"])
        let unitRounds = run.models.map(\.unitRoundsTried).reduce(0, +), edgeRounds = run.models.map(\.edgeRoundsTried).reduce(0, +)
        XCTAssertEqual(metrics.filter { $0.phase == .unit }.count, 3 * unitRounds)
        XCTAssertEqual(metrics.filter { $0.phase == .edge }.count, 3 * edgeRounds)
        // One naming style: no camelCase key anywhere in run.json.
        let text = try String(contentsOfFile: dir.file("run.json"), encoding: .utf8)
        XCTAssertNil(text.range(of: #""[a-z]+[A-Z][A-Za-z]*" :"#, options: .regularExpression), "camelCase key in run.json")
    }

    func testTrainFilesReadBack() throws {
        let data = try TaskData.load("xor-pairs")
        let job = TrainJob(
            data: data, arch: try Architecture([4, 6, 4]), options: TrainingSettings(epochs: 2, batchSize: 8).options(for: data),
            learningRate: 0.05, seeds: [3], schedule: nil)
        let dir = try tempDir()
        _ = try job.execute(ReferenceBackend(), makeDirectory: { dir })
        let run = try dir.read(TrainRecord.self, "run.json")
        XCTAssertEqual(run.models.map(\.id), ["s3"])
        let history = try dir.read(TrainHistoryRecord.self, "models/s3/history.json")
        XCTAssertEqual(history.training.epochAccuracy.count, 2)
        XCTAssertNil(history.gradual)
        XCTAssertThrowsError(try dir.read(RunRecord.self, "run.json"), "a train record is not a run record") { e in
            XCTAssert("\(e)".contains("has format \"sculpt-train/1\"; this version of sculpt reads \"sculpt-run/2\""), "\(e)")
        }
    }

    func testReadersRejectOtherVersionsAndBadFields() throws {
        let dir = try tempDir()
        try dir.write(text: #"{"format": "sculpt-weights/2", "arch": [1, 1], "weights": [[0]], "biases": [[0]]}"#, "w.json")
        XCTAssertThrowsError(try dir.read(WeightsRecord.self, "w.json")) { e in
            XCTAssertEqual("\(e)", "\(dir.file("w.json")) has format \"sculpt-weights/2\"; this version of sculpt reads \"sculpt-weights/1\"")
        }
        try dir.write(text: #"{"arch": [1, 1]}"#, "none.json")
        XCTAssertThrowsError(try dir.read(WeightsRecord.self, "none.json")) { e in XCTAssert("\(e)".contains("has no \"format\" field"), "\(e)") }
        try dir.write(text: #"{"format": "sculpt-weights/1", "arch": [1, 1], "weights": [[0]]}"#, "short.json")
        XCTAssertThrowsError(try dir.read(WeightsRecord.self, "short.json")) { e in XCTAssert("\(e)".contains("missing biases"), "\(e)") }
        try dir.write(text: "[1, 2]", "array.json")
        XCTAssertThrowsError(try dir.read(WeightsRecord.self, "array.json")) { e in XCTAssert("\(e)".contains("is not a JSON object"), "\(e)") }
    }

    func testWeightsRecordSplitsBiasesPerLayer() throws {
        let r = WeightsRecord(arch: try Architecture([2, 3, 1]), weights: [[1, 2, 3, 4, 5, 6], [7, 8, 9]], biases: [0.5, 0.25, 0.125, -1])
        XCTAssertEqual(r.biases, [[0.5, 0.25, 0.125], [-1]])
    }
}
