// Each family's function graph is what the last column of docs/method.md §1.2 says.
import Foundation
import Tasks
import XCTest

final class FunctionGraphTests: XCTestCase {
    private func graph(_ name: String) throws -> FunctionGraph { try TaskCatalog.load(name).graph }
    private func id(_ g: FunctionGraph, _ name: String) -> Int { g.subFunctions.firstIndex { $0.name == name }! }

    /// "two input-separable sub-functions, each on its own 2 inputs, each used by 2 outputs"
    func testXorPairs() throws {
        let g = try graph("xor-pairs")
        XCTAssertEqual(g.subFunctions.map(\.inputs), [[0, 1], [2, 3]])
        XCTAssertEqual(g.subFunctions.map(\.level), [1, 1])
        XCTAssertEqual(
            g.outputs,
            [
                .init(function: 0, negated: false), .init(function: 0, negated: true),
                .init(function: 1, negated: false), .init(function: 1, negated: true),
            ])
        XCTAssertEqual(g.inputGroups, [[0, 1], [2, 3]])
        XCTAssertEqual(g.outputGroups, [[0, 1], [2, 3]])
        XCTAssertEqual(g.intermediates, [])
    }

    /// "one sub-function of all 4 inputs (no modularity)"
    func testNonModular() throws {
        let g = try graph("non-modular")
        XCTAssertEqual(g.subFunctions.count, 1)
        XCTAssertEqual(g.subFunctions[0].inputs, [0, 1, 2, 3])
        XCTAssertEqual(g.copies(of: 0), [0, 1, 2, 3])
        XCTAssertEqual(g.inputGroups, [[0, 1, 2, 3]])
        XCTAssertEqual(g.outputGroups, [[0, 1, 2, 3]])
    }

    /// "3 input-separable level-1 sub-functions; each is reused by two of the 3 level-2 (output) sub-functions"
    func testAndOr() throws {
        let g = try graph("and-or")
        let level1 = g.subFunctions.indices.filter { g.subFunctions[$0].level == 1 }
        let level2 = g.subFunctions.indices.filter { g.subFunctions[$0].level == 2 }
        XCTAssertEqual(level1.map { g.subFunctions[$0].inputs }, [[0, 1], [2, 3], [4, 5]])
        XCTAssertEqual(level2.count, 3)
        for f in level1 { XCTAssertEqual(g.consumers(of: f).count, 2, g.subFunctions[f].name) }
        // y0 ← {A,B}, y1 ← {A,C}, y2 ← {B,C} (docs/method.md §10 check 8)
        let (a, b, c) = (id(g, "A"), id(g, "B"), id(g, "C"))
        XCTAssertEqual(g.outputs.map { g.subFunctions[$0.function].sources }, [[a, b], [a, c], [b, c]])
        XCTAssertEqual(Set(g.outputFunctions), Set(level2))
        XCTAssertEqual(g.inputGroups, [[0, 1], [2, 3], [4, 5]])
        XCTAssertEqual(g.outputGroups, [[0], [1], [2]])
    }

    /// "one non-separable module on all 4 inputs, feeding 2 level-2 sub-functions; each is used U/2 times"
    func testReuse() throws {
        for u in [2, 4, 8, 12, 16] {
            let g = try graph("reuse-\(u)")
            let f = id(g, "f")
            XCTAssertEqual(g.subFunctions[f].inputs, [0, 1, 2, 3])
            XCTAssertEqual(g.subFunctions[f].level, 1)
            let outs = g.outputFunctions
            XCTAssertEqual(outs.count, 2)
            for o in outs {
                XCTAssertEqual(g.subFunctions[o].level, 2)
                XCTAssertEqual(g.subFunctions[o].sources, [f])
                XCTAssertEqual(g.copies(of: o).count, u / 2)
            }
            XCTAssertEqual(g.outputGroups, [Array(stride(from: 0, to: u, by: 2)), Array(stride(from: 1, to: u, by: 2))])
            XCTAssertEqual(g.inputGroups, [[0, 1, 2, 3]])
            XCTAssertEqual(g.intermediates, [])
        }
    }

    /// "two sub-functions whose input windows share o inputs; each is used U/2 times"; the judge's input
    /// grouping is {only F1}, {shared}, {only F2} (2 groups at O = 0, 1 group at O = 4).
    func testOverlap() throws {
        for o in 0...4 {
            for u in [2, 4, 8, 12, 16] {
                let g = try graph("overlap-\(o)-\(u)")
                XCTAssertEqual(g.subFunctions.count, 2)
                let (w1, w2) = (Set(g.subFunctions[0].inputs), Set(g.subFunctions[1].inputs))
                XCTAssertEqual(w1, [0, 1, 2, 3])
                XCTAssertEqual(w2, Set(4 - o...7 - o))
                XCTAssertEqual(w1.intersection(w2).count, o)
                XCTAssertEqual(g.copies(of: 0), Array(stride(from: 0, to: u, by: 2)))
                XCTAssertEqual(g.copies(of: 1), Array(stride(from: 1, to: u, by: 2)))
                let n = 8 - o
                let expectedGroups = [Array(0..<(4 - o)), Array((4 - o)..<4), Array(4..<n)].filter { !$0.isEmpty }
                XCTAssertEqual(g.inputGroups, expectedGroups, "overlap-\(o)-\(u)")
            }
        }
    }

