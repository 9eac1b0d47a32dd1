// Judges of the two-digit MNIST tasks (docs/vision.md) on hand-built masks.
import XCTest
@testable import Analysis
import SculptCore
import Tasks

final class VisionJudgeTests: XCTestCase {
    private func judge(_ m: MaskFile) -> JudgeReport { ModuleDetection.detect(m).judge! }

    /// A few pixels of each half: (row, column) → input r·56 + c.
    private let leftPixels = [(3, 4), (10, 5), (12, 20), (14, 27), (20, 13)].map { $0.0 * 56 + $0.1 }
    private let rightPixels = [(3, 28), (10, 40), (15, 55), (22, 33)].map { $0.0 * 56 + $0.1 }

    /// docs/method.md §8: the MNIST scripts run detection with τ_m = 0.6 and τ_q = 0.3, the Boolean ones with 0.9 / 0.2.
    func testDetectionDefaultsFollowTheTask() {
        for name in ["mnist-pairs", "mnist-xor", "[1568,2,20]"] {
            let o = DetectionOptions.defaults(forTask: name)
            XCTAssertEqual(o.mergeThreshold, 0.6, name)
            XCTAssertEqual(o.weakModularity, 0.3, name)
        }
        for name in ["xor-pairs", "mnist", "fashion", "some/file.task"] {
            XCTAssertEqual(DetectionOptions.defaults(forTask: name), DetectionOptions(), name)
        }
        XCTAssertEqual(DetectionOptions.defaults(forTask: nil), DetectionOptions(mergeThreshold: 0.9, weakModularity: 0.2))
        let given = DetectionOptions.forTask("mnist-pairs", featureSteps: 2, mergeThreshold: 0.75)
        XCTAssertEqual(given, DetectionOptions(featureSteps: 2, mergeThreshold: 0.75, weakModularity: 0.3))
    }

    func testTaskNames() {
        XCTAssertEqual(TaskFamily(name: "mnist-pairs"), .mnistPairs)
        XCTAssertEqual(TaskFamily(name: "mnist-xor"), .mnistXor)
        XCTAssertEqual(TaskFamily(name: "mnist-pairs")?.inputs, 1568)
        XCTAssertEqual(TaskFamily(name: "mnist-pairs")?.outputs, 20)
        XCTAssertEqual(TaskFamily(name: "mnist-xor")?.outputs, 3)
        XCTAssertNil(TaskFamily(name: "mnist"))
        let wrong = judge(Fixture.masks([1568, 8, 3], task: "mnist-pairs", [Fixture.full([0, 28], [1]), Fixture.full([1], [0, 1, 2])]))
        XCTAssertNotNil(wrong.mismatch)
        XCTAssertFalse(wrong.success)
    }

    /// `[1568,16,16,20]`: left pixels → h2, h3 → g1, g4 → outputs 0–9; right pixels → h7, h9 → g10, g12 → 10–19.
    private func pairsGood() -> MaskFile {
        Fixture.masks(
            [1568, 16, 16, 20], task: "mnist-pairs",
            [
                Fixture.full(leftPixels, [2, 3]) + Fixture.full(rightPixels, [7, 9]),
                Fixture.full([2, 3], [1, 4]) + Fixture.full([7, 9], [10, 12]),
                Fixture.full([1, 4], Array(0..<10)) + Fixture.full([10, 12], Array(10..<20)),
            ])
    }

    func testPairsCorrect() {
        let r = ModuleDetection.detect(pairsGood())
        let j = r.judge!
        XCTAssertEqual(j.criteria.map(\.name), ["input_separability", "output_separation", "digit_modules", "half_reach"])
        XCTAssertTrue(j.success, "\(j.criteria) modules \(r.modules)")
        XCTAssertEqual(j.criterion("digit_modules")?.passed, true, "\(j.criteria)")
        let reach = j.criterion("half_reach")!
        XCTAssertTrue(reach.passed)
        XCTAssertEqual(
            reach.detail,
            "hidden layer 1: 2 left-only, 2 right-only, 0 both; hidden layer 2: 2 left-only, 2 right-only, 0 both; "
                + "0 of 20 outputs reached from the other digit's half")
    }

    /// `half_reach` counts mixing per layer without looking at the modules: the first layer pure,
    /// the second with one unit (g4) fed by both digits, which then reaches outputs 0–9.
    func testHalfReachCountsMixedUnits() {
        var m = pairsGood()
        m.edges[1].append(MaskFile.Edge(7, 4))
        let reach = judge(m).criterion("half_reach")!
        XCTAssertFalse(reach.passed)
        XCTAssertEqual(
            reach.detail,
            "hidden layer 1: 2 left-only, 2 right-only, 0 both; hidden layer 2: 1 left-only, 2 right-only, 1 both; "
                + "10 of 20 outputs reached from the other digit's half")
    }

