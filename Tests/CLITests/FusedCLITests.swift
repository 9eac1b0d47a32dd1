import Foundation
import XCTest

/// `--fused`: the default (exact) and `off` give the same run, mask for mask, and the run files say
/// which path ran.
final class FusedCLITests: XCTestCase {
    func testExactFusedAndPerLayerRunsAreIdentical() throws {
        let cwd = try CLI.tempDir()
        var outputs: [String: (models: [[String: Any]], products: String)] = [:]
        for mode in ["exact", "off"] {
            let r = try CLI.run(
                [
                    "run", "--task", "xor-pairs", "--arch", "4,24,4", "--lr", "0.05", "--batch-size", "8", "--epochs", "15",
                    "--seeds", "0,1,2,5", "--unit-step", "70", "--edge-step", "2.5", "--fused", mode, "--out", mode, "--json",
                ], cwd: cwd)
            XCTAssertEqual(r.status, 0, r.stderr)
            let run = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
            let runFile = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(cwd)/\(mode)/run.json"))) as! [String: Any]
            let environment = runFile["environment"] as! [String: Any]
            outputs[mode] = (run["models"] as! [[String: Any]], environment["matrix_products"] as! String)
        }
        XCTAssert(outputs["exact"]!.products.contains("small networks fused"), outputs["exact"]!.products)
        XCTAssert(outputs["off"]!.products.contains("small networks per layer"), outputs["off"]!.products)
        for (a, b) in zip(outputs["exact"]!.models, outputs["off"]!.models) {
            for key in ["edges", "accuracy", "condensed_arch", "modules", "judge_success"] {
                XCTAssertEqual("\(a[key] ?? "-")", "\(b[key] ?? "-")", key)
            }
        }
        for seed in [0, 1, 2, 5] {
            let exact = try Data(contentsOf: URL(fileURLWithPath: "\(cwd)/exact/models/s\(seed)-u70-e2.5/masks.json"))
            let off = try Data(contentsOf: URL(fileURLWithPath: "\(cwd)/off/models/s\(seed)-u70-e2.5/masks.json"))
            XCTAssertEqual(exact, off, "seed \(seed) masks")
        }
    }

    func testUnknownModeIsRefused() throws {
        let r = try CLI.run(["run", "--task", "xor-pairs", "--arch", "4,24,4", "--fused", "fastest"], cwd: try CLI.tempDir())
        XCTAssertNotEqual(r.status, 0)
        XCTAssert(r.stderr.contains("fused"), r.stderr)
    }
}
