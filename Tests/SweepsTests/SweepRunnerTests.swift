import Foundation
import Analysis
@testable import Pruning
import ReferenceBackend
import Reports
import SculptCore
@testable import Sweeps
@testable import Training
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

    /// Where several (P_u, P_e) runs of a seed end equally sparse, every tie is judged: its masks are
    /// written beside the selected network's, and the row passes (the paper's count) when any passes.
    func testTiedSparsestNetworksAreAllJudged() throws {
        let job = SweepJob(
            task: "xor-pairs", arch: [4, 12, 4], learningRate: 0.05, batchSize: 8, epochs: 15, seeds: [0, 1, 2, 3, 4, 5],
            unitSteps: [70, 50, 30], edgeSteps: [10, 5], accuracyThreshold: 100)
        let out = NSTemporaryDirectory() + "sculpt-sweep-\(UUID().uuidString)"
        _ = try SweepRunner(name: "ties", jobs: [job], out: out, resume: false, earlyStop: nil, maxModels: nil).run(ReferenceBackend())
        let dir = RunDirectory(path: out)
        let rows = try dir.read(JobResult.self, "jobs/xor-pairs/4-12-4/result.json").rows
        XCTAssert(rows.contains { ($0.tiedNetworks ?? 0) > 1 }, "this setting ties: \(rows.map(\.tiedNetworks))")
        for r in rows {
            let steps = try XCTUnwrap(r.tiedSteps)
            XCTAssertEqual(steps.count, r.tiedNetworks)
            XCTAssertEqual(steps.first, [r.unitStep!, r.edgeStep!], "the selected network is the first tie")
            var any = r.judgeSuccess!
            for s in steps.dropFirst() {
                let file = dir.file("jobs/xor-pairs/4-12-4/s\(r.seed)/ties/u\(percentText(s[0]))-e\(percentText(s[1])).json")
                let masks = try MaskFile(contentsOf: file)
                XCTAssertEqual(masks.edgeCount, r.edges, "a tie has the selected network's edge count")
                any = any || ModuleReport.analyze(masks, options: job.detection).judge!.success
            }
            XCTAssertEqual(r.tiedJudgeSuccess, any)
        }
        let table = SweepRunner.successTable(rows)
        XCTAssertEqual(table.cell("success", "xor-pairs", 1)?.passed, rows.filter { $0.tiedJudgeSuccess == true }.count)
        XCTAssertEqual(table.cell("selected_network", "xor-pairs", 1)?.passed, rows.filter { $0.judgeSuccess == true }.count)
    }

    /// A tie that passes makes the row pass when the selected network fails: a fully connected
    /// `xor-pairs` network (one module) selected, the two-module network tied with it.
    func testAPassingTieMakesTheRowPass() throws {
        let job = SweepJob(
            task: "xor-pairs", arch: [4, 4, 4], learningRate: 0.05, batchSize: 8, epochs: 1, seeds: [0], unitSteps: [70, 50],
            edgeSteps: [2.5], accuracyThreshold: 100)
        let out = NSTemporaryDirectory() + "sculpt-sweep-\(UUID().uuidString)"
        let runner = try SweepRunner(name: "ties", jobs: [job], out: out, resume: false, earlyStop: nil, maxModels: nil)
        // Layer masks [n_out][n_in]: hidden 0, 1 read x0, x1 and feed y0, y1; hidden 2, 3 the others.
        let split: [Float] = [1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 1, 1, 0, 0, 1, 1]
        let full = [Float](repeating: 1, count: 16)
        func outcome(pu: Double, _ masks: [[Float]]) -> ModelOutcome {
            let r = TrainingResult(bestEpoch: 1, accuracy: 100, loss: 0, correctBits: 1, totalBits: 1, epochLoss: [], epochAccuracy: [])
            return ModelOutcome(
                seed: 0, unitStep: pu, edgeStep: 2.5, dense: r, unitAttempts: [], unitAccepted: true, hiddenUnitsAfterUnitPruning: 4,
                base: r, edgeAttempts: [], edgeAccepted: true, accuracy: 100, edges: 16, weightCount: 32, masks: masks,
                weights: masks, biases: [Float](repeating: 0, count: 8))
        }
        let ties = [outcome(pu: 70, [full, full]), outcome(pu: 50, [split, split])]
        var row = SweepRow(
            task: "xor-pairs", job: job.id, arch: job.arch, hiddenLayers: 1, learningRate: 0.05, batchSize: 8, epochs: 1, seed: 0,
            accuracyThreshold: 100, candidatesMeetingThreshold: 2, candidates: 2, jobSeconds: 0, selected: true)
        let selectedMasks = MaskFile(arch: try job.architecture(), task: "xor-pairs", masks: ties[0].masks)
        let selected = try XCTUnwrap(ModuleReport.analyze(selectedMasks, options: job.detection).judge)
        XCTAssertFalse(selected.success, "one module is not xor-pairs' two")
        row.judgeSuccess = selected.success
        row.judge = Dictionary(uniqueKeysWithValues: selected.criteria.map { ($0.name, $0.passed) })
        try runner.judgeTies(&row, ties: ties, job: job, task: "xor-pairs", meta: [:], dir: "jobs/t/s0/ties")
        XCTAssertEqual(row.tiedNetworks, 2)
        XCTAssertEqual(row.tiedSteps, [[70, 2.5], [50, 2.5]])
        XCTAssertEqual(row.judgeSuccess, false, "the selected network's own verdict stays")
        XCTAssertEqual(row.tiedJudgeSuccess, true)
        XCTAssert(row.tiedJudge?.values.allSatisfy { $0 } == true, "\(String(describing: row.tiedJudge))")
        XCTAssertEqual(try MaskFile(contentsOf: out + "/jobs/t/s0/ties/u50-e2.5.json").edgeCount, 16)
    }

    /// The success table counts a seed as passed when any tied network passes, and keeps the selected
    /// network's own verdict as `selected_network`; rows from before ties were judged count as before.
    func testSuccessTableCountsAnyTie() {
        func row(_ seed: UInt64, selected: Bool, tied: Bool?, criterion: Bool) -> SweepRow {
            var r = SweepRow(
                task: "reuse-8", job: "j", arch: [4, 24, 24, 8], hiddenLayers: 2, learningRate: 0.1, batchSize: 16, epochs: 30, seed: seed,
                accuracyThreshold: 100, candidatesMeetingThreshold: 70, candidates: 70, jobSeconds: 1, selected: true)
            r.judgeSuccess = selected
            r.judge = ["output_separation": selected]
            if let tied {
                r.tiedJudgeSuccess = tied
                r.tiedJudge = ["output_separation": criterion]
            }
            return r
        }
        let table = SweepRunner.successTable([
            row(0, selected: false, tied: true, criterion: true), row(1, selected: true, tied: true, criterion: true),
            row(2, selected: false, tied: false, criterion: false), row(3, selected: false, tied: nil, criterion: true),
        ])
        XCTAssertEqual(table.cell("success", "reuse-8", 2), .init(passed: 2, total: 4))
        XCTAssertEqual(table.cell("output_separation", "reuse-8", 2), .init(passed: 2, total: 4))
        XCTAssertEqual(table.cell("selected_network", "reuse-8", 2), .init(passed: 1, total: 4))
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
