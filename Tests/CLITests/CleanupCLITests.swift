import Foundation
import XCTest

/// `sculpt cleanup RUN --out DIR`: the loss-based cleanup after the fact, into a new run directory.
final class CleanupCLITests: XCTestCase {
    func testCleanupWritesANewRunAndLeavesTheOriginal() throws {
        let cwd = try CLI.tempDir()
        let run = try CLI.run(
            [
                "run", "--task", "xor-pairs", "--arch", "4,24,4", "--lr", "0.05", "--batch-size", "8", "--epochs", "6", "--seeds", "0,1",
                "--unit-step", "30", "--edge-step", "2.5", "--accuracy-threshold", "90", "--out", "r", "--json", "--no-report",
            ], cwd: cwd)
        XCTAssertEqual(run.status, 0, run.stderr)
        let original = try Data(contentsOf: URL(fileURLWithPath: cwd + "/r/run.json"))

        let r = try CLI.run(["cleanup", "r", "--out", "c", "--json"], cwd: cwd)
        XCTAssertEqual(r.status, 0, r.stderr)
        let before = (try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as! [String: Any])["models"] as! [[String: Any]]
        let after = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        XCTAssertEqual(after["cleanup"] as? Bool, true)
        let models = after["models"] as! [[String: Any]]
        XCTAssertEqual(models.map { $0["id"] as? String }, before.map { $0["id"] as? String })
        for (b, a) in zip(before, models) {
            let c = a["cleanup"] as! [String: Any]
            let removed = c["removed_edges"] as! Int
            XCTAssertEqual(a["edges"] as? Int, (b["edges"] as! Int) - removed)
            XCTAssertLessThanOrEqual(c["loss_after"] as! Double, (c["loss_before"] as! Double) * (1 + 1e-9))
            XCTAssertGreaterThanOrEqual(a["accuracy"] as! Double, 90)
            let id = a["id"] as! String
            let masks = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(cwd)/c/models/\(id)/masks.json"))) as! [String: Any]
            let edges = (masks["layers"] as! [[String: Any]]).map { ($0["edges"] as! [Any]).count }.reduce(0, +)
            XCTAssertEqual(edges, a["edges"] as? Int)
            XCTAssert(FileManager.default.fileExists(atPath: "\(cwd)/c/models/\(id)/modules.json"))
        }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: cwd + "/r/run.json")), original, "the original run is untouched")

        // Errors: one line, nothing written.
        for (args, needle) in [
            (["cleanup", "c", "--out", "c2"], "was already cleaned up"),
            (["cleanup", "nowhere", "--out", "c3"], "holds no run.json"),
            (["cleanup", "r", "--out", "c4", "--accuracy-threshold", "120"], "accuracy threshold 120"),
        ] {
            let e = try CLI.run(args, cwd: cwd)
            XCTAssertNotEqual(e.status, 0, "\(args)")
            XCTAssertEqual(e.stderr.split(separator: "\n").count, 1, e.stderr)
            XCTAssert(e.stderr.contains(needle), e.stderr)
            XCTAssertFalse(FileManager.default.fileExists(atPath: cwd + "/" + args[3]), "\(args)")
        }
    }
}
