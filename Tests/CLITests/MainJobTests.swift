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

    /// `--chains` runs exactly the listed seed:P_u:P_e chains, and run.json records them.
    func testChainsRunTheListedChainsOnly() throws {
        let cwd = try CLI.tempDir()
        let r = try CLI.run(
            [
                "run", "--task", "xor-pairs", "--arch", "4,24,4", "--lr", "0.05", "--batch-size", "8", "--epochs", "4",
                "--chains", "5:40:1.5,1:70:2.5", "--accuracy-threshold", "90", "--out", "c", "--json", "--no-report",
            ], cwd: cwd)
        XCTAssertEqual(r.status, 0, r.stderr)
        let run = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        XCTAssertEqual((run["models"] as! [[String: Any]]).map { $0["id"] as? String }, ["s5-u40-e1.5", "s1-u70-e2.5"])
        let file = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: cwd + "/c/run.json"))) as! [String: Any]
        let config = file["config"] as! [String: Any]
        XCTAssertEqual(config["seeds"] as? [Int], [5, 1])
        XCTAssertEqual((config["chains"] as? [[String: Any]])?.map { $0["unit_step"] as? Double }, [40, 70])
    }

    func testClusterabilityExperimentNeedsData() throws {
        let r = try CLI.run(["clusterability", "--out", "x"], cwd: try CLI.tempDir())
        XCTAssertNotEqual(r.status, 0)
        XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
        XCTAssert(r.stderr.contains("--data"), r.stderr)
    }
}
