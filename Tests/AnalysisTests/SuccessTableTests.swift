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
}
