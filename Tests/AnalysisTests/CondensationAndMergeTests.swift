import XCTest
@testable import Analysis
import SculptCore

final class CondensationTests: XCTestCase {
    /// Inputs without edges and hidden units without incoming or outgoing edges go; outputs stay.
    func testDeadUnitsRemovedOutputsKept() {
        // [3,4,3]: x0→h0→y0 lives. x1→h1 (h1 has no outgoing edge): h1 dies in pass 1, then x1 in
        // pass 2. h2→y1 (h2 has no incoming edge): h2 dies. x2 and h3 have no edges. y2 has no edge
        // but outputs are never removed; y1 loses its only edge and stays too.
        let m = Fixture.masks([3, 4, 3], [[(0, 0), (1, 1)], [(0, 0), (2, 1)]])
        let g = CondensedGraph(m)
        XCTAssertEqual(g.kept, [[0], [0], [0, 1, 2]])
        XCTAssertEqual(g.condensedArch, [1, 1, 3])
        XCTAssertEqual(g.edges, [[MaskFile.Edge(0, 0)], [MaskFile.Edge(0, 0)]])
        let r = ModuleDetection.detect(m)
        XCTAssertEqual(r.moduleOf[0], [0, nil, nil])
        XCTAssertEqual(r.moduleOf[1], [0, nil, nil, nil])
        // Disconnected outputs are modules of their own.
        XCTAssertEqual(r.modules, [[UnitRef(0, 0), UnitRef(1, 0), UnitRef(2, 0)], [UnitRef(2, 1)], [UnitRef(2, 2)]])
    }

    /// A dead end two layers up propagates down one layer per pass.
    func testDeadEndPropagates() {
        // [1,1,1,1,2]: x0→a→b→c, c has no outgoing edge; x0→... nothing else. All hidden die, then x0.
        let m = Fixture.masks([1, 1, 1, 1, 2], [[(0, 0)], [(0, 0)], [(0, 0)], []])
        let g = CondensedGraph(m)
        XCTAssertEqual(g.condensedArch, [0, 0, 0, 0, 2])
        XCTAssertTrue(g.edges.allSatisfy(\.isEmpty))
        let r = ModuleDetection.detect(m)
        XCTAssertEqual(r.modules.count, 2, "each output alone")
        XCTAssertTrue(r.moduleGraph.isEmpty)
    }

    /// Exactly 10 passes (docs/method.md §6.1): a zig-zag that needs more passes is left partly uncondensed.
    func testFixedNumberOfPasses() {
        // One pass per layer along a chain h1→…→h12 (12 hidden layers) with a dead end at the top:
        // the top unit dies in pass 1, the one below in pass 2, …; after 10 passes two remain.
        let hidden = 12
        var layers: [[(Int, Int)]] = [[(0, 0)]]
        for _ in 1..<hidden { layers.append([(0, 0)]) }
        layers.append([])  // the last hidden unit has no outgoing edge
        let m = Fixture.masks([1] + Array(repeating: 1, count: hidden) + [1], layers)
        let g = CondensedGraph(m)
        XCTAssertEqual(g.condensedArch, [1, 1, 1] + Array(repeating: 0, count: 10) + [1])
        XCTAssertEqual(CondensedGraph(m, passes: 20).condensedArch, Array(repeating: 0, count: 13) + [1])
    }
}

final class MergeTests: XCTestCase {
    /// [2,2,1] with both inputs in one cluster (g) and the hidden units in two clusters:
    /// e(g,h0) = 2, e(g,h1) = 1, out(g) = 3. h0: in-fraction 1 but out-fraction 2/3 → no merge.
    func testHiddenLayerNeedsBothFractions() {
        let m = Fixture.masks([2, 2, 1], [[(0, 0), (1, 0), (0, 1)], [(0, 0), (1, 0)]])
        let g = CondensedGraph(m)
        let ids = ModuleMerging.merge(graph: g, labels: [[0, 0], [0, 1], [0]], clusterCounts: [1, 2, 1], threshold: 0.9)
        XCTAssertEqual(ids[0], [0, 0])
        XCTAssertEqual(ids[1], [1, 2], "neither hidden cluster merges: fresh ids in label order")
        // Output y0 receives one edge from module 1 and one from module 2 → fraction 0.5 → new.
        XCTAssertEqual(ids[2], [3])
    }

    /// At the output layer only the in-fraction counts: y0 and y1 each receive all their edges
    /// from g, which sends only 2/3 (resp. 1/3) of its edges to each.
    func testOutputLayerUsesInFractionOnly() {
        let m = Fixture.masks([2, 2], [[(0, 0), (1, 0), (0, 1)]])
        let ids = ModuleMerging.merge(graph: CondensedGraph(m), labels: [[0, 0], [0, 1]], clusterCounts: [1, 2], threshold: 0.9)
        XCTAssertEqual(ids, [[0, 0], [0, 0]])
    }

    /// The fractions must exceed τ_m strictly: 9 of 10 edges is 0.9, not > 0.9.
    func testThresholdIsStrict() {
        // Layer 0: x0..x9 in cluster A (label 0), x10 in cluster B (label 1). Output y0 reads
        // x0..x8 and x10: e(A,y0) = 9, in(y0) = 10 → 0.9 → no merge; y1 reads x0..x9 → merge.
        let a = Array(0...9)
        let m = Fixture.masks([11, 2], [Fixture.full(Array(0...8) + [10], [0]) + Fixture.full(a, [1])])
        let labels0 = Array(repeating: 0, count: 10) + [1]
        let ids = ModuleMerging.merge(graph: CondensedGraph(m), labels: [labels0, [0, 1]], clusterCounts: [2, 2], threshold: 0.9)
        XCTAssertEqual(ids[1], [2, 0])
        let lower = ModuleMerging.merge(graph: CondensedGraph(m), labels: [labels0, [0, 1]], clusterCounts: [2, 2], threshold: 0.85)
        XCTAssertEqual(lower[1], [0, 0])
    }

    /// Modules are inherited upward: a cluster merging into a module that came from lower layers.
    func testModuleSpansSeveralLayers() {
        let r = ModuleDetection.detect(Fixture.check3())
        // h12, h16 inherit the module of x0, x1; y0, y1 inherit it again.
        XCTAssertEqual(r.moduleOf[1][12], r.moduleOf[0][0])
        XCTAssertEqual(r.moduleOf[2][1], r.moduleOf[0][0])
        XCTAssertEqual(r.hierarchy.modules[0].layers, [0, 1, 2])
    }
}
