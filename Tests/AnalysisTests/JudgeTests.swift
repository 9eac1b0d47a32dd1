import Tasks
import XCTest
@testable import Analysis
import SculptCore

/// One correct and one incorrect hand-built mask per built-in family (docs/method.md §7.1).
final class JudgeTests: XCTestCase {
    private func judge(_ m: MaskFile) -> JudgeReport { ModuleDetection.detect(m).judge! }

    func testTaskNames() {
        XCTAssertEqual(TaskFamily(name: "xor-pairs"), .xorPairs)
        XCTAssertEqual(TaskFamily(name: "overlap-3-12"), .overlap(shared: 3, outputs: 12))
        XCTAssertEqual(TaskFamily(name: "hierarchy-8")?.inputs, 8)
        XCTAssertEqual(TaskFamily(name: "overlap-3-12")?.inputs, 5)
        XCTAssertNil(TaskFamily(name: "reuse-3"), "U must be even")
        XCTAssertNil(TaskFamily(name: "overlap-5-4"), "O is 0…4")
        XCTAssertNil(TaskFamily(name: "[4,2,4]"))
        XCTAssertNil(ModuleDetection.detect(Fixture.check3(task: "my-task.txt")).judge, "unknown task: no judge")
        XCTAssertNil(ModuleDetection.detect(Fixture.check3(task: nil)).judge)
    }

    func testArchitectureMismatch() {
        let j = judge(Fixture.check3(task: "and-or"))
        XCTAssertFalse(j.success)
        XCTAssertNotNil(j.mismatch)
        XCTAssertTrue(j.criteria.isEmpty)
    }

    func testXorPairs() {
        let good = judge(Fixture.check3())
        XCTAssertTrue(good.success)
        XCTAssertEqual(good.criteria.map(\.name), ["module_count", "input_separation"])
        let bad = judge(Fixture.nonModular(task: "xor-pairs"))
        XCTAssertFalse(bad.success)
        XCTAssertEqual(bad.criterion("module_count")?.passed, false)
        XCTAssertEqual(bad.criterion("input_separation")?.passed, false)
    }

    func testNonModular() {
        XCTAssertTrue(judge(Fixture.nonModular()).success)
        let bad = judge(Fixture.check3(task: "non-modular"))
        XCTAssertFalse(bad.success)
        XCTAssertEqual(bad.criterion("single_module")?.detail, "2 modules, expected 1")
    }

    func testAndOr() {
        let good = judge(Fixture.andOr())
        XCTAssertTrue(good.success, "\(good.criteria)")
        // Incorrect: A reads x0, x1 and x2, so x2 joins the first input module and B only reads x3.
        var m = Fixture.andOr()
        m.edges[0].append(MaskFile.Edge(2, 5))
        m.edges[0].removeAll { $0 == MaskFile.Edge(2, 11) }
        let bad = judge(m)
        XCTAssertFalse(bad.success)
        XCTAssertEqual(bad.criterion("input_separability")?.passed, false)
        // And a single shared unit puts everything in one module: outputs are no longer distinct.
        let single = Fixture.masks(
            [6, 24, 24, 3], task: "and-or",
            [Fixture.full(Array(0..<6), [4]), [(4, 4)], Fixture.full([4], [0, 1, 2])])
        let bad2 = judge(single)
        XCTAssertEqual(bad2.criterion("output_modules")?.passed, false)
        XCTAssertFalse(bad2.success)
    }

    func testReuse() {
        for u in [2, 4, 16] {
            let good = judge(Fixture.reuse(u))
            XCTAssertTrue(good.success, "U=\(u): \(good.criteria)")
        }
        // Incorrect: one hidden layer where three units read everything and feed every output.
        let flat = Fixture.masks(
            [4, 24, 16], task: "reuse-16",
            [Fixture.full([0, 1, 2, 3], [2, 5, 8]), Fixture.full([2, 5, 8], Array(0..<16))])
        let bad = judge(flat)
        XCTAssertFalse(bad.success)
        XCTAssertEqual(bad.criterion("input_module")?.passed, true)
        XCTAssertEqual(bad.criterion("output_separation")?.passed, false)
        XCTAssertEqual(bad.criterion("no_hidden_only_module")?.passed, true)
    }

    func testOverlap() {
        let r = ModuleDetection.detect(Fixture.overlap2())
        let good = r.judge!
        XCTAssertTrue(good.success, "\(good.criteria) modules \(r.modules)")
        XCTAssertEqual(good.criteria.map(\.name), ["input_separability", "output_separation", "hidden_separability"])
        // Incorrect: one shared hidden unit computes both sub-functions.
        let shared = Fixture.masks(
            [6, 24, 24, 4], task: "overlap-2-4",
            [
                Fixture.full(Array(0..<6), [2]),
                [(2, 5), (2, 7)],
                Fixture.full([5], [0, 2]) + Fixture.full([7], [1, 3]),
            ])
        let bad = judge(shared)
        XCTAssertFalse(bad.success)
        XCTAssertEqual(bad.criterion("input_separability")?.passed, false)
        XCTAssertEqual(bad.criterion("hidden_separability")?.passed, false)
    }

    func testHierarchy() {
        let r = ModuleDetection.detect(Fixture.hierarchy(4))
        let good = r.judge!
        XCTAssertTrue(good.success, "\(good.criteria) modules \(r.modules)")
        XCTAssertEqual(good.criteria.map(\.name), ["input", "intermediate", "output", "all_modules_for_depth"])
        XCTAssertEqual(r.hierarchy.levels.count, 3, "inputs → intermediate → outputs")
        // Incorrect: a single top unit feeds every output, so the outputs are not separated; with 3
        // hidden layers the output criterion is part of "all modules for depth".
        var m = Fixture.hierarchy(4)
        m.edges[3] = Fixture.full([4], [0, 1, 2, 3]).map { MaskFile.Edge($0.0, $0.1) }
        let bad = judge(m)
        XCTAssertEqual(bad.criterion("output")?.passed, false)
        XCTAssertFalse(bad.success)
    }

    /// With 2 hidden layers, "all modules for depth" is input ∧ intermediate (output not needed).
    func testHierarchyTwoHiddenLayers() {
        // a = h3(x0..x3), b = h8(x4..x7); c = g1(a, b) feeds every output.
        let m = Fixture.masks(
            [8, 24, 24, 4], task: "hierarchy-4",
            [
                Fixture.full([0, 1, 2, 3], [3]) + Fixture.full([4, 5, 6, 7], [8]),
                [(3, 1), (8, 1)],
                Fixture.full([1], [0, 1, 2, 3]),
            ])
        let j = judge(m)
        XCTAssertEqual(j.criterion("input")?.passed, true)
        XCTAssertEqual(j.criterion("output")?.passed, false)
        XCTAssertEqual(j.criterion("intermediate")?.passed, true, "\(j.criteria)")
        XCTAssertTrue(j.success)
    }
}
