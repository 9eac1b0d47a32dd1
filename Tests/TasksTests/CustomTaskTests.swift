// Custom task files: gates, minterm tables, loading by path, and files that restate built-ins.
import Foundation
import Tasks
import XCTest

final class CustomTaskTests: XCTestCase {
    private func write(_ text: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("sculpt-\(UUID().uuidString).task")
        try text.write(to: url, atomically: true, encoding: .utf8)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url.path
    }

    private func table(_ t: BooleanTask) -> [String] { (0..<t.rowCount).map(t.outputString(row:)) }

    /// Gate semantics on all 8 rows of (a, b, c); n-ary xor is odd parity, xnor even parity.
    func testGates() throws {
        let t = try BooleanTask(
            source: """
                inputs a b c   # three inputs
                outputs y0 = or(a, b, c)  y1 = xor(a, b, c)  y2 = nand(a, b, c)  y3 = nor(a, b, c)
                        y4 = xnor(a, b, c) y5 = not(a)  y6 = 1  y7 = 0  y8 = and(a, b, c)
                """, name: "gates")
        // columns or xor nand nor xnor ¬a 1 0 and, per row abc:
        XCTAssertEqual(
            table(t),
            [
                "001111100",  // 000: nothing set; nand, nor, xnor (0 ones is even), ¬a
                "111001100",  // 001: one 1 → or, xor (odd), nand
                "111001100",  // 010: likewise
                "101011100",  // 011: two 1s → xnor (even), not xor
                "111000100",  // 100: one 1, a = 1 → ¬a = 0
                "101010100",  // 101: two 1s
                "101010100",  // 110: two 1s
                "110000101",
            ])  // 111: three 1s → xor, and; not nand
    }

    /// A hand-written file restating xor-pairs with other gates gives the identical table.
    func testRestatedXorPairs() throws {
        let path = try write(
            """
            # xor-pairs written with and/or/not instead of xor
            inputs x0 x1 x2 x3
            sub p = or(and(x0, not(x1)), and(not(x0), x1))
            sub q = and(nand(x2, x3), or(x2, x3))
            outputs
              y0 = p
              y1 = xnor(x0, x1)
              y2 = q
              y3 = not(q)
            """)
        XCTAssertEqual(table(try TaskCatalog.load(path)), table(try TaskCatalog.load("xor-pairs")))
        XCTAssertEqual(try TaskCatalog.load(path).name, path)
    }

    /// hierarchy-8 stated as in docs/method.md §1.2 (a∧¬b, ¬a∧b; F2 by gates) gives the identical table.
    func testRestatedHierarchyLiteralFromTheSpec() throws {
        let outputs = (0..<8).map { "  y\($0) = \($0 % 2 == 0 ? "e" : "o")" }.joined(separator: "\n")
        let path = try write(
            """
            inputs x0 x1 x2 x3 x4 x5 x6 x7
            fn F1(a, b, c, d) = minterms(1100, 0011, 1010)   # any order
            # F2 true on 0101, 1001, 1111
            fn F2(a, b, c, d) = and(d, or(and(not(a), b, not(c)), and(a, not(b), not(c)), and(a, b, c)))
            sub a = F1(x0, x1, x2, x3)
            sub b = F2(x4, x5, x6, x7)
            sub e = and(a, not(b))
            sub o = and(not(a), b)
            outputs
            \(outputs)
            """)
        XCTAssertEqual(table(try TaskCatalog.load(path)), table(try TaskCatalog.load("hierarchy-8")))
    }

    /// Every built-in's own text, read back from a file, gives the same table and graph.
    func testBuiltinSourcesRoundTripThroughFiles() throws {
        for name in ["xor-pairs", "non-modular", "and-or", "reuse-12", "overlap-3-4", "hierarchy-16"] {
            let builtin = try TaskCatalog.builtin(name)
            let fromFile = try TaskCatalog.load(try write(try TaskCatalog.source(ofBuiltin: name)))
            XCTAssertEqual(table(fromFile), table(builtin), name)
            XCTAssertEqual(fromFile.graph.subFunctions, builtin.graph.subFunctions, name)
            XCTAssertEqual(fromFile.graph.outputs, builtin.graph.outputs, name)
            XCTAssertEqual(builtin.source, try TaskCatalog.source(ofBuiltin: name))
        }
    }

    /// Compound output expressions become implicit sub-functions; identical ones are shared, and a
    /// `not(…)` around one is a negated copy.
    func testImplicitOutputFunctions() throws {
        let t = try BooleanTask(
            source: """
                inputs a b c
                sub h = xor(a, b)
                outputs y0 = and(h, c)  y1 = not(and(h, c))  y2 = and(h, c)  y3 = or(h, c)
                """, name: "implicit")
        let g = t.graph
        XCTAssertEqual(g.subFunctions.map(\.name), ["h", "y0", "y3"])
        XCTAssertEqual(g.subFunctions.map(\.isImplicit), [false, true, true])
        XCTAssertEqual(g.outputs.map(\.function), [1, 1, 1, 2])
        XCTAssertEqual(g.outputs.map(\.negated), [false, true, false, false])
        XCTAssertEqual(g.subFunctions[1].sources, [0])
        XCTAssertEqual(g.subFunctions[1].directInputs, [2])
        XCTAssertEqual(g.subFunctions[1].inputs, [0, 1, 2])
        XCTAssertEqual(g.outputGroups, [[0, 1, 2], [3]])
        XCTAssertEqual(t.outputString(row: 0b101), "1011")  // h = a⊕b = 1, c = 1: and = 1, its not = 0, or = 1
        XCTAssertEqual(t.outputString(row: 0b111), "0101")  // h = 0, c = 1: and = 0, its not = 1, or = 1
    }

    /// Definitions may come in any order; a sub can read a later sub.
    func testForwardReferences() throws {
        let t = try BooleanTask(source: "inputs a b\nsub k = not(h)\nsub h = and(a, b)\noutputs y = k\n", name: "fwd")
        XCTAssertEqual(table(t), ["1", "1", "1", "0"])
        XCTAssertEqual(t.graph.subFunctions.map(\.level), [2, 1])
    }

    func testFamiliesListing() {
        XCTAssertEqual(TaskCatalog.families.map(\.pattern), ["xor-pairs", "non-modular", "and-or", "reuse-U", "overlap-O-U", "hierarchy-U"])
        XCTAssertEqual(TaskCatalog.families.map(\.label).prefix(4), ["[4,2,4]", "[4,1,4]", "[6,3,3,3]", "[4,1,2,U]"])
        XCTAssertTrue(TaskCatalog.families.allSatisfy { !$0.summary.isEmpty && !$0.summary.contains("§") })
    }

    /// A file whose name begins like a family is still read as a file.
    func testFileNamedLikeAFamily() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sculpt-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        let cwd = FileManager.default.currentDirectoryPath
        FileManager.default.changeCurrentDirectoryPath(dir.path)
        defer { FileManager.default.changeCurrentDirectoryPath(cwd) }
        try "inputs a b\noutputs y = and(a, b)\n".write(toFile: "reuse-mine.task", atomically: true, encoding: .utf8)
        XCTAssertEqual(try TaskCatalog.load("reuse-mine.task").outputCount, 1)
    }
}
