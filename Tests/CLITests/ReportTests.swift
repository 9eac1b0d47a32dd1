import Foundation
#if canImport(FoundationXML)
    import FoundationXML
#endif
import XCTest

/// `report.html` of a run: written by `sculpt run` (not with --no-report) and `sculpt report`,
/// well-formed markup with every section, and opened by headless Chromium without errors.
final class ReportTests: XCTestCase {
    let run = [
        "run", "--task", "xor-pairs", "--arch", "4,12,4", "--lr", "0.05", "--batch-size", "8", "--epochs", "8",
        "--seeds", "0,1", "--unit-step", "50", "--edge-step", "20",
    ]

    func testRunWritesAWellFormedReport() throws {
        let cwd = try CLI.tempDir()
        let r = try CLI.run(run + ["--out", "out"], cwd: cwd)
        XCTAssertEqual(r.status, 0, r.stderr)
        let path = cwd + "/out/report.html"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        // Well-formed: every element closed, attributes quoted, entities escaped (XML parser).
        let parser = XMLParser(data: Data(text.replacingOccurrences(of: "<!DOCTYPE html>", with: "").utf8))
        XCTAssert(parser.parse(), "report.html is not well-formed: \(parser.parserError.map { "\($0)" } ?? "?") at line \(parser.lineNumber)")
        for fragment in [
            "<h1>sculpt run: xor-pairs", "id=\"s0-u50-e20\"", "id=\"s1-u50-e20\"", "Pruning rounds", "Pruned network and modules", "Module graph",
            "hidden units pruned (%)", "weights left (%, log scale)", "threshold 100 %",
        ] {
            XCTAssert(text.contains(fragment), "report.html lacks \(fragment)")
        }
        XCTAssertFalse(text.contains("http://") && text.contains("<link"), "nothing is fetched")

        // sculpt report rewrites it; --no-report leaves it out; a directory that is no run is refused.
        try FileManager.default.removeItem(atPath: path)
        let again = try CLI.run(["report", "out"], cwd: cwd)
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), text)
        XCTAssertEqual(try CLI.run(run + ["--out", "quiet", "--no-report"], cwd: cwd).status, 0)
        XCTAssertFalse(FileManager.default.fileExists(atPath: cwd + "/quiet/report.html"))
        let bad = try CLI.run(["report", "."], cwd: cwd)
        XCTAssertNotEqual(bad.status, 0)
        XCTAssert(bad.stderr.contains("holds no run.json, sweep.json or clusterability results"), bad.stderr)

        try openInChromium(path, cwd: cwd)
    }

    func testSweepKeepsAReport() throws {
        let cwd = try CLI.tempDir()
        try """
        tasks: [xor-pairs]
        architectures:
          - {arch: [4, 8, 4], lr: 0.05, batch_size: 8, epochs: 6}
          - {arch: [4, 8, 8, 4], lr: 0.05, batch_size: 8, epochs: 6}
        seeds: [0, 1]
        unit_steps: [70]
        edge_steps: [2.5]
        accuracy_threshold: 75
        """.write(toFile: cwd + "/m.yaml", atomically: true, encoding: .utf8)
        let r = try CLI.run(["sweep", "m.yaml", "--out", "s"], cwd: cwd)
        XCTAssertEqual(r.status, 0, r.stderr)
        let text = try String(contentsOfFile: cwd + "/s/report.html", encoding: .utf8)
        let parser = XMLParser(data: Data(text.replacingOccurrences(of: "<!DOCTYPE html>", with: "").utf8))
        XCTAssert(parser.parse(), "sweep report.html is not well-formed: \(parser.parserError.map { "\($0)" } ?? "?") at line \(parser.lineNumber)")
        for fragment in [
            "<h1>sculpt sweep: m</h1>", "Success rates", "1 hidden", "2 hidden", "Selected (P_u, P_e)", "xor-pairs/4-8-8-4", "jobs/xor-pairs/4-8-4/s0/modules.svg",
            "· paper 1.00",
        ] {
            XCTAssert(text.contains(fragment), "sweep report.html lacks \(fragment)")
        }
        let again = try CLI.run(["report", "s"], cwd: cwd)
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertEqual(try String(contentsOfFile: cwd + "/s/report.html", encoding: .utf8), text)
        try openInChromium(cwd + "/s/report.html", cwd: cwd, sections: ["Success rates", "Selected (P_u, P_e)"])
    }

    /// Headless Chromium loads the page (a screenshot and the DOM) without console errors.
    func openInChromium(_ page: String, cwd: String, sections: [String] = ["Pruning rounds"]) throws {
        guard let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            if ProcessInfo.processInfo.environment["REQUIRE_CHROMIUM"] == "1" { XCTFail("REQUIRE_CHROMIUM=1 but no chromium is installed") }
            throw XCTSkip("no chromium: `make test` installs Debian's chromium package for the browser check")
        }
        func browse(_ args: [String]) throws -> (out: String, err: String, status: Int32) {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: chromium)
            p.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(cwd)/chromium", "--enable-logging=stderr", "--v=0"] + args
            let out = Pipe(), err = Pipe()
            p.standardOutput = out
            p.standardError = err
            try p.run()
            let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
            p.waitUntilExit()
            return (String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self), p.terminationStatus)
        }
        let shot = cwd + "/report.png"
        let s = try browse(["--screenshot=\(shot)", "--window-size=1200,2400", "file://\(page)"])
        let png = try Data(contentsOf: URL(fileURLWithPath: shot))
        XCTAssert(png.count > 10_000 && png.prefix(4) == Data([0x89, 0x50, 0x4E, 0x47]), "a screenshot was taken (\(png.count) bytes): \(s.err.suffix(500))")
        XCTAssertFalse(s.err.contains("CONSOLE") && s.err.lowercased().contains("error"), "console errors: \(s.err.suffix(800))")
        let dom = try browse(["--dump-dom", "file://\(page)"])
        XCTAssert(sections.allSatisfy(dom.out.contains) && dom.out.contains("<svg"), "the loaded page has its sections: \(dom.out.prefix(300))")
    }
}
