import Foundation
import XCTest

/// `sculpt` with no subcommand (what `make run` runs) finishes the whole default pipeline.
final class MainJobTests: XCTestCase {
    func testDefaultJobRunsEndToEnd() throws {
        let cwd = try CLI.tempDir()
        let r = try CLI.run(["--out", "main", "--json"], cwd: cwd)
        XCTAssertEqual(r.status, 0, r.stderr)
        let run = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        XCTAssertEqual(run["task"] as? String, "and-or")
        let models = run["models"] as! [[String: Any]]
        XCTAssertEqual(models.count, 4)
        XCTAssert(models.allSatisfy { ($0["accuracy"] as? Double) == 100 }, "every model keeps 100%")
        XCTAssert(models.allSatisfy { $0["judge_success"] != nil }, "the judge ran on every model")
    }

    func testClusterabilityExperimentNeedsData() throws {
        let r = try CLI.run(["clusterability", "--out", "x"], cwd: try CLI.tempDir())
        XCTAssertNotEqual(r.status, 0)
        XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
        XCTAssert(r.stderr.contains("--data"), r.stderr)
    }
}
