import Foundation
import Tasks
import XCTest

/// a short end-to-end mnist-pairs run on generated digit-like data through `sculpt run`.
final class VisionRunTests: XCTestCase {
    func testMnistPairsRunsEndToEndOnSyntheticDigits() throws {
        let cwd = try CLI.tempDir()
        _ = try IDXWriter.writeSynthetic(directory: cwd + "/data", trainCount: 600, testCount: 200, seed: 4, gzip: true)
        let r = try CLI.run(
            [
                "run", "--task", "mnist-pairs", "--data", "data", "--arch", "1568,24,20", "--lr", "0.01",
                "--batch-size", "64", "--epochs", "4", "--train-pairs", "640", "--validation-pairs", "128",
                "--test-pairs", "128", "--seeds", "0", "--unit-step", "50", "--edge-step", "20",
                "--accuracy-threshold", "97", "--out", "out", "--json",
            ], cwd: cwd)
        XCTAssertEqual(r.status, 0, r.stderr)
        let run = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        XCTAssertEqual(run["task"] as? String, "mnist-pairs")
        let model = (run["models"] as! [[String: Any]])[0]
        XCTAssertGreaterThanOrEqual(model["accuracy"] as! Double, 97, "the final network meets the threshold on validation")
        XCTAssertNotNil(model["test_accuracy"] as? Double, "held-out test accuracy is reported")
        // Per pair beside per bit: both digits right is never more often than either digit alone.
        for split in ["validation_digits", "test_digits"] {
            let d = try XCTUnwrap(model[split] as? [String: Double], "\(split) reported")
            let left = try XCTUnwrap(d["left"]), right = try XCTUnwrap(d["right"]), both = try XCTUnwrap(d["both"])
            XCTAssert(both <= min(left, right) && (0...100).contains(both), "\(split): \(d)")
        }
        XCTAssertLessThan(model["density"] as! Double, 1, "something was pruned")
        XCTAssertNotNil(model["judge_success"], "the mnist-pairs judge ran")
        XCTAssert(FileManager.default.fileExists(atPath: cwd + "/out/models/s0-u50-e20/modules.svg"))
        let report = try String(contentsOfFile: cwd + "/out/report.html", encoding: .utf8)
        XCTAssert(report.contains("Pixels read by each module") && report.contains("per pair"), "the image task's report maps pixels to modules")
        let data = run["data"] as? [String: Any]
        XCTAssertEqual(data?["train_pairs"] as? Int, 640, "run.json records the data settings")
        // sculpt train reports the dense networks' accuracy per pair too.
        let trained = try CLI.run(
            [
                "train", "--task", "mnist-pairs", "--data", "data", "--arch", "1568,24,20", "--lr", "0.01", "--batch-size", "64",
                "--epochs", "2", "--train-pairs", "256", "--validation-pairs", "64", "--test-pairs", "64", "--out", "dense", "--json",
            ], cwd: cwd)
        XCTAssertEqual(trained.status, 0, trained.stderr)
        let dense = ((try JSONSerialization.jsonObject(with: Data(trained.stdout.utf8)) as! [String: Any])["models"] as! [[String: Any]])[0]
        for split in ["validation_digits", "test_digits"] {
            let d = try XCTUnwrap(dense[split] as? [String: Double], "\(split) of the dense network")
            XCTAssert(d["both"]! <= min(d["left"]!, d["right"]!), "\(split): \(d)")
        }
        XCTAssertEqual(data?["center_inputs"] as? Bool, false)
        // --center-inputs runs and is recorded.
        let centered = try CLI.run(
            [
                "run", "--task", "mnist-pairs", "--data", "data", "--arch", "1568,8,20", "--lr", "0.01",
                "--batch-size", "64", "--epochs", "1", "--train-pairs", "128", "--validation-pairs", "64",
                "--test-pairs", "64", "--seeds", "0", "--unit-step", "50", "--edge-step", "50",
                "--accuracy-threshold", "50", "--center-inputs", "--out", "centered", "--json",
            ], cwd: cwd)
        XCTAssertEqual(centered.status, 0, centered.stderr)
        let c = try JSONSerialization.jsonObject(with: Data(centered.stdout.utf8)) as! [String: Any]
        XCTAssertEqual((c["data"] as? [String: Any])?["center_inputs"] as? Bool, true)
        // --cleanup scores BCE outputs only: a softmax task is refused in one line, before any directory.
        let softmax = try CLI.run(
            [
                "run", "--task", "fashion", "--data", "data", "--arch", "784,8,10", "--lr", "0.01",
                "--batch-size", "64", "--epochs", "1", "--validation-images", "100", "--cleanup", "--accuracy-threshold", "50",
                "--out", "refused",
            ], cwd: cwd)
        XCTAssertNotEqual(softmax.status, 0)
        XCTAssert(softmax.stderr.contains("--cleanup"), softmax.stderr)
        XCTAssertEqual(softmax.stderr.split(separator: "\n").count, 1, softmax.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: cwd + "/refused"))
        // Missing data: one line listing the expected files.
        let missing = try CLI.run(
            [
                "run", "--task", "mnist-pairs", "--data", "nowhere", "--arch", "1568,24,20", "--lr", "0.01",
                "--batch-size", "64", "--epochs", "1", "--out", "out2",
            ], cwd: cwd)
        XCTAssertNotEqual(missing.status, 0)
        XCTAssert(missing.stderr.contains("train-images-idx3-ubyte"), missing.stderr)
        XCTAssertEqual(missing.stderr.split(separator: "\n").count, 1, missing.stderr)
    }

    /// Split sizes: no test split is allowed (nothing reported for it), an empty validation split or
    /// more pairs than memory holds are refused in one line before any work.
    func testSplitSizes() throws {
        let cwd = try CLI.tempDir()
        _ = try IDXWriter.writeSynthetic(directory: cwd + "/data", trainCount: 300, testCount: 60, seed: 5, gzip: false)
        let base = [
            "run", "--task", "mnist-pairs", "--data", "data", "--arch", "1568,8,20", "--lr", "0.01", "--batch-size", "32", "--epochs", "1",
            "--unit-step", "50", "--edge-step", "50", "--accuracy-threshold", "0", "--train-pairs", "200", "--validation-pairs", "40",
        ]
        let none = try CLI.run(base + ["--test-pairs", "0", "--out", "a", "--json"], cwd: cwd)
        XCTAssertEqual(none.status, 0, none.stderr)
        let model = ((try JSONSerialization.jsonObject(with: Data(none.stdout.utf8)) as! [String: Any])["models"] as! [[String: Any]])[0]
        XCTAssertNil(model["test_accuracy"], "no test split, no test accuracy")
        for (flag, value, needle) in [
            ("--validation-pairs", "0", "validation pairs must be at least 1"),
            ("--train-pairs", "100000000", "need more than half of this machine's memory"),
        ] {
            let r = try CLI.run(base + [flag, value, "--out", "b"], cwd: cwd)
            XCTAssertNotEqual(r.status, 0)
            XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
            XCTAssert(r.stderr.contains(needle), r.stderr)
            XCTAssertFalse(FileManager.default.fileExists(atPath: cwd + "/b"))
        }
    }
}
