import Foundation
import XCTest

final class SweepResumeTests: XCTestCase {
    let manifest = """
        tasks: [xor-pairs]
        architectures:
          - {arch: [4, 8, 4], lr: 0.05, batch_size: 8, epochs: 15}
          - {arch: [4, 12, 4], lr: 0.05, batch_size: 8, epochs: 15}
        seeds: [0, 1]
        unit_steps: [70]
        edge_steps: [2.5, 1.5]
        accuracy_threshold: 100
        """

    /// Rows without the wall-clock field, for comparing runs.
    func rows(_ dir: String) throws -> [NSDictionary] {
        let text = try String(contentsOfFile: dir + "/results.jsonl", encoding: .utf8)
        return try text.split(separator: "\n").map { line in
            let o = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            return o.filter { $0.key != "job_seconds" } as NSDictionary
        }
    }

    /// A sweep killed in the middle and resumed ends with exactly the results of an uninterrupted one.
    func testKilledSweepResumesToTheSameResults() throws {
        let cwd = try CLI.tempDir()
        try manifest.write(toFile: cwd + "/tiny.yaml", atomically: true, encoding: .utf8)
        let full = try CLI.run(["sweep", "tiny.yaml", "--out", "full"], cwd: cwd)
        XCTAssertEqual(full.status, 0, full.stderr)
        let expected = try rows(cwd + "/full")
        XCTAssertEqual(expected.count, 4)

        // Kill the second run once its first job has finished.
        let second = try CLI.start(["sweep", "tiny.yaml", "--out", "cut"], cwd: cwd)
        let firstJob = cwd + "/cut/jobs/xor-pairs/4-8-4/result.json"
        let deadline = Date().addingTimeInterval(120)
        while !FileManager.default.fileExists(atPath: firstJob) && Date() < deadline && second.process.isRunning { usleep(20_000) }
        let killed = second.process.isRunning
        kill(second.process.processIdentifier, SIGKILL)
        second.process.waitUntilExit()
        XCTAssert(FileManager.default.fileExists(atPath: firstJob), "the first job finished before the kill")
        // Otherwise the resume below would have nothing to do and prove nothing.
        XCTAssert(killed && second.process.terminationReason == .uncaughtSignal, "the sweep was still running when killed")
        XCTAssertFalse(FileManager.default.fileExists(atPath: cwd + "/cut/jobs/xor-pairs/4-12-4/result.json"), "the second job had not finished")

        let again = try CLI.run(["sweep", "tiny.yaml", "--out", "cut"], cwd: cwd)
        XCTAssertNotEqual(again.status, 0, "a non-empty --out without --resume is refused")
        XCTAssert(again.stderr.contains("--resume"), again.stderr)

        let resumed = try CLI.run(["sweep", "tiny.yaml", "--out", "cut", "--resume"], cwd: cwd)
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssert(resumed.stdout.contains("from an earlier run"), resumed.stdout)
        XCTAssertEqual(try rows(cwd + "/cut"), expected)
        // Jobs read back from the first run are written to results.csv exactly as fresh ones (seed 0 and 1 stay numbers).
        let csv = { (d: String) in try String(contentsOfFile: cwd + "/\(d)/results.csv", encoding: .utf8) }
        let resumedCSV = try csv("cut")
        XCTAssertEqual(resumedCSV, try csv("full"))
        XCTAssert(resumedCSV.contains("xor-pairs,\"[4,8,4]\",1,0.05,8,15,0,"), resumedCSV)
        XCTAssertEqual(
            try String(contentsOfFile: cwd + "/cut/success.md", encoding: .utf8),
            try String(contentsOfFile: cwd + "/full/success.md", encoding: .utf8))
        // No temporary files are left behind by the atomic writes (the directory's lock file stays).
        let leftovers = FileManager.default.enumerator(atPath: cwd + "/cut")!.compactMap { $0 as? String }
            .filter { ($0 as NSString).lastPathComponent.hasPrefix(".") && $0 != ".sculpt-lock" }
        XCTAssertEqual(leftovers, [])
    }
}

final class SweepDirectoryTests: XCTestCase {
    /// --resume into a directory that holds no sweep is refused and deletes nothing.
    func testResumeIntoAnotherDirectoryIsRefused() throws {
        let cwd = try CLI.tempDir()
        try FileManager.default.createDirectory(atPath: cwd + "/mine/sub", withIntermediateDirectories: true)
        try Data("keep".utf8).write(to: URL(fileURLWithPath: cwd + "/mine/sub/.sculpt-partial-1-x"))
        let r = try CLI.run(["sweep", "exemplar", "--only", "xor-pairs", "--out", "mine", "--resume"], cwd: cwd)
        XCTAssertNotEqual(r.status, 0)
        XCTAssert(r.stderr.contains("not a sweep directory"), r.stderr)
        XCTAssert(FileManager.default.fileExists(atPath: cwd + "/mine/sub/.sculpt-partial-1-x"))
    }

    /// A sweep refused before any job ran (here: a network the device cannot hold) leaves no
    /// sweep.json behind, so running the same command again gives the same error, not "not empty".
    func testARefusedSweepCanBeRunAgain() throws {
        let cwd = try CLI.tempDir()
        let huge = """
            tasks: [xor-pairs]
            architectures:
              - {arch: [4, 40000, 40000, 4], lr: 0.05, batch_size: 8, epochs: 1}
            seeds: [0]
            unit_steps: [70]
            edge_steps: [2.5]
            accuracy_threshold: 100
            """
        try huge.write(toFile: cwd + "/huge.yaml", atomically: true, encoding: .utf8)
        for attempt in 1...2 {
            let r = try CLI.run(["sweep", "huge.yaml", "--out", "o"], cwd: cwd)
            XCTAssertNotEqual(r.status, 0)
            XCTAssert(r.stderr.contains("bytes of device memory"), "attempt \(attempt): \(r.stderr)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: cwd + "/o/sweep.json"), "attempt \(attempt)")
        }
    }
}
