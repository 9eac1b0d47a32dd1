import Foundation
import TestSupport
import XCTest

/// The Python snippets of docs/interop.md, run exactly as written, against `sculpt export` and
/// `sculpt analyze`: NumPy always, PyTorch when it is installed.
final class InteropTests: XCTestCase {
    /// The ```python blocks of docs/interop.md, in order.
    func snippets() throws -> [String] {
        let doc = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("docs/interop.md")
        let text = try String(contentsOf: doc, encoding: .utf8)
        return text.components(separatedBy: "```python\n").dropFirst().map { $0.components(separatedBy: "```")[0] }
    }

    func python(_ code: String, env: [String: String]) throws -> (status: Int32, out: String, err: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", code]
        p.environment = ProcessInfo.processInfo.environment.merging(env) { _, b in b }
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }

    func testBothSnippetsRoundTrip() throws {
        let code = try snippets()
        XCTAssertEqual(code.count, 2)
        let cwd = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(atPath: cwd) }
        let numpy = try python("import numpy", env: [:])
        guard numpy.status == 0 else { try skipOrFail("python3 with numpy is needed (apt-get install python3-numpy)") }

        // Out: a run, exported, loaded by NumPy (and PyTorch) — both give the same output bits.
        let run = try CLI.run(
            ["run", "--task", "xor-pairs", "--arch", "4,24,4", "--lr", "0.05", "--batch-size", "8", "--epochs", "15", "--seeds", "0", "--out", "xor"], cwd: cwd)
        XCTAssertEqual(run.status, 0, run.stderr)
        let export = try CLI.run(["export", "xor"], cwd: cwd)
        XCTAssertEqual(export.status, 0, export.stderr)
        let model = try XCTUnwrap(export.stdout.split(separator: "\n").first.map(String.init))
        let out = try python(code[0], env: ["MODEL": cwd + "/" + model])
        XCTAssertEqual(out.status, 0, out.err)
        let lines = out.out.split(separator: "\n").map(String.init)
        let bits = try XCTUnwrap(lines.first { $0.hasPrefix("numpy: ") }).dropFirst(7)
        // xor-pairs on 0110: y0 = x0⊕x1 = 1, y1 = ¬y0, y2 = x2⊕x3 = 1, y3 = ¬y2 (the run reached 100 %).
        XCTAssertEqual(bits, "[[1, 0, 1, 0]]")
        if let torch = lines.first(where: { $0.hasPrefix("torch: ") }) { XCTAssertEqual(torch.dropFirst(7), bits) }
        // The exported file analyses like the run's own masks file.
        let a = try CLI.run(["analyze", model, "--json"], cwd: cwd), b = try CLI.run(["analyze", "xor/models/s0-u70-e2.5/masks.json", "--json"], cwd: cwd)
        XCTAssertEqual(try edges(a.stdout), try edges(b.stdout), a.stderr + b.stderr)

        // In: NumPy writes a pruned MLP; sculpt counts the same edges.
        let net = cwd + "/net.safetensors"
        let made = try python(code[1], env: ["OUT": net])
        XCTAssertEqual(made.status, 0, made.err)
        let expected = try XCTUnwrap(Int(made.out.split(separator: " ").first ?? ""))
        let analyzed = try CLI.run(["analyze", net, "--json"], cwd: cwd)
        XCTAssertEqual(analyzed.status, 0, analyzed.stderr)
        XCTAssertEqual(try edges(analyzed.stdout), expected)
    }

    func edges(_ json: String) throws -> Int {
        let o = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        return try XCTUnwrap(o?["edges"] as? Int)
    }

    /// `--format npz` is what numpy.load reads, with the safetensors file's values; and an archive
    /// numpy.savez writes (ZIP64 entries, float64 arrays) analyses to the edges it holds.
    func testNPZBothWays() throws {
        let cwd = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(atPath: cwd) }
        guard try python("import numpy", env: [:]).status == 0 else { try skipOrFail("python3 with numpy is needed (apt-get install python3-numpy)") }
        let run = try CLI.run(
            ["run", "--task", "xor-pairs", "--arch", "4,24,4", "--lr", "0.05", "--batch-size", "8", "--epochs", "15", "--seeds", "0", "--out", "xor"], cwd: cwd)
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(try CLI.run(["export", "xor"], cwd: cwd).status, 0)
        XCTAssertEqual(try CLI.run(["export", "xor", "--format", "npz"], cwd: cwd).status, 0)
        let check = """
            import json, struct, sys, numpy as np
            d = sys.argv[1] + "/xor/models/s0-u70-e2.5/"
            z = np.load(d + "model.npz")
            with open(d + "model.safetensors", "rb") as f:
                n = struct.unpack("<Q", f.read(8))[0]; h = json.loads(f.read(n)); data = f.read()
            for k, v in h.items():
                if k == "__metadata__": continue
                a = np.frombuffer(data[v["data_offsets"][0]:v["data_offsets"][1]], "<f4").reshape(v["shape"])
                assert np.array_equal(a, z[k]), k
            rng = np.random.default_rng(1)
            w1 = rng.normal(size=(6, 3)) * (rng.random((6, 3)) < 0.5); w2 = rng.normal(size=(2, 6)) * (rng.random((2, 6)) < 0.5)
            np.savez(sys.argv[1] + "/mine.npz", **{"0.weight": w1, "0.bias": np.zeros(6), "2.weight": w2})
            print(sorted(z.files), int((w1 != 0).sum() + (w2 != 0).sum()))
            """
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", check, cwd]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0, text)
        XCTAssert(text.hasPrefix("['0.bias', '0.weight', '2.bias', '2.weight']"), text)
        let expected = try XCTUnwrap(Int(text.split(separator: " ").last?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""))
        let analyzed = try CLI.run(["analyze", "mine.npz", "--json"], cwd: cwd)
        XCTAssertEqual(analyzed.status, 0, analyzed.stderr)
        XCTAssertEqual(try edges(analyzed.stdout), expected)
    }
}

