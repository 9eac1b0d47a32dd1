import Reports
import XCTest

final class SuccessTableTests: XCTestCase {
    func testCellsCountEachTaskAndDepthPerCriterion() {
        let rows: [SuccessTable.Row] = [
            .init(task: "xor-pairs", hiddenLayers: 1, verdicts: ["success": true, "module_count": true]),
            .init(task: "xor-pairs", hiddenLayers: 1, verdicts: ["success": false, "module_count": false]),
            .init(task: "xor-pairs", hiddenLayers: 2, verdicts: ["success": true, "module_count": true]),
            .init(task: "reuse-16", hiddenLayers: 2, verdicts: ["success": false, "output_separation": true]),
        ]
        let t = SuccessTable(rows: rows)
        XCTAssertEqual(t.tasks, ["xor-pairs", "reuse-16"])
        XCTAssertEqual(t.depths, [1, 2])
        XCTAssertEqual(t.criteria, ["success", "module_count", "output_separation"])
        XCTAssertEqual(t.cell("success", "xor-pairs", 1), SuccessTable.Cell(passed: 1, total: 2))
        XCTAssertEqual(t.cell("success", "xor-pairs", 2), SuccessTable.Cell(passed: 1, total: 1))
        XCTAssertEqual(t.cell("output_separation", "reuse-16", 2), SuccessTable.Cell(passed: 1, total: 1))
        XCTAssertNil(t.cell("module_count", "reuse-16", 2), "a criterion of another family is not counted")
        let md = t.markdown(title: "T")
        XCTAssert(md.contains("| xor-pairs | 0.50 (1/2) | 1.00 (1/1) |"), md)
        XCTAssert(md.contains("| reuse-16 | – | 0.00 (0/1) |"), md)
    }

    /// Wilson intervals against values worked by hand (z = 1.96).
    func testWilsonInterval() {
        let half = SuccessTable.wilsonInterval(passed: 6, total: 12)
        XCTAssertEqual(half.low, 0.2538, accuracy: 1e-4)
        XCTAssertEqual(half.high, 0.7462, accuracy: 1e-4)
        let all = SuccessTable.wilsonInterval(passed: 12, total: 12)
        XCTAssertEqual(all.low, 0.7575, accuracy: 1e-4)
        XCTAssertEqual(all.high, 1)
        let none = SuccessTable.wilsonInterval(passed: 0, total: 4)
        XCTAssertEqual(none.low, 0)
        XCTAssertEqual(none.high, 0.4899, accuracy: 1e-4)
        XCTAssertEqual(SuccessTable.wilsonInterval(passed: 0, total: 0).high, 1, "no runs: no information")
    }

    /// The paper table lists each overall cell the paper has a rate for and marks intervals that
    /// exclude it.
    func testPaperComparison() {
        var rows: [SuccessTable.Row] = []
        for k in 0..<12 { rows.append(.init(task: "reuse-8", hiddenLayers: 2, verdicts: ["success": k < 6])) }
        for k in 0..<12 { rows.append(.init(task: "reuse-8", hiddenLayers: 3, verdicts: ["success": k < 9])) }
        rows.append(.init(task: "mine", hiddenLayers: 2, verdicts: ["success": true]))
        let paper: (String, Int) -> Double? = { task, depth in task == "reuse-8" ? [2: 1.0, 3: 0.83][depth] : nil }
        let md = SuccessTable(rows: rows).markdown(title: "T", paper: paper)
        XCTAssert(md.contains("| reuse-8 | 2 | 6/12 | 0.50 | 0.25–0.75 | 1.00 | **outside** |"), md)
        XCTAssert(md.contains("| reuse-8 | 3 | 9/12 | 0.75 | 0.47–0.91 | 0.83 | inside |"), md)
        XCTAssertFalse(md.contains("| mine | 2 |"), "no paper rate, no line")
        XCTAssertFalse(SuccessTable(rows: rows).markdown(title: "T").contains("against the paper"))
    }
}
