import XCTest
@testable import Analysis
import SculptCore

/// docs/method.md §10 checks 2 and 3 and the further examples of docs/method.md §6.7.
final class SpecChecksTests: XCTestCase {
    /// Check 2: features [[1,0],[1,0],[0,1],[0,1]]. Distances are 0 within {0,1} and {2,3} and 1
    /// across, so T = 8 and D̂ = 1/8 across. {0,1|2,3}: e = 0, a = 2·(2/8) = 0.5 per cluster, so
    /// Q = −2·0.25 = −0.5. {0,1|2|3}: −0.25 − 0.0625 − 0.0625 = −0.375.
    func testCheck2ModularityLoss() {
        let d: [Double] = [
            0, 0, 1, 1,
            0, 0, 1, 1,
            1, 1, 0, 0,
            1, 1, 0, 0,
        ]
        let tree = AverageLinkage(distances: d, n: 4)
        XCTAssertEqual(tree.q[2], -0.5)
        XCTAssertEqual(tree.q[3], -0.375)
        // The two zero-distance merges tie; the documented rule merges (0,1) before (2,3).
        XCTAssertEqual(tree.merges[0], AverageLinkage.Merge(a: 0, b: 1, distance: 0))
        XCTAssertEqual(tree.merges[1], AverageLinkage.Merge(a: 2, b: 3, distance: 0))
        XCTAssertEqual(tree.labels(clusters: 3), [0, 0, 1, 2])
        XCTAssertEqual(tree.labels(clusters: 2), [0, 0, 1, 1])
    }

    /// Check 2, second part: the tests on the [4,2,4] layer-0 features of docs/method.md §6.7.
    /// Separate: the best pair is identical, k_i = k_j = k_ij = 4, N = 8, E = 16/8 = 2,
    /// x = 16/64, σ = sqrt(8·0.25·0.75) = sqrt(1.5) = 1.224745; k_ij = max → no verdict.
    /// Single: |U_1| = |U_2| = 4, overlap 0 → no verdict.
    func testCheck2SeparabilityTests() {
        let r = ModuleDetection.detect(Fixture.check3(), options: DetectionOptions(featureSteps: 2, testSteps: 2))
        let d = r.layers[0]
        let sep = try! XCTUnwrap(d.separate), single = try! XCTUnwrap(d.single)
        XCTAssertEqual([sep.ki, sep.kj, sep.kij, sep.candidates], [4, 4, 4, 8])
        XCTAssertEqual(sep.expected, 2)
        XCTAssertEqual(sep.sigma, 1.224745, accuracy: 5e-7)
        XCTAssertFalse(sep.fires)
        XCTAssertEqual([single.ki, single.kj, single.kij, single.candidates], [4, 4, 0, 8])
        XCTAssertEqual(single.expected, 2)
        XCTAssertEqual(single.sigma, 1.224745, accuracy: 5e-7)
        XCTAssertFalse(single.fires)
        XCTAssertNil(d.verdict)
        XCTAssertTrue(d.testsConsulted)
        XCTAssertEqual(d.modularity.map(\.q), [-0.5, -0.375])
        XCTAssertEqual(d.kQ, 2)
        XCTAssertEqual(d.k, 2)
        // Direct use of the test formulas gives the same numbers.
        let direct = SeparabilityTest.separate(ki: 4, kj: 4, kij: 4, candidates: 8)
        XCTAssertEqual(direct, sep)
        XCTAssertNil(SeparabilityTest.verdict(separate: sep, single: single, units: 4))
    }

    /// Check 3: the [4,24,4] mask with 16 edges, s_f = s_c = 2, τ_m = 0.9, τ_q = 0.2.
    func testCheck3WorkedExample() {
        let r = ModuleDetection.detect(Fixture.check3(), options: DetectionOptions(featureSteps: 2, testSteps: 2, mergeThreshold: 0.9, weakModularity: 0.2))
        XCTAssertEqual(r.condensedArch, [4, 4, 4])
        XCTAssertEqual(r.graph.kept[1], [7, 12, 16, 21])
        XCTAssertEqual(r.moduleNames, [["x0", "x1", "h12", "h16", "y0", "y1"], ["x2", "x3", "h7", "h21", "y2", "y3"]])
        XCTAssertEqual(r.modules.count, 2)
        XCTAssertTrue(r.moduleGraph.isEmpty, "a DAG with two nodes and no edges")
        // Layer 1: N = 4, Q(2) = −0.5, no verdict, k = 2 (docs/method.md §6.7).
        XCTAssertEqual(r.layers[1].modularity.first?.q, -0.5)
        XCTAssertEqual(r.layers[1].separate?.candidates, 4)
        XCTAssertNil(r.layers[1].verdict)
        XCTAssertEqual(r.layers[1].k, 2)
        // Canonical numbering: the module with x0 comes first.
        XCTAssertEqual(r.modules[0].first, UnitRef(0, 0))
        XCTAssertEqual(r.hierarchy.inputSeparable, [0, 1])
        XCTAssertEqual(r.hierarchy.reused, [])
        XCTAssertEqual(r.judge?.success, true)
    }

