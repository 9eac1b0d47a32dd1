import Foundation
import Tasks
import XCTest

/// A manifest names a vision task with its data, splits and `sculpt run`'s options, and the sweep
/// runs it end to end on generated digit-like images.
final class VisionSweepTests: XCTestCase {
    func testMnistPairsSweepFromAManifest() throws {
        let cwd = try CLI.tempDir()
        _ = try IDXWriter.writeSynthetic(directory: cwd + "/images", trainCount: 400, testCount: 100, seed: 5, gzip: false)
        let manifest = """
            tasks: [mnist-pairs]
            data: images
            train_pairs: 384
            validation_pairs: 96
            test_pairs: 64
            center_inputs: true
            edge_norm: mean
            architectures:
              - {arch: [1568, 12, 20], lr: 0.01, batch_size: 64, epochs: 3}
            seeds: [0]
            unit_steps: [50]
            edge_steps: [40]
            accuracy_threshold: 90
            """
        try manifest.write(toFile: cwd + "/vision.yaml", atomically: true, encoding: .utf8)
        let r = try CLI.run(["sweep", "vision.yaml", "--out", "out"], cwd: cwd)
        XCTAssertEqual(r.status, 0, r.stderr)
        let state = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: cwd + "/out/sweep.json"))) as! [String: Any]
        let job = (state["jobs"] as! [[String: Any]])[0]
        let options = try XCTUnwrap(job["options"] as? [String: Any], "sweep.json records the job's options")
        XCTAssertEqual(options["edge_norm"] as? String, "mean")
        let vision = try XCTUnwrap(options["vision"] as? [String: Any])
        XCTAssertEqual(vision["train_pairs"] as? Int, 384)
        XCTAssertEqual(vision["center_inputs"] as? Bool, true)
        let rows = try String(contentsOfFile: cwd + "/out/results.jsonl", encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(rows.count, 1)
        let row = try JSONSerialization.jsonObject(with: Data(rows[0].utf8)) as! [String: Any]
        XCTAssertEqual(row["task"] as? String, "mnist-pairs")
        XCTAssertEqual(row["candidates"] as? Int, 1)
        // The selected network's held-out and per-pair accuracies, as `sculpt run` reports them.
        let test = try XCTUnwrap(row["test_accuracy"] as? Double, "held-out test accuracy per bit")
        XCTAssert((0...100).contains(test))
        for key in ["validation_digits", "test_digits"] {
            let d = try XCTUnwrap(row[key] as? [String: Any], key)
            let left = try XCTUnwrap(d["left"] as? Double), right = try XCTUnwrap(d["right"] as? Double)
            let both = try XCTUnwrap(d["both"] as? Double)
            XCTAssertLessThanOrEqual(both, min(left, right) + 1e-9, "a pair is right only when both digits are: \(key)")
        }
        let csv = try String(contentsOfFile: cwd + "/out/results.csv", encoding: .utf8).split(separator: "\n")
        let header = csv[0].split(separator: ",").map(String.init)
        let column = try XCTUnwrap(header.firstIndex(of: "test_pairs"), "results.csv has the per-pair columns")
        let testPairs = try XCTUnwrap((row["test_digits"] as? [String: Any])?["both"] as? Double)
        XCTAssertEqual(Double(Self.csvFields(String(csv[1]))[column]), testPairs)

        // Data settings on a Boolean task are refused before anything is written.
        try "tasks: [xor-pairs]\ndata: images\narchitectures: [{arch: [4, 8, 4], lr: 0.05, batch_size: 8, epochs: 2}]\n"
            .write(toFile: cwd + "/bad.yaml", atomically: true, encoding: .utf8)
        let bad = try CLI.run(["sweep", "bad.yaml", "--out", "bad"], cwd: cwd)
        XCTAssertNotEqual(bad.status, 0)
        XCTAssert(bad.stderr.contains("data and split settings are for the vision tasks"), bad.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: cwd + "/bad/sweep.json"))
    }

    /// The fields of one CSV line; commas inside double quotes belong to the field.
    static func csvFields(_ line: String) -> [String] {
        var fields = [""], quoted = false
        for c in line {
            if c == "\"" {
                quoted.toggle()
            } else if c == "," && !quoted {
                fields.append("")
            } else {
                fields[fields.count - 1].append(c)
            }
        }
        return fields
    }
}
