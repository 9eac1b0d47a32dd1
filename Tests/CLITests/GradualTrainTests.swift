import Foundation
import SculptCore
import Tasks
import XCTest

/// `sculpt train --task fashion --prune gradual` end to end on synthetic IDX digits.
final class GradualTrainTests: XCTestCase {
    func testGradualPruningRunOnSyntheticDigits() throws {
        let cwd = try CLI.tempDir()
        _ = try IDXWriter.writeSynthetic(directory: cwd + "/data", trainCount: 1000, testCount: 200, seed: 9, gzip: true)
        let r = try CLI.run(
            [
                "train", "--task", "fashion", "--data", "data", "--validation-images", "200", "--arch", "784,64,64,10",
                "--lr", "0.01", "--batch-size", "50", "--seeds", "0,3", "--prune", "gradual",
                "--initial-sparsity", "0.5", "--final-sparsity", "0.9", "--prune-every", "5", "--dense-epochs", "2",
                "--prune-epochs", "3", "--scope", "layer", "--dropout", "0.2", "--init", "glorot", "--out", "out", "--json",
            ], cwd: cwd)
        XCTAssertEqual(r.status, 0, r.stderr)
        let run = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        XCTAssertEqual(run["task"] as? String, "fashion")
        let config = run["config"] as! [String: Any]
        XCTAssertEqual(config["loss"] as? String, "softmaxCrossEntropy", "chosen automatically for the 10-class tasks")
        XCTAssertEqual(config["epochs"] as? Int, 5, "dense + prune epochs")
        XCTAssertEqual((run["gradual_pruning"] as? [String: Any])?["scope"] as? String, "layer")
        for model in run["models"] as! [[String: Any]] {
            // Ten well-separated synthetic classes: a 90%-sparse network still classifies nearly all.
            XCTAssertGreaterThanOrEqual(model["accuracy"] as! Double, 90, "validation accuracy per image")
            XCTAssertGreaterThanOrEqual(model["test_accuracy"] as! Double, 90, "test accuracy per image")
            XCTAssertEqual(model["best_epoch"] as? Int, 5, "the last epoch's network")
            // ⌊0.9·n⌋ of each layer: 784·64 = 50176 → 45158, 64·64 = 4096 → 3686, 64·10 = 640 → 576.
            let layers = model["layer_sparsity"] as! [Double]
            XCTAssertEqual(layers.count, 3)
            for (s, n) in zip(layers, [50176.0, 4096, 640]) { XCTAssertEqual(s, (0.9 * n).rounded(.down) / n, accuracy: 1e-12) }
            let id = model["id"] as! String
            let masks = try MaskFile(contentsOf: cwd + "/out/models/\(id)/masks.json")
            XCTAssertEqual(masks.edgeCount, 50176 - 45158 + 4096 - 3686 + 640 - 576, "masks.json holds the sparse network")
            XCTAssertNotNil(masks.weights, "with weights")
        }
        // Text output: final sparsity per layer, validation and test accuracy.
        let text = try CLI.run(
            [
                "train", "--task", "mnist", "--data", "data", "--validation-images", "200", "--arch", "784,16,10",
                "--lr", "0.003", "--batch-size", "100", "--prune", "gradual", "--dense-epochs", "0", "--prune-epochs", "1",
                "--scope", "global", "--out", "out2",
            ], cwd: cwd)
        XCTAssertEqual(text.status, 0, text.stderr)
        XCTAssert(text.stdout.contains("final sparsity 0.9000 (layer 0"), text.stdout)
        XCTAssert(text.stdout.contains("validation accuracy (per image)") && text.stdout.contains("test "), text.stdout)
    }

    func testGradualOptionErrorsAreOneLine() throws {
        let cwd = try CLI.tempDir()
        _ = try IDXWriter.writeSynthetic(directory: cwd + "/data", trainCount: 100, testCount: 20, seed: 1)
        let base = [
            "train", "--task", "fashion", "--data", "data", "--validation-images", "20", "--arch", "784,8,10", "--lr", "0.01",
            "--batch-size", "10", "--out", "out",
        ]
        let cases: [([String], String)] = [
            (base + ["--epochs", "2", "--initial-sparsity", "0.5"], "--initial-sparsity needs --prune gradual"),
            (base + ["--prune", "gradual", "--epochs", "3"], "--epochs 3 disagrees with --prune gradual"),
            (base + ["--prune", "gradual", "--final-sparsity", "1"], "final sparsity must be in"),
            (base + ["--prune", "gradual", "--prune-every", "0"], "prune-every must be at least 1"),
            (base + ["--epochs", "1", "--dropout", "1"], "dropout rate must be in [0, 1)"),
            (base + ["--epochs", "1", "--validation-images", "100"], "validation images must be between 1 and 99"),
            (base, "missing --epochs"),
            (["train", "--task", "mnist", "--arch", "784,8,10", "--lr", "0.01", "--batch-size", "10", "--epochs", "1", "--out", "out"], "needs --data DIR"),
        ]
        for (args, needle) in cases {
            let r = try CLI.run(args, cwd: cwd)
            XCTAssertNotEqual(r.status, 0, "\(args)")
            XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, "one line for \(args): \(r.stderr)")
            XCTAssert(r.stderr.contains(needle), "\(args): \(r.stderr)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: cwd + "/out"), "no run directory left for \(args)")
        }
    }
}