    /// docs/method.md §6.7: [4,1,4] — all features identical, every Q = 0 (weak), the single test fires → 1 module.
    func testNonModularGivesOneModule() {
        let r = ModuleDetection.detect(Fixture.nonModular())
        XCTAssertEqual(r.condensedArch, [4, 2, 4])
        let d0 = r.layers[0]
        XCTAssertEqual(d0.modularity.map(\.q), [0, 0])
        XCTAssertEqual(d0.kQ, 3, "ties go to the larger k")
        XCTAssertEqual(d0.single?.fires, true)
        XCTAssertEqual(d0.verdict, 1)
        XCTAssertEqual(d0.k, 1)
        XCTAssertEqual(r.layers[1].k, 1)
        XCTAssertEqual(r.modules.count, 1)
        XCTAssertEqual(r.modules[0].count, 10)
    }

    /// docs/method.md §6.7: [4,1,2,16] on two hidden layers — layer 0 has k_Q = n−1 = 3 and the single test fires
    /// with k_ij ≥ E (|U_1| = 21 = N, so E = |U_2| = k_ij), giving 1 cluster; the last hidden layer
    /// (2 units) has disjoint features, the separate test fires (k_ij = 0), giving 2 clusters.
    func testReuseExampleVerdicts() {
        let r = ModuleDetection.detect(Fixture.reuse(16))
        XCTAssertEqual(r.condensedArch, [4, 3, 2, 16])
        let d0 = r.layers[0]
        XCTAssertTrue(d0.testsConsulted)
        let single = try! XCTUnwrap(d0.single)
        XCTAssertTrue(single.fires)
        XCTAssertEqual(single.candidates, 21)
        XCTAssertGreaterThanOrEqual(Double(single.kij), single.expected)
        XCTAssertEqual(d0.k, 1)
        let d2 = r.layers[2]
        XCTAssertEqual(d2.separate?.kij, 0)
        XCTAssertEqual(d2.separate?.fires, true)
        XCTAssertEqual(d2.verdict, 2)
        XCTAssertEqual(d2.k, 2)
        XCTAssertEqual(r.modules.count, 3)
    }

    /// docs/method.md §6.6: [6,3,3,3] gives three input modules and three output modules, and the DAG edges
    /// M0→O0, M1→O0, M0→O1, M2→O1, M1→O2, M2→O2 (y0 = A∨B, y1 = A∨C, y2 = B∨C).
    func testAndOrModuleGraph() {
        let r = ModuleDetection.detect(Fixture.andOr())
        XCTAssertEqual(r.condensedArch, [6, 3, 3, 3])
        XCTAssertEqual(r.layers.map(\.k), [3, 3, 3, 3])
        XCTAssertEqual(r.modules.count, 6)
        // Canonical order: input modules 0, 1, 2 (by x0, x2, x4), then outputs y0, y1, y2 as 3, 4, 5.
        XCTAssertEqual(r.modules[0], [UnitRef(0, 0), UnitRef(0, 1), UnitRef(1, 5), UnitRef(2, 2)])
        XCTAssertEqual(r.modules[3], [UnitRef(3, 0)])
        let edges = r.moduleGraph.map { [$0.from, $0.to, $0.count] }
        XCTAssertEqual(edges, [[0, 3, 1], [0, 4, 1], [1, 3, 1], [1, 5, 1], [2, 4, 1], [2, 5, 1]])
        XCTAssertEqual(r.hierarchy.reused, [0, 1, 2])
        XCTAssertEqual(r.hierarchy.inputSeparable, [0, 1, 2])
        XCTAssertEqual(r.hierarchy.levels, [[0, 1, 2], [3, 4, 5]])
        XCTAssertEqual(r.hierarchy.modules[3].predecessors, [0, 1])
        XCTAssertEqual(r.hierarchy.modules[3].inputSupport, [0, 1, 2, 3])
    }

    /// The feature step limit: with s_f = 1 only the next layer counts.
    func testFeatureStepsLimitReach() {
        let g = CondensedGraph(Fixture.andOr())
        let f1 = ReachabilityFeatures(g, steps: 1), f3 = ReachabilityFeatures(g, steps: 3)
        // x0 reaches A (h5) in one step; A's copy and y0, y1 in 2 and 3 steps.
        XCTAssertEqual(f1.features[0][0].cardinality, 1)
        XCTAssertEqual(f3.features[0][0].cardinality, 4)
        XCTAssertEqual(f3.features[2][0].cardinality, 2)
    }
}
