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
}
