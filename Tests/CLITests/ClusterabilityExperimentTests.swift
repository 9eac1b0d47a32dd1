import Foundation
#if canImport(FoundationXML)
    import FoundationXML
#endif
import Tasks
import XCTest

/// `sculpt clusterability` end to end on generated data, and `--resume` extending a finished run to
/// more seeds.
final class ClusterabilityExperimentTests: XCTestCase {
    func testExperimentRunsAndResumeAddsOnlyTheMissingSeeds() throws {
        let cwd = try CLI.tempDir()
        // 5,000 training images are held out for validation by default; 400 are left to train on.
        _ = try IDXWriter.writeSynthetic(directory: cwd + "/data", trainCount: 5_400, testCount: 100, seed: 2, gzip: false)
        func sweep(_ out: String, seeds: Int, shuffles: Int = 2, resume: Bool = false) throws -> CLI.Result {
            try CLI.run(
                [
                    "clusterability", "--data", "data", "--out", out, "--models", "\(seeds)", "--dense-epochs", "1",
                    "--prune-epochs", "1", "--shuffles", "\(shuffles)",
                ] + (resume ? ["--resume"] : []), cwd: cwd)
        }
        func rows(_ out: String, _ condition: String) throws -> [[String: Any]] {
            let data = try Data(contentsOf: URL(fileURLWithPath: "\(cwd)/\(out)/conditions/\(condition)/result.json"))
            return (try JSONSerialization.jsonObject(with: data) as! [String: Any])["rows"] as! [[String: Any]]
        }
        func nCut(_ r: [String: Any]) -> Double { r["n_cut"] as! Double }

        let first = try sweep("a", seeds: 1)
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssert(first.stdout.contains("| fashion | ") && first.stdout.contains("| fashion+dropout | "), first.stdout)
        let before = try rows("a", "fashion")
        XCTAssertEqual(before.count, 1)

        let extended = try sweep("a", seeds: 2, resume: true)
        XCTAssertEqual(extended.status, 0, extended.stderr)
        for condition in ["fashion", "fashion+dropout"] {
            let r = try rows("a", condition)
            XCTAssertEqual(r.map { ($0["seed"] as! NSNumber).intValue }, [0, 1], condition)
            XCTAssert(FileManager.default.fileExists(atPath: "\(cwd)/a/conditions/\(condition)/s1/masks.json"))
        }
        XCTAssertEqual(nCut(try rows("a", "fashion")[0]), nCut(before[0]), "seed 0 is kept, not retrained")
        XCTAssert(extended.stdout.contains("2 models per condition"), extended.stdout)
        // report.html: a histogram per null and model, the observed n-cut marked; well-formed markup.
        XCTAssertEqual((try rows("a", "fashion")[0]["layer_null"] as? [Double])?.count, 2, "each shuffle's n-cut is kept")
        let report = try String(contentsOfFile: "\(cwd)/a/report.html", encoding: .utf8)
        XCTAssertEqual((try rows("a", "fashion")[0]["composition"] as? [[Int]])?.count, 4, "k = 4 clusters by layer")
        for fragment in [
            "<h2>fashion</h2>", "<h2>fashion+dropout</h2>", "seed 1: n-cut", "n-cut of the layer null", "n-cut of the layer-nonzero null", "observed ",
            "Units of each layer in each of the k = 4 clusters", "<td>C3</td>",
        ] {
            XCTAssert(report.contains(fragment), "report.html lacks \(fragment)")
        }
        let parser = XMLParser(data: Data(report.replacingOccurrences(of: "<!DOCTYPE html>", with: "").utf8))
        XCTAssert(parser.parse(), "report.html is not well-formed: \(parser.parserError.map { "\($0)" } ?? "?")")
        XCTAssertEqual(try CLI.run(["report", "a"], cwd: cwd).status, 0)

        // Seed 1 trained alone on resume equals seed 1 trained beside seed 0 from scratch.
        let fresh = try sweep("b", seeds: 2)
        XCTAssertEqual(fresh.status, 0, fresh.stderr)
        for condition in ["fashion", "fashion+dropout"] {
            XCTAssertEqual(nCut(try rows("b", condition)[1]), nCut(try rows("a", condition)[1]), condition)
        }

        // Other settings than the saved ones: refused in one line, nothing retrained.
        let changed = try sweep("a", seeds: 2, shuffles: 3, resume: true)
        XCTAssertNotEqual(changed.status, 0)
        XCTAssertEqual(changed.stderr.split(separator: "\n").count, 1, changed.stderr)
        XCTAssert(changed.stderr.contains("other settings") && changed.stderr.contains("shuffles 2"), changed.stderr)

        // A malformed saved result: refused in one line naming the file.
        try Data(#"{"format": "sculpt-clusterability-condition/1", "rows": [{"seed": "zero"}]}"#.utf8)
            .write(to: URL(fileURLWithPath: "\(cwd)/a/conditions/fashion/result.json"))
        let broken = try sweep("a", seeds: 2, resume: true)
        XCTAssertNotEqual(broken.status, 0)
        XCTAssertEqual(broken.stderr.split(separator: "\n").count, 1, broken.stderr)
        XCTAssert(broken.stderr.contains("fashion/result.json is not a valid sculpt-clusterability-condition/1 file"), broken.stderr)
        // A result of another version: refused, naming both versions.
        try Data(#"{"format": "sculpt-clusterability-condition/9", "rows": []}"#.utf8)
            .write(to: URL(fileURLWithPath: "\(cwd)/a/conditions/fashion/result.json"))
        let future = try sweep("a", seeds: 2, resume: true)
        XCTAssertNotEqual(future.status, 0)
        XCTAssert(
            future.stderr.contains("has format \"sculpt-clusterability-condition/9\"; this version of sculpt reads \"sculpt-clusterability-condition/1\""), future.stderr)
    }
}
