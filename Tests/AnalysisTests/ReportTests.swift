import Foundation
#if canImport(FoundationXML)
    import FoundationXML
#endif
import TestSupport
import XCTest
@testable import Analysis
@testable import Reports
import SculptCore

final class ReportTests: XCTestCase {
    private var dir: String!

    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "sculpt-analysis-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: dir)
    }

    private func write(_ name: String, _ text: String) -> String {
        let p = dir + "/" + name
        _ = FileManager.default.createFile(atPath: p, contents: Data(text.utf8))
        return p
    }

    // MARK: - JSON

    func testJSONObjectFields() throws {
        let r = ModuleReport.analyze(Fixture.check3())
        let line = ModuleReport.jsonLine(r, file: "a/b.json")
        XCTAssertFalse(line.contains("\n"))
        let o = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        XCTAssertEqual(o["format"] as? String, "sculpt-modules/1")
        XCTAssertEqual(o["file"] as? String, "a/b.json")
        XCTAssertEqual(o["condensed_arch"] as? [Int], [4, 4, 4])
        XCTAssertEqual(
            o["modules"] as? [[[Int]]],
            [
                [[0, 0], [0, 1], [1, 12], [1, 16], [2, 0], [2, 1]],
                [[0, 2], [0, 3], [1, 7], [1, 21], [2, 2], [2, 3]],
            ])
        XCTAssertEqual((o["module_graph"] as? [Any])?.count, 0)
        let layers = try XCTUnwrap(o["layers"] as? [[String: Any]])
        XCTAssertEqual(layers.map { $0["k"] as? Int }, [2, 2, 4])
        XCTAssertEqual(layers[0]["q"] as? [[Double]], [[2, -0.5], [3, -0.375]])
        XCTAssertEqual((layers[0]["separate"] as? [String: Any])?["fires"] as? Bool, false)
        let h = try XCTUnwrap(o["hierarchy"] as? [String: Any])
        XCTAssertEqual(h["input_separable"] as? [Int], [0, 1])
        XCTAssertEqual(h["levels"] as? [[Int]], [[0, 1]])
        let judge = try XCTUnwrap(o["judge"] as? [String: Any])
        XCTAssertEqual(judge["success"] as? Bool, true)
        XCTAssertEqual((judge["criteria"] as? [[String: Any]])?.count, 2)
    }

    func testJSONModuleGraphEdges() throws {
        let line = ModuleReport.jsonLine(ModuleReport.analyze(Fixture.andOr()), file: nil)
        let o = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        XCTAssertEqual(o["module_graph"] as? [[Int]], [[0, 3, 1], [0, 4, 1], [1, 3, 1], [1, 5, 1], [2, 4, 1], [2, 5, 1]])
        XCTAssert(o["file"] is NSNull, "an absent file is written as null")
    }

    // MARK: - Figures

    func testSVGIsWellFormedXML() throws {
        for m in [Fixture.check3(), Fixture.andOr(), Fixture.hierarchy(8), Fixture.reuse(16)] {
            let r = ModuleReport.analyze(m)
            for svg in [ModuleReport.networkSVG(r, meta: ["seed": "0", "note": "a<b & \"c\""]), ModuleReport.moduleGraphSVG(r)] {
                let delegate = SVGCounter()
                let parser = XMLParser(data: Data(svg.utf8))
                parser.delegate = delegate
                XCTAssertTrue(parser.parse(), "XML error: \(String(describing: parser.parserError))")
                XCTAssertEqual(delegate.root, "svg")
                XCTAssertGreaterThan(delegate.counts["rect", default: 0], 1)
            }
            // Network figure: one circle per kept unit, one line per surviving edge, one box per
            // (module, layer) plus the background.
            let svg = ModuleReport.networkSVG(r)
            let counter = SVGCounter()
            let p = XMLParser(data: Data(svg.utf8))
            p.delegate = counter
            XCTAssertTrue(p.parse())
            XCTAssertEqual(counter.counts["circle"], r.condensedArch.reduce(0, +))
            XCTAssertEqual(counter.counts["line"], r.graph.edges.reduce(0) { $0 + $1.count })
            let boxes = r.hierarchy.modules.reduce(0) { $0 + $1.layers.count }
            XCTAssertEqual(counter.counts["rect"], boxes + 1)
        }
        let title = ModuleReport.networkSVG(ModuleReport.analyze(Fixture.check3()))
        XCTAssertTrue(title.contains("xor-pairs"))
        XCTAssertTrue(title.contains("[4,24,4]"))
        XCTAssertTrue(title.contains("Density 8.33 %"))
        // Long decimals in the subtitle are shortened; integers, names and the edge step are kept.
        let meta = ["accuracy": "93.06666666666666", "seed": "12", "edge_step": "0.5", "task": "x.y"]
        let subtitle = ModuleReport.networkSVG(ModuleReport.analyze(Fixture.check3()), meta: meta)
        XCTAssertTrue(subtitle.contains("accuracy = 93.0667"))
        XCTAssertFalse(subtitle.contains("93.06666"))
        XCTAssertTrue(subtitle.contains("seed = 12"))
        XCTAssertTrue(subtitle.contains("edge_step = 0.5"))
        XCTAssertTrue(subtitle.contains("task = x.y"))
    }

    func testSVGRendersWithRsvgConvert() throws {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/usr/local/bin"
        let tool = path.split(separator: ":").map { "\($0)/rsvg-convert" }.first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let tool else {
            try skipOrFail("rsvg-convert not found (install librsvg2-bin)")
        }
        let r = ModuleReport.analyze(Fixture.andOr())
        let paths = try ModuleReport.write(r, masks: Fixture.andOr(), file: "x.json", to: dir, stem: "m")
        XCTAssertEqual(paths.map { ($0 as NSString).lastPathComponent }, ["m.json", "m.svg", "m.dot", "m-dag.svg"])
        for svg in [paths[1], paths[3]] {
            let png = svg + ".png"
            let p = Process()
            p.executableURL = URL(fileURLWithPath: tool)
            p.arguments = [svg, "-o", png]
            let err = Pipe()
            p.standardError = err
            try p.run()
            p.waitUntilExit()
            let msg = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            XCTAssertEqual(p.terminationStatus, 0, "rsvg-convert \(svg): \(msg)")
            let data = try Data(contentsOf: URL(fileURLWithPath: png))
            XCTAssertEqual(Array(data.prefix(4)), [0x89, 0x50, 0x4E, 0x47], "a PNG file")
        }
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: paths[0]))) as? [String: Any]
        XCTAssertEqual(json?["format"] as? String, "sculpt-modules/1")
    }

    func testDOT() {
        let dot = ModuleReport.moduleGraphDOT(ModuleReport.analyze(Fixture.andOr()))
        XCTAssertTrue(dot.hasPrefix("digraph modules {"))
        XCTAssertTrue(dot.hasSuffix("}\n"))
        for edge in ["M0 -> M3", "M1 -> M3", "M0 -> M4", "M2 -> M4", "M1 -> M5", "M2 -> M5"] {
            XCTAssertTrue(dot.contains("  \(edge) [label=\"1\"];"), edge)
        }
        XCTAssertEqual(dot.components(separatedBy: " -> ").count - 1, 6)
        XCTAssertTrue(dot.contains("{ rank=same; M0; M1; M2; }"))
    }

    func testSummaryMentionsModulesAndJudge() {
        let s = ModuleReport.summary(ModuleReport.analyze(Fixture.check3()), file: "f.json")
        XCTAssertTrue(s.hasPrefix("f.json: task xor-pairs, arch [4,24,4], 16 edges"))
        XCTAssertTrue(s.contains("M0 (level 0): x0 x1 | h12 h16 | y0 y1"))
        XCTAssertTrue(s.contains("judge xor-pairs: SUCCESS"))
    }

    // MARK: - Files

    func testMalformedFilesAreReportedAndOthersStillAnalysed() throws {
        let good = write("good.json", String(decoding: try Fixture.check3().jsonData(), as: UTF8.self))
        let layer = #"{"shape":[24,4],"edges":[]},{"shape":[4,24],"edges":[]}"#
        let cases: [(name: String, text: String, field: String?, problem: String)] = [
            ("notjson.json", "{\"format\": ", nil, "not JSON"),
            ("tag.json", #"{"format":"sculpt-masks/9","arch":[4,24,4],"layers":[\#(layer)]}"#, "format", "expected 'sculpt-masks/1'"),
            (
                "shape.json", #"{"format":"sculpt-masks/1","arch":[4,24,4],"layers":[{"shape":[23,4],"edges":[]},{"shape":[4,24],"edges":[]}]}"#, "layers[0].shape",
                "arch needs [24,4]"
            ),
            ("range.json", #"{"format":"sculpt-masks/1","arch":[4,24,4],"layers":[{"edges":[[4,0]]},{"edges":[]}]}"#, "layers[0].edges[0]", "source 4 out of range"),
            ("dup.json", #"{"format":"sculpt-masks/1","arch":[4,24,4],"layers":[{"edges":[]},{"edges":[[1,2],[1,2]]}]}"#, "layers[1].edges[1]", "duplicate edge"),
            ("negative.json", #"{"format":"sculpt-masks/1","arch":[4,-24,4],"layers":[\#(layer)]}"#, "arch[1]", "below 1"),
            ("count.json", #"{"format":"sculpt-masks/1","arch":[4,24,4],"layers":[{"edges":[]}]}"#, "layers", "needs 2"),
            (
                "huge.json", #"{"format":"sculpt-masks/1","arch":[1,1],"layers":[{"edges":[[0,0]],"weights":[1e39]}]}"#, "layers[0].weights[0]",
                "beyond the range of a 32-bit float"
            ),
        ]
        let paths = [good] + cases.map { write($0.name, $0.text) } + [good]
        let out = ModuleReport.analyzeFiles(paths)
        XCTAssertEqual(out.map(\.file), paths)
        guard case .success(let first) = out[0].outcome, case .success(let last) = out.last!.outcome else {
            return XCTFail("the well-formed files must be analysed")
        }
        XCTAssertEqual(first.result.modules.count, 2)
        XCTAssertEqual(first.result, last.result)
        for (i, c) in cases.enumerated() {
            guard case .failure(let e) = out[i + 1].outcome else { XCTFail("\(c.name) must be rejected"); continue }
            XCTAssertEqual(e.file, paths[i + 1])
            XCTAssertEqual(e.field, c.field, c.name)
            XCTAssertTrue(e.problem.contains(c.problem), "\(c.name): \(e.problem)")
            let line = "\(e)"
            XCTAssertFalse(line.contains("\n"))
            XCTAssertTrue(line.hasPrefix(paths[i + 1]), line)
            let json = ModuleReport.errorJSONLine(e, file: paths[i + 1])
            XCTAssertTrue(json.contains("\"error\""))
        }
        // A missing file is an error too, not a crash.
        let missing = ModuleReport.analyzeFiles([dir + "/nope.json"])
        guard case .failure(let e) = missing[0].outcome else { return XCTFail("missing file") }
        XCTAssertTrue(e.description.contains("nope.json"))
    }

    // MARK: - Determinism

    func testShuffledEdgesGiveIdenticalResults() {
        for m in [Fixture.check3(), Fixture.andOr(), Fixture.reuse(8), Fixture.overlap2(), Fixture.hierarchy(12)] {
            let reference = ModuleReport.analyze(m)
            let line = ModuleReport.jsonLine(reference, file: "f")
            for seed in 1...5 as ClosedRange<UInt64> {
                let r = ModuleReport.analyze(Fixture.shuffled(m, seed: seed))
                XCTAssertEqual(r, reference)
                XCTAssertEqual(ModuleReport.jsonLine(r, file: "f"), line)
                XCTAssertEqual(ModuleReport.networkSVG(r), ModuleReport.networkSVG(reference))
            }
        }
    }

    /// A random sparse network: shuffling the edges changes nothing, and the file order of a
    /// multi-file call does not change any file's result.
    func testRandomNetworkDeterminism() throws {
        var rng = SplitMix64(42)
        let arch = [10, 40, 40, 30, 6]
        var layers: [[(Int, Int)]] = []
        for l in 0..<4 {
            var set = Set<[Int]>()
            while set.count < arch[l] * arch[l + 1] / 8 { set.insert([Int.random(in: 0..<arch[l], using: &rng), Int.random(in: 0..<arch[l + 1], using: &rng)]) }
            layers.append(set.sorted { $0.lexicographicallyPrecedes($1) }.map { ($0[0], $0[1]) })
        }
        let m = Fixture.masks(arch, layers)
        let a = ModuleReport.analyze(m)
        XCTAssertEqual(ModuleReport.analyze(Fixture.shuffled(m, seed: 9)), a)
        XCTAssertEqual(a.modules.flatMap { $0 }.count, a.condensedArch.reduce(0, +), "every kept unit in exactly one module")
        let p1 = write("one.json", String(decoding: try m.jsonData(), as: UTF8.self))
        let p2 = write("two.json", String(decoding: try Fixture.andOr().jsonData(), as: UTF8.self))
        let forward = ModuleReport.analyzeFiles([p1, p2]), backward = ModuleReport.analyzeFiles([p2, p1])
        guard case .success(let f0) = forward[0].outcome, case .success(let b1) = backward[1].outcome else { return XCTFail() }
        XCTAssertEqual(f0.result, b1.result)
        XCTAssertEqual(f0.result, a)
    }

    /// The linkage itself: equal distances merge in (lower index, higher index) order.
    func testTieBreakOrder() {
        // Three units at pairwise distance 0.5: (0,1) merges first, then {0,1} with 2.
        let d: [Double] = [0, 0.5, 0.5, 0.5, 0, 0.5, 0.5, 0.5, 0]
        let t = AverageLinkage(distances: d, n: 3)
        XCTAssertEqual(t.merges.map { [$0.a, $0.b] }, [[0, 1], [0, 2]])
        // Four units where (1,3) and (0,2) tie at 0.2: (0,2) comes first in (lower, higher) order.
        var e = [Double](repeating: 0.9, count: 16)
        for i in 0..<4 { e[i * 4 + i] = 0 }
        e[1 * 4 + 3] = 0.2; e[3 * 4 + 1] = 0.2; e[0 * 4 + 2] = 0.2; e[2 * 4 + 0] = 0.2
        let t2 = AverageLinkage(distances: e, n: 4)
        XCTAssertEqual(t2.merges.map { [$0.a, $0.b] }, [[0, 2], [1, 3], [0, 1]])
    }
}

/// Counts elements by name and remembers the root, for the XML checks.
private final class SVGCounter: NSObject, XMLParserDelegate {
    var counts: [String: Int] = [:]
    var root: String?
    func parser(
        _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        if root == nil { root = name }
        counts[name, default: 0] += 1
    }

    /// Figure names never collide: same stems, and a flattened path equal to another file's stem.
    func testFigureStemsAreUnique() {
        XCTAssertEqual(ModuleReport.figureStems(["a/x.json", "b/x.json", "a_x.json"]), ["a_x", "b_x", "a_x-2"])
        XCTAssertEqual(ModuleReport.figureStems(["one.json", "two.json"]), ["one", "two"])
        XCTAssertEqual(ExportNames.unique(["m", "m", "m-2", "m"]), ["m", "m-3", "m-2", "m-4"])
    }
}
