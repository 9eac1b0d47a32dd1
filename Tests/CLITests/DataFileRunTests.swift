import Foundation
import XCTest

/// `--task data:FILE` through `sculpt run` and a sweep manifest.
final class DataFileRunTests: XCTestCase {
    /// Rows of a task whose first output is x0 AND x1 and second x2 OR x3, eight inputs in all.
    func csv() -> String {
        var text = "x0,x1,x2,x3,x4,x5,x6,x7,y_and,y_or,split\n"
        for r in 0..<512 {
            let bits = (0..<8).map { (r >> $0) & 1 }
            let split = r % 7 == 0 ? "validation" : r % 7 == 1 ? "test" : "train"
            text += bits.map(String.init).joined(separator: ",") + ",\(bits[0] & bits[1]),\(bits[2] | bits[3]),\(split)\n"
        }
        return text
    }

    func testRunAndSweepOnACSVFile() throws {
        let cwd = try CLI.tempDir()
        try csv().write(toFile: cwd + "/rows.csv", atomically: true, encoding: .utf8)
        let r = try CLI.run(
            [
                "run", "--task", "data:rows.csv", "--arch", "8,16,2", "--lr", "0.05", "--batch-size", "32", "--epochs", "10",
                "--seeds", "0", "--unit-step", "50", "--edge-step", "30", "--accuracy-threshold", "95", "--out", "out", "--json",
            ], cwd: cwd)
        XCTAssertEqual(r.status, 0, r.stderr)
        let run = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        XCTAssertEqual(run["task"] as? String, "data:rows.csv")
        let model = (run["models"] as! [[String: Any]])[0]
        XCTAssertGreaterThanOrEqual(model["accuracy"] as! Double, 95, "validation accuracy meets the threshold")
        XCTAssertNotNil(model["test_accuracy"] as? Double, "the test split is reported")
        XCTAssertLessThan(model["density"] as! Double, 0.5, "pruning removed most edges")

        let manifest = """
            tasks: [data:rows.csv]
            architectures:
              - {arch: [8, 12, 2], lr: 0.05, batch_size: 32, epochs: 8}
            seeds: [0]
            unit_steps: [50]
            edge_steps: [30]
            """
        try manifest.write(toFile: cwd + "/m.yaml", atomically: true, encoding: .utf8)
        let s = try CLI.run(["sweep", "m.yaml", "--out", "sweep"], cwd: cwd)
        XCTAssertEqual(s.status, 0, s.stderr)
        let rows = try String(contentsOfFile: cwd + "/sweep/results.jsonl", encoding: .utf8)
        XCTAssert(rows.contains("data:rows.csv"), rows)

        let bad = try CLI.run(
            ["run", "--task", "data:rows.csv", "--data", "x", "--arch", "8,4,2", "--lr", "0.1", "--batch-size", "8", "--epochs", "1"], cwd: cwd)
        XCTAssertNotEqual(bad.status, 0)
        XCTAssert(bad.stderr.contains("holds its own rows"), bad.stderr)
        try "a,y\n1,0\n1,zero\n".write(toFile: cwd + "/broken.csv", atomically: true, encoding: .utf8)
        let broken = try CLI.run(
            ["run", "--task", "data:broken.csv", "--arch", "1,4,1", "--lr", "0.1", "--batch-size", "8", "--epochs", "1", "--out", "b"], cwd: cwd)
        XCTAssertNotEqual(broken.status, 0)
        XCTAssert(broken.stderr.contains("broken.csv: line 3: column 'y' is 'zero'"), broken.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: cwd + "/b"), "no run directory for a file that cannot be read")
    }
}
