import Foundation
import TestSupport
import XCTest

/// Every file of a sweep directory as text, wall times and dates removed (the only fields that may
/// differ between runs of the same sweep).
enum SweepFiles {
    static func read(_ dir: String) throws -> [String: String] {
        var out: [String: String] = [:]
        for case let relative as String in FileManager.default.enumerator(atPath: dir)! {
            let path = dir + "/" + relative
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            if relative == ".sculpt-lock" { continue }  // the writer's pid
            var text = try String(contentsOfFile: path, encoding: .utf8)
            text = text.replacingOccurrences(of: #""(job_seconds|seconds|date)" ?: ?"?[0-9.:TZ-]+"?"#, with: "", options: .regularExpression)
            out[relative] = text
        }
        return out
    }
}

/// A sweep run as two shards and merged equals the unsharded run, file for file (timings aside).
final class ShardMergeTests: XCTestCase {
    let manifest = """
        tasks: [xor-pairs]
        architectures:
          - {arch: [4, 8, 4], lr: 0.05, batch_size: 8, epochs: 8}
          - {arch: [4, 12, 4], lr: 0.05, batch_size: 8, epochs: 8}
          - {arch: [4, 10, 4], lr: 0.05, batch_size: 8, epochs: 8}
        seeds: [0, 1]
        unit_steps: [70]
        edge_steps: [2.5]
        accuracy_threshold: 100
        """

    func testShardsMergeToTheUnshardedSweep() throws {
        let cwd = try CLI.tempDir()
        try manifest.write(toFile: cwd + "/tiny.yaml", atomically: true, encoding: .utf8)
        for (args, out) in [([String](), "full"), (["--shard", "1/2"], "p1"), (["--shard", "2/2"], "p2")] {
            let r = try CLI.run(["sweep", "tiny.yaml", "--out", out] + args, cwd: cwd)
            XCTAssertEqual(r.status, 0, r.stderr)
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: cwd + "/p1/jobs/xor-pairs").sorted(), ["4-10-4", "4-8-4"])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: cwd + "/p2/jobs/xor-pairs").sorted(), ["4-12-4"])

        let missing = try CLI.run(["merge", "p1", "--out", "lacking"], cwd: cwd)
        XCTAssertNotEqual(missing.status, 0)
        XCTAssert(missing.stderr.contains("lack 1 job(s) of tiny: xor-pairs/4-12-4"), missing.stderr)
        XCTAssertEqual(missing.stderr.split(separator: "\n").count, 1, missing.stderr)

        let merged = try CLI.run(["merge", "p1", "p2", "--out", "merged"], cwd: cwd)
        XCTAssertEqual(merged.status, 0, merged.stderr)
        let a = try SweepFiles.read(cwd + "/full"), b = try SweepFiles.read(cwd + "/merged")
        XCTAssertEqual(a.keys.sorted(), b.keys.sorted())
        for (name, text) in a { XCTAssertEqual(b[name], text, name) }

        // Shards of another manifest are refused.
        try manifest.replacingOccurrences(of: "epochs: 8}", with: "epochs: 9}").write(toFile: cwd + "/other.yaml", atomically: true, encoding: .utf8)
        XCTAssertEqual(try CLI.run(["sweep", "other.yaml", "--out", "o2", "--shard", "2/2"], cwd: cwd).status, 0)
        let mixed = try CLI.run(["merge", "p1", "o2", "--out", "mixed"], cwd: cwd)
        XCTAssertNotEqual(mixed.status, 0)
        XCTAssert(mixed.stderr.contains("is another sweep"), mixed.stderr)
    }

    func testBadShardIsOneLine() throws {
        let r = try CLI.run(["sweep", "exemplar", "--out", "x", "--shard", "3/2"], cwd: try CLI.tempDir())
        XCTAssertNotEqual(r.status, 0)
        XCTAssert(r.stderr.contains("'3/2' is not a shard"), r.stderr)
    }
}
