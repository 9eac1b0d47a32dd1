// `sculpt cluster` end to end: malformed files, JSON output, exports; and library-level input errors.
import Clusterability
import Foundation
import SculptCore
import TestSupport
import XCTest

final class ClusterCommandTests: XCTestCase {
    /// The `sculpt` binary that `swift build --build-tests` puts beside the test bundle.
    func sculpt() throws -> URL {
        var dir = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("sculpt")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        try skipOrFail("no sculpt binary beside the tests; run `swift build --build-tests` (make test does)")
    }

    func run(_ args: [String]) throws -> (status: Int32, out: String, err: String) {
        let p = Process()
        p.executableURL = try sculpt()
        p.arguments = args
        let o = Pipe(), e = Pipe()
        p.standardOutput = o
        p.standardError = e
        try p.run()
        let out = String(decoding: o.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let err = String(decoding: e.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        return (p.terminationStatus, out, err)
    }

    func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("sculpt-cluster-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    /// A malformed file gets one error line naming it; the good file is still analysed; exit status 1.
    func testMalformedFileAmongGoodOnes() throws {
        let dir = try temporaryDirectory()
        let (masks, _) = Synthetic.plantedModules(arch: [6, 6, 6], modules: 2, pIn: 0.8, pOut: 0.05, seed: 1)
        let good = dir.appendingPathComponent("good.json").path
        try masks.jsonData().write(to: URL(fileURLWithPath: good))
        let bad = dir.appendingPathComponent("bad.json").path
        try Data(#"{"format":"sculpt-masks/1","arch":[2,2],"layers":[{"edges":[[0,5]]}]}"#.utf8).write(to: URL(fileURLWithPath: bad))
        let notJSON = dir.appendingPathComponent("garbage.json").path
        try Data("not json".utf8).write(to: URL(fileURLWithPath: notJSON))
        let missing = dir.appendingPathComponent("missing.json").path

        let r = try run(["cluster", bad, good, notJSON, missing, "--k", "2", "--shuffles", "3", "--json", "--graphml", dir.path, "--dot", dir.path])
        XCTAssertEqual(r.status, 1)
        let lines = r.err.split(separator: "\n")
        XCTAssertEqual(lines.count, 3, r.err)
        XCTAssertTrue(lines[0].hasPrefix("sculpt: error: \(bad): field layers[0].edges[0]"), r.err)
        XCTAssertTrue(lines[1].contains(notJSON) && lines[1].contains("not JSON"), r.err)
        XCTAssertTrue(lines[2].contains(missing) && lines[2].contains("cannot be read"), r.err)

        let doc = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any])
        XCTAssertEqual(doc["format"] as? String, "sculpt-cluster/1")
        let results = try XCTUnwrap(doc["results"] as? [[String: Any]])
        XCTAssertEqual(results.count, 1)
        XCTAssertEqual(results[0]["file"] as? String, good)
        XCTAssertEqual(results[0]["statistic"] as? String, "ncut")
        XCTAssertEqual(results[0]["k"] as? Int, 2)
        XCTAssertEqual((results[0]["nulls"] as? [[String: Any]])?.map { $0["model"] as? String }, ["layer", "layer-nonzero"])
        XCTAssertEqual((results[0]["labels"] as? [[Int]])?.map(\.count), [6, 6, 6])
        XCTAssertEqual((doc["errors"] as? [[String: Any]])?.count, 3)

        let stem = URL(fileURLWithPath: good).deletingPathExtension().path
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: ".", with: "_").trimmingCharacters(in: CharacterSet(charactersIn: "_"))
        let graphml = try String(contentsOfFile: dir.appendingPathComponent("\(stem).spectral.graphml").path, encoding: .utf8)
        XCTAssertEqual(graphml.components(separatedBy: "<node ").count - 1, 18)
        XCTAssertEqual(graphml.components(separatedBy: "<edge ").count - 1, masks.edgeCount)
        let dot = try String(contentsOfFile: dir.appendingPathComponent("\(stem).spectral.dot").path, encoding: .utf8)
        XCTAssertTrue(dot.hasPrefix("digraph sculpt {"))
        XCTAssertEqual(dot.components(separatedBy: " -> ").count - 1, masks.edgeCount)
    }

    /// Text output of a community method names Q, both nulls and the per-layer sizes.
    func testTextOutputLeiden() throws {
        let dir = try temporaryDirectory()
        let (masks, _) = Synthetic.plantedModules(arch: [6, 6, 6], modules: 2, pIn: 0.9, pOut: 0.0, seed: 2)
        let file = dir.appendingPathComponent("m.json").path
        try masks.jsonData().write(to: URL(fileURLWithPath: file))
        let r = try run(["cluster", file, "--method", "leiden", "--shuffles", "4", "--seed", "3"])
        XCTAssertEqual(r.status, 0, r.err)
        XCTAssertTrue(r.out.contains("\(file): leiden"), r.out)
        XCTAssertTrue(r.out.contains("  Q "), r.out)
        XCTAssertTrue(r.out.contains("null layer ") && r.out.contains("null layer-nonzero"), r.out)
        XCTAssertTrue(r.out.contains("    0    3 3 3  = 9"), r.out)
        let bad = try run(["cluster", file, "--null", "layers"])
        XCTAssertNotEqual(bad.status, 0)
        XCTAssertTrue(bad.err.contains("'layers' is not a null model"), bad.err)
        // A negative k reaches the range check (it once read as a missing value).
        let negative = try run(["cluster", file, "--k", "-3"])
        XCTAssertNotEqual(negative.status, 0)
        XCTAssertTrue(negative.err.contains("--k must be ≥ 1"), negative.err)
    }

    /// Library errors: nothing left after pruning; fewer connected units than k; bad options.
    func testLibraryInputErrors() {
        let empty = MaskFile(arch: [3, 2], edges: [[]])
        XCTAssertThrowsError(try Clusterability.spectral(masks: empty, shuffles: 0)) {
            XCTAssertEqual($0 as? ClusterabilityError, .noEdges)
        }
        let zeroWeights = MaskFile(arch: [3, 2], edges: [[.init(0, 0)]], weights: [[0]])
        XCTAssertThrowsError(try Clusterability.communities(masks: zeroWeights, shuffles: 0)) {
            XCTAssertEqual($0 as? ClusterabilityError, .noEdges)
        }
        let tiny = MaskFile(arch: [3, 2], edges: [[.init(0, 0)]])
        XCTAssertThrowsError(try Clusterability.spectral(masks: tiny, k: 4, shuffles: 0)) {
            XCTAssertEqual($0 as? ClusterabilityError, .tooFewVertices(vertices: 2, k: 4))
        }
        var o = ClusterOptions()
        o.threads = 0
        XCTAssertThrowsError(try Clusterability.spectral(masks: tiny, k: 1, shuffles: 0, options: o))
        XCTAssertThrowsError(try Clusterability.spectral(masks: tiny, k: 1, shuffles: -1))
    }
}