    /// "level 1: 2 input-separable sub-functions (F1, F2); level 2: 1 intermediate sub-function combining them;
    /// level 3: 2 output sub-functions, each used U/2 times"
    func testHierarchy() throws {
        for u in [2, 4, 8, 12, 16] {
            let g = try graph("hierarchy-\(u)")
            XCTAssertEqual(g.levelCount, 3)
            let byLevel = { (l: Int) in g.subFunctions.indices.filter { g.subFunctions[$0].level == l } }
            XCTAssertEqual(byLevel(1).map { g.subFunctions[$0].inputs }, [[0, 1, 2, 3], [4, 5, 6, 7]])
            XCTAssertEqual(g.intermediates.count, 1)
            let mid = g.intermediates[0]
            XCTAssertEqual(byLevel(2), [mid])
            XCTAssertEqual(g.subFunctions[mid].sources, byLevel(1))
            XCTAssertEqual(Set(g.outputFunctions), Set(byLevel(3)))
            XCTAssertEqual(byLevel(3).count, 2)
            for o in byLevel(3) {
                XCTAssertTrue(g.subFunctions[o].sources.contains(mid))
                XCTAssertEqual(g.copies(of: o).count, u / 2)
            }
            XCTAssertEqual(g.inputGroups, [[0, 1, 2, 3], [4, 5, 6, 7]])
            XCTAssertEqual(g.outputsDepending(on: mid), Array(0..<u))
        }
    }

    /// A sub-function's window (syntactic) equals the inputs its column actually depends on, for every
    /// sub-function of every paper task: flipping any window input changes it on some row, flipping
    /// any other input never does.
    func testWindowsAreTheTrueSupport() throws {
        for (_, name) in TaskCatalog.paperTasks {
            let task = try TaskCatalog.load(name)
            let g = task.graph
            for (k, b) in g.outputs.enumerated() {
                let window = Set(g.subFunctions[b.function].inputs)
                for i in 0..<task.inputCount {
                    let flip = 1 << (task.inputCount - 1 - i)
                    let matters = (0..<task.rowCount).contains { task.outputs(row: $0)[k] != task.outputs(row: $0 ^ flip)[k] }
                    XCTAssertEqual(matters, window.contains(i), "\(name) y\(k) x\(i)")
                }
            }
        }
    }

    /// The JSON document has the documented shape and agrees with the table.
    func testJSONLayout() throws {
        let task = try TaskCatalog.load("hierarchy-4")
        let data = try JSONSerialization.data(withJSONObject: task.jsonObject())
        let doc = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        XCTAssertEqual(doc["name"] as? String, "hierarchy-4")
        XCTAssertEqual(doc["inputs"] as? Int, 8)
        XCTAssertEqual(doc["outputs"] as? Int, 4)
        let rows = try XCTUnwrap(doc["rows"] as? [String])
        XCTAssertEqual(rows.count, 256)
        XCTAssertEqual(rows[0b0011_0000], "1010")  // a = 1, b = F2(0000) = 0 → even outputs 1
        XCTAssertEqual(rows[0b0000_0101], "0101")  // a = 0, b = 1 → odd outputs 1
        XCTAssertEqual(rows[0b0011_0101], "0000")  // a = b = 1 → mid = 0
        let graph = try XCTUnwrap(doc["graph"] as? [String: Any])
        let subs = try XCTUnwrap(graph["sub_functions"] as? [[String: Any]])
        XCTAssertEqual(subs.map { $0["name"] as? String }, ["a", "b", "mid", "even", "odd"])
        XCTAssertEqual(subs.map { $0["level"] as? Int }, [1, 1, 2, 3, 3])
        XCTAssertEqual(graph["intermediates"] as? [Int], [2])
        XCTAssertEqual(graph["input_groups"] as? [[Int]], [[0, 1, 2, 3], [4, 5, 6, 7]])
        XCTAssertEqual((graph["outputs"] as? [[String: Any]])?.map { $0["function"] as? Int }, [3, 4, 3, 4])
    }

    func testDescriptionIsReadable() throws {
        let text = try graph("hierarchy-2").description
        XCTAssertTrue(text.contains("L2 mid  = xor(a, b)"), text)
        XCTAssertTrue(text.contains("intermediate"), text)
        XCTAssertTrue(text.contains("input groups: {x0 x1 x2 x3} {x4 x5 x6 x7}"), text)
        XCTAssertTrue(text.contains("y0 = even, y1 = odd"), text)
    }
}
