import Foundation
import XCTest

/// Bad input ends with one clear line on stderr, a non-zero exit, and no run directory.
final class CLIErrorTests: XCTestCase {
    func testBadInputGivesOneLineAndNoRunDirectory() throws {
        let cwd = try CLI.tempDir()
        let base = ["--task", "xor-pairs", "--batch-size", "8", "--epochs", "2", "--out", "out"]
        let cases: [([String], String)] = [
            (["run", "--arch", "3,24,4", "--lr", "0.05"] + base, "does not fit task xor-pairs"),
            (["run", "--arch", "4,0,4", "--lr", "0.05"] + base, "layer 1 has width 0"),
            (["train", "--arch", "4,24,4", "--lr=-1"] + base, "learning rate must be a positive number"),
            (["train", "--arch", "4,24,4", "--lr", "0.1", "--task", "no-such-task"] + base.dropFirst(2), "unknown task 'no-such-task'"),
            (["run", "--arch", "4,24,4", "--lr", "0.05", "--edge-step", "120"] + base, "edge step 120"),
            (
                ["train", "--arch", "4,24,4", "--lr", "0.05", "--task", "xor-pairs", "--batch-size", "17", "--epochs", "1", "--out", "out"],
                "larger than the data (16 rows)"
            ),
        ]
        for (args, needle) in cases {
            let r = try CLI.run(args, cwd: cwd)
            XCTAssertNotEqual(r.status, 0, "\(args)")
            let lines = r.stderr.split(separator: "\n")
            XCTAssertEqual(lines.count, 1, "one line for \(args): \(r.stderr)")
            XCTAssert(r.stderr.contains(needle), "\(args): \(r.stderr)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: cwd + "/out"), "no run directory left for \(args)")
        }
    }
}
