// docs/method.md §10 check 1: the 39 truth tables of the paper's Boolean experiments, and its spot checks.
import SculptCore
import Tasks
import XCTest

final class PaperTablesTests: XCTestCase {
    /// 4 exemplars + reuse U∈{2,4,8,12,16} + overlap 5×5 + hierarchy U∈{2,4,8,12,16} = 4 + 5 + 25 + 5 = 39;
    /// the exemplar "reused" [4,1,2,16] is reuse U = 16 (docs/method.md §1.2), so 38 names are distinct.
    func testThePaperUses39Tables() {
        let entries = TaskCatalog.paperTasks
        XCTAssertEqual(entries.count, 39)
        let byExperiment = Dictionary(grouping: entries, by: \.experiment).mapValues { $0.map(\.name) }
        XCTAssertEqual(Set(byExperiment["exemplar"] ?? []), ["xor-pairs", "non-modular", "and-or", "reuse-16"])
        XCTAssertEqual(byExperiment["reuse"], [2, 4, 8, 12, 16].map { "reuse-\($0)" })
        XCTAssertEqual(byExperiment["hierarchy"], [2, 4, 8, 12, 16].map { "hierarchy-\($0)" })
        XCTAssertEqual(Set(byExperiment["overlap"] ?? []).count, 25)
        XCTAssertEqual(Set(entries.map(\.name)).count, 38)
    }

    /// Every table equals the docs/method.md §1.2 formula in every row and output, and its data set matches it.
    func testEveryPaperTableMatchesTheDefinitions() throws {
        var checked = 0
        for (_, name) in TaskCatalog.paperTasks {
            let task = try TaskCatalog.load(name)
            let ref = Reference.task(name)
            XCTAssertEqual(task.name, name)
            XCTAssertEqual(task.inputCount, ref.n, name)
            XCTAssertEqual(task.outputCount, ref.m, name)
            XCTAssertEqual(task.rowCount, 1 << ref.n, name)
            XCTAssertEqual(task.inputNames, (0..<ref.n).map { "x\($0)" }, name)
            XCTAssertEqual(task.outputNames, (0..<ref.m).map { "y\($0)" }, name)
            var mismatches = 0
            for r in 0..<task.rowCount {
                let expected = (0..<ref.m).map { ref.value(r, $0) }
                if task.outputs(row: r) != expected { mismatches += 1 }
            }
            XCTAssertEqual(mismatches, 0, "\(name): \(mismatches) rows differ from docs/method.md §1.2")
            let d = task.dataset()
            XCTAssertEqual(d.count, task.rowCount)
            XCTAssertEqual(d.inputWidth, ref.n)
            XCTAssertEqual(d.outputWidth, ref.m)
            for r in [0, 1, task.rowCount / 2 + 1, task.rowCount - 1] {
                XCTAssertEqual(
                    Array(d.inputs[(r * ref.n)..<((r + 1) * ref.n)]),
                    (0..<ref.n).map { Reference.bit(r, $0, of: ref.n) ? 1 : 0 }, "\(name) row \(r) inputs")
                XCTAssertEqual(
                    Array(d.targets[(r * ref.m)..<((r + 1) * ref.m)]),
                    task.outputs(row: r).map { $0 ? 1 : 0 }, "\(name) row \(r) targets")
            }
            checked += 1
        }
        XCTAssertEqual(checked, 39)
    }

    /// Labels as the paper writes them reach the same tables.
    func testPaperLabelsNameTheBuiltins() throws {
        let pairs = [
            "[4,2,4]": "xor-pairs", "[4,1,4]": "non-modular", "[6,3,3,3]": "and-or",
            "[4,1,2,16]": "reuse-16", "[8,2,1,2,12]": "hierarchy-12", "[8,2,4]": "overlap-0-4",
            "[7,3,2,8]": "overlap-1-8", "[6,3,2,2]": "overlap-2-2", "[5,3,2,12]": "overlap-3-12",
            "[4,1,2,2,16]": "overlap-4-16",
        ]
        for (label, name) in pairs {
            XCTAssertEqual(try TaskCatalog.load(label).name, name)
            XCTAssertEqual(try TaskCatalog.label(ofBuiltin: name), label)
        }
    }

    // MARK: - Spot checks of docs/method.md §10 check 1

    func testSpotCheckXorPairs() throws {
        let t = try TaskCatalog.load("[4,2,4]")
        XCTAssertEqual(t.outputString(row: 0b0000), "0101")
        XCTAssertEqual(t.outputString(row: 0b0110), "1010")
    }

    func testSpotCheckAndOr() throws {
        XCTAssertEqual(try TaskCatalog.load("[6,3,3,3]").outputString(row: 0b110000), "110")
    }

    func testSpotCheckReuse2() throws {
        XCTAssertEqual(try TaskCatalog.load("[4,1,2,2]").outputString(row: 0b1010), "11")
    }

    func testSpotCheckHierarchy2() throws {
        let counts = patternCounts(try TaskCatalog.load("[8,2,1,2,2]"))
        XCTAssertNil(counts["11"], "hierarchy never outputs 11")
        XCTAssertEqual(counts["10"], 39)
        XCTAssertEqual(counts["01"], 39)
    }

    func testSpotCheckOverlap0() throws {
        XCTAssertEqual(patternCounts(try TaskCatalog.load("[8,2,2]")), ["00": 169, "01": 39, "10": 39, "11": 9])
    }

    private func patternCounts(_ t: BooleanTask) -> [String: Int] {
        (0..<t.rowCount).reduce(into: [:]) { $0[t.outputString(row: $1), default: 0] += 1 }
    }
}