/// `sculpt run --from`: pruning continues from an exported network; what does not fit is one error line.
final class RunFromTests: XCTestCase {
    func testRunFromAnExportedNetwork() throws {
        let cwd = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(atPath: cwd) }
        let common = ["--task", "xor-pairs", "--lr", "0.05", "--batch-size", "8", "--epochs", "15"]
        let first = try CLI.run(["run"] + common + ["--arch", "4,24,4", "--seeds", "0", "--edge-step", "5", "--out", "a", "--no-report"], cwd: cwd)
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertEqual(try CLI.run(["export", "a"], cwd: cwd).status, 0)
        let file = "a/models/s0-u70-e5/model.safetensors"
        let next = try CLI.run(
            ["run"] + common + ["--arch", "4,24,4", "--seeds", "1", "--unit-step", "0", "--edge-step", "1", "--from", file, "--out", "b", "--no-report"], cwd: cwd)
        XCTAssertEqual(next.status, 0, next.stderr)
        XCTAssert(next.stdout.contains("no unit pruning (P_u 0)"), next.stdout)
        let run = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: cwd + "/b/run.json"))) as? [String: Any]
        let config = try XCTUnwrap(run?["config"] as? [String: Any])
        XCTAssertEqual(config["start_file"] as? String, file)
        let before = try XCTUnwrap(((run?["models"] as? [[String: Any]])?.first)?["edges"] as? Int)
        let start = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: cwd + "/a/run.json"))) as? [String: Any]
        let startEdges = try XCTUnwrap(((start?["models"] as? [[String: Any]])?.first)?["edges"] as? Int)
        XCTAssertLessThanOrEqual(before, startEdges, "pruning from the start only removes edges")

        let wrong = try CLI.run(["run"] + common + ["--arch", "4,12,4", "--unit-step", "0", "--from", file, "--out", "c"], cwd: cwd)
        XCTAssertNotEqual(wrong.status, 0)
        XCTAssert(wrong.stderr.contains("[4,24,4]") && wrong.stderr.contains("[4,12,4]"), wrong.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: cwd + "/c/run.json"))
        let missing = try CLI.run(["run"] + common + ["--arch", "4,24,4", "--from", "none.pth", "--out", "d"], cwd: cwd)
        XCTAssertNotEqual(missing.status, 0)
        XCTAssert(missing.stderr.contains("none.pth") && missing.stderr.contains("cannot be read"), missing.stderr)
    }
}

/// `sculpt import` turns a PyTorch file into a masks file that analyze reads like any other.
final class ImportCommandTests: XCTestCase {
    func testImportWritesAMasksFile() throws {
        let cwd = try CLI.tempDir()
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("AnalysisTests/torch-fixtures/sequential.pth").path
        let r = try CLI.run(["import", fixture, "--out", "m.json", "--task", "custom"], cwd: cwd)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssert(r.stdout.contains("arch 3,4,2, 14 edges"), r.stdout)
        let text = try String(contentsOfFile: cwd + "/m.json", encoding: .utf8)
        XCTAssert(text.contains("\"format\":\"sculpt-masks/1\"") && text.contains("\"task\":\"custom\""), text)
        let analyzed = try CLI.run(["analyze", "m.json"], cwd: cwd)
        XCTAssertEqual(analyzed.status, 0, analyzed.stderr)
        XCTAssert(analyzed.stdout.contains("14 edges"), analyzed.stdout)
        try "not a network".write(toFile: cwd + "/x.pth", atomically: true, encoding: .utf8)
        let bad = try CLI.run(["import", "x.pth", "--out", "n.json"], cwd: cwd)
        XCTAssertNotEqual(bad.status, 0)
        XCTAssertEqual(bad.stderr.split(separator: "\n").count, 1, bad.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: cwd + "/n.json"), "nothing written for a file that cannot be read")
    }
}
