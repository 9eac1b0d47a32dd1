import Foundation
import Pruning
import ReferenceBackend
import Reports
import SculptCore
@testable import Sweeps
import TestSupport
import XCTest

/// A tiny sweep on the reference backend: every file reads back with its record type, and a resumed
/// run reuses the saved job.
final class SweepRunnerTests: XCTestCase {
    func testSweepFilesReadBackAndResumeReuses() throws {
        let job = SweepJob(
            task: "xor-pairs", arch: [4, 8, 4], learningRate: 0.05, batchSize: 8, epochs: 3, seeds: [0, 1],
            unitSteps: [50], edgeSteps: [10], accuracyThreshold: 0)
        let out = NSTemporaryDirectory() + "sculpt-sweep-\(UUID().uuidString)"
        let runner = try SweepRunner(name: "tiny", jobs: [job], out: out, resume: false, earlyStop: nil, maxModels: nil)
        let first = try runner.run(ReferenceBackend())
        XCTAssertEqual(first.ranNow, 1)
        let dir = RunDirectory(path: out)
        let state = try dir.read(SweepState.self, "sweep.json")
        XCTAssertEqual(state.jobs, [job])
        let result = try dir.read(JobResult.self, "jobs/xor-pairs/4-8-4/result.json")
        XCTAssertEqual(result.job, job)
        XCTAssertEqual(result.rows.map(\.seed), [0, 1])
        XCTAssert(result.rows.allSatisfy { $0.selected && $0.judgeSuccess != nil })
        let success = try dir.read(SuccessRecord.self, "success.json")
        XCTAssertEqual(success.tasks, ["xor-pairs"])
        XCTAssertEqual(success.tables["success"]?["xor-pairs"]?["1"]?.total, 2)
        let lines = try String(contentsOfFile: dir.file("results.jsonl"), encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(try lines.map { try RecordCoding.decoder().decode(SweepRow.self, from: Data($0.utf8)) }, result.rows)

        let again = try SweepRunner(name: "tiny", jobs: [job], out: out, resume: true, earlyStop: nil, maxModels: nil).run(ReferenceBackend())
        XCTAssertEqual([again.ranNow, again.reused], [0, 1])
        // A saved result of another job is refused, naming the file.
        var other = job
        other.epochs = 4
        var saved = result
        saved.job = other
        try dir.write(saved, "jobs/xor-pairs/4-8-4/result.json")
        XCTAssertThrowsError(try SweepRunner(name: "tiny", jobs: [job], out: out, resume: true, earlyStop: nil, maxModels: nil).run(ReferenceBackend())) { e in
            XCTAssert("\(e)".contains("result.json was made by another job"), "\(e)")
        }
    }

    /// A job with `chains` runs exactly those chains: each seed's row holds its own (P_u, P_e), out of
    /// its chains only.
    func testJobWithChainsRunsThoseChains() throws {
        let chains = [Chain(seed: 3, unitStep: 50, edgeStep: 10), Chain(seed: 1, unitStep: 30, edgeStep: 5)]
        let job = SweepJob(
            task: "xor-pairs", arch: [4, 8, 4], learningRate: 0.05, batchSize: 8, epochs: 3, seeds: [3, 1], unitSteps: [50, 30],
            edgeSteps: [10, 5], accuracyThreshold: 0, chains: chains)
        let out = NSTemporaryDirectory() + "sculpt-sweep-\(UUID().uuidString)"
        _ = try SweepRunner(name: "chains", jobs: [job], out: out, resume: false, earlyStop: nil, maxModels: nil).run(ReferenceBackend())
        let result = try RunDirectory(path: out).read(JobResult.self, "jobs/xor-pairs/4-8-4/result.json")
        XCTAssertEqual(result.rows.map(\.seed), [3, 1])
        XCTAssertEqual(result.rows.map(\.candidates), [1, 1])
        XCTAssertEqual(result.rows.map { [$0.unitStep, $0.edgeStep] }, [[50, 10], [30, 5]])
    }
}

/// The paper's plotted rates the sweep report shows (docs/method.md §7.3).
final class PaperRatesTests: XCTestCase {
    func testRatesFollowTheTable() {
        XCTAssertEqual(PaperRates.success(task: "xor-pairs", hiddenLayers: 3), 1)
        XCTAssertEqual(PaperRates.success(task: "reuse-4", hiddenLayers: 2), 0.92)
        XCTAssertEqual(PaperRates.success(task: "reuse-16", hiddenLayers: 1), 0)
        XCTAssertEqual(PaperRates.success(task: "hierarchy-16", hiddenLayers: 2), 0.83)
        XCTAssertEqual(PaperRates.success(task: "hierarchy-4", hiddenLayers: 4), 0.75)
        XCTAssertNil(PaperRates.success(task: "hierarchy-4", hiddenLayers: 1), "the paper plots no 1-hidden hierarchy cell")
        XCTAssertNil(PaperRates.success(task: "overlap-2-4", hiddenLayers: 2))
        XCTAssertNil(PaperRates.success(task: "xor-pairs", hiddenLayers: 4))
    }
}