    func testPairsIncorrect() {
        // One hidden unit reads pixels of both halves: the halves share an input module.
        let mixed = judge(
            Fixture.masks(
                [1568, 16, 16, 20], task: "mnist-pairs",
                [
                    Fixture.full(leftPixels + rightPixels, [2, 3]),
                    Fixture.full([2, 3], [1, 4, 10, 12]),
                    Fixture.full([1, 4], Array(0..<10)) + Fixture.full([10, 12], Array(10..<20)),
                ]))
        XCTAssertEqual(mixed.criterion("input_separability")?.passed, false, "\(mixed.criteria)")
        XCTAssertFalse(mixed.success)
        // A unit of the right digit also feeds output 3: outputs 0–9 and 10–19 share a module.
        var m2 = pairsGood()
        m2.edges[2] += [MaskFile.Edge(10, 3), MaskFile.Edge(12, 3), MaskFile.Edge(1, 15), MaskFile.Edge(4, 15)]
        let shared = judge(m2)
        XCTAssertEqual(shared.criterion("output_separation")?.passed, false, "\(shared.criteria)")
        XCTAssertFalse(shared.success)
        // No right pixel kept at all: not separable.
        let oneSided = judge(
            Fixture.masks(
                [1568, 16, 16, 20], task: "mnist-pairs",
                [
                    Fixture.full(leftPixels, [2, 3, 7, 9]),
                    Fixture.full([2, 3], [1, 4]) + Fixture.full([7, 9], [10, 12]),
                    Fixture.full([1, 4], Array(0..<10)) + Fixture.full([10, 12], Array(10..<20)),
                ]))
        XCTAssertEqual(oneSided.criterion("input_separability")?.passed, false)
        XCTAssertFalse(oneSided.success)
    }

    /// `[1568,16,16,16,3]`, the intended graph: left pixels → h2, right pixels → h7 (the digits);
    /// h2 → g1, g2, g3 (its bits 2, 1, 0), h7 → g4, g5, g6; k1 = XOR(g1, g4), k2 = XOR(g2, g5),
    /// k3 = XOR(g3, g6) feed y0, y1, y2.
    private func xorGood() -> MaskFile {
        Fixture.masks(
            [1568, 16, 16, 16, 3], task: "mnist-xor",
            [
                Fixture.full(leftPixels, [2]) + Fixture.full(rightPixels, [7]),
                Fixture.full([2], [1, 2, 3]) + Fixture.full([7], [4, 5, 6]),
                [(1, 1), (4, 1), (2, 2), (5, 2), (3, 3), (6, 3)],
                [(1, 0), (2, 1), (3, 2)],
            ])
    }

    func testXorCorrect() {
        let r = ModuleDetection.detect(xorGood())
        let j = r.judge!
        XCTAssertEqual(j.criteria.map(\.name), ["input_separability", "output_sub_functions", "middle_layer_separability"])
        XCTAssertTrue(j.success, "\(j.criteria) modules \(r.modules)")
        XCTAssertEqual(j.criterion("middle_layer_separability")?.passed, true, "\(j.criteria) modules \(r.modules)")
    }

    func testXorIncorrect() {
        // A single unit reads both halves and feeds every output: one module.
        let flat = judge(
            Fixture.masks(
                [1568, 16, 16, 3], task: "mnist-xor",
                [
                    Fixture.full(leftPixels + rightPixels, [5]),
                    [(5, 5)],
                    Fixture.full([5], [0, 1, 2]),
                ]))
        XCTAssertEqual(flat.criterion("input_separability")?.passed, false)
        XCTAssertEqual(flat.criterion("output_sub_functions")?.passed, false)
        XCTAssertEqual(flat.criterion("middle_layer_separability")?.passed, false)
        XCTAssertFalse(flat.success)
        // Separate digit modules, but one shared middle unit feeds all three outputs: the inputs pass,
        // the middle layer does not.
        let shared = ModuleDetection.detect(
            Fixture.masks(
                [1568, 16, 16, 16, 3], task: "mnist-xor",
                [
                    Fixture.full(leftPixels, [2]) + Fixture.full(rightPixels, [7]),
                    Fixture.full([2, 7], [1]),
                    [(1, 1)],
                    Fixture.full([1], [0, 1, 2]),
                ]))
        let j = shared.judge!
        XCTAssertEqual(j.criterion("input_separability")?.passed, true, "\(j.criteria) modules \(shared.modules)")
        XCTAssertEqual(j.criterion("middle_layer_separability")?.passed, false, "\(j.criteria) modules \(shared.modules)")
    }
}
