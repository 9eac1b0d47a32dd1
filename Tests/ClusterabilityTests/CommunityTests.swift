// Modularity by hand, igraph's Leiden/Louvain on graphs with a known optimum, NMI, depth warning.
import Clusterability
import Foundation
import SculptCore
import XCTest

/// Two disjoint K4 cliques {0…3} and {4…7}, unit weights.
func twoDisjointCliques() -> WeightGraph {
    var edges: [WeightGraph.Edge] = []
    for base in [0, 4] {
        for i in 0..<4 { for j in (i + 1)..<4 { edges.append(.init(base + i, base + j)) } }
    }
    return WeightGraph(vertexCount: 8, edges: edges)
}

final class CommunityTests: XCTestCase {
    /// Two disjoint K4: W = 12 edges, 2W = 24; each clique has w_in = 6 and strength S = 12, so
    /// Q = Σ_c [w_in/W − (S/2W)²] = 2 · (6/12 − (12/24)²) = 2 · (1/2 − 1/4) = 1/2, the maximum (any other
    /// partition cuts clique edges or splits a clique's strength). Leiden and Louvain must find it.
    func testDisjointCliquesOptimum() throws {
        let g = twoDisjointCliques()
        XCTAssertEqual(Community.modularity(g, labels: [0, 0, 0, 0, 1, 1, 1, 1]), 0.5, accuracy: 1e-15)
        for algorithm in CommunityAlgorithm.allCases {
            var rng = PhiloxStream(seed: 2, purpose: .clustering)
            let r = try Community.detect(g, algorithm: algorithm, restarts: 3, using: &rng)
            XCTAssertEqual(r.labels, [0, 0, 0, 0, 1, 1, 1, 1], "\(algorithm)")
            XCTAssertEqual(r.modularity, 0.5, accuracy: 1e-12, "\(algorithm)")
            XCTAssertEqual(try Community.igraphModularity(g, labels: r.labels), 0.5, accuracy: 1e-12)
        }
        // One community: Q = 1 − 1 = 0. Singletons: Q = 0 − 8·(3/24)² = −1/8.
        XCTAssertEqual(Community.modularity(g, labels: [Int](repeating: 0, count: 8)), 0, accuracy: 1e-15)
        XCTAssertEqual(Community.modularity(g, labels: Array(0..<8)), -0.125, accuracy: 1e-15)
    }

    /// Directed form on 0→1 (w 1) and 2→3 (w 3), communities {0,1}, {2,3}: W = 4;
    /// Q_d = Σ_c [w_in/W − S_out S_in / W²] = (1/4 − 1/16) + (3/4 − 9/16) = 3/16 + 3/16 = 3/8.
    /// Undirected: S = 2 and 6, 2W = 8: (1/4 − 1/16) + (3/4 − 9/16) = 3/8 as well; with γ = 2: 1 − 2·10/16 = −1/4.
    func testDirectedModularityByHand() throws {
        let g = WeightGraph(vertexCount: 4, edges: [.init(0, 1, 1), .init(2, 3, 3)])
        let labels = [0, 0, 1, 1]
        XCTAssertEqual(Community.directedModularity(g, labels: labels), 3.0 / 8, accuracy: 1e-15)
        XCTAssertEqual(Community.modularity(g, labels: labels), 3.0 / 8, accuracy: 1e-15)
        XCTAssertEqual(Community.modularity(g, labels: labels, resolution: 2), -0.25, accuracy: 1e-15)
        // {0,2}, {1,3}: no edge inside; Q_d = −(S_out S_in)/W² per community = −(4·0)/16 − (0·4)/16 = 0.
        XCTAssertEqual(Community.directedModularity(g, labels: [0, 1, 0, 1]), 0, accuracy: 1e-15)
    }

    /// Our Q and Q_d agree with igraph_modularity on a random layered graph and a random partition.
    func testModularityMatchesIgraph() throws {
        let masks = Synthetic.prunedMLP(arch: [12, 10, 8], density: 0.3, seed: 5)
        let g = LayeredWeights(masks: masks).removingIsolated().weights.graph()
        var rng = PhiloxStream(seed: 1, purpose: .clustering)
        let labels = (0..<g.vertexCount).map { _ in rng.nextIndex(below: 3) }
        for γ in [1.0, 0.5] {
            XCTAssertEqual(
                Community.modularity(g, labels: labels, resolution: γ),
                try Community.igraphModularity(g, labels: labels, resolution: γ), accuracy: 1e-12)
            XCTAssertEqual(
                Community.directedModularity(g, labels: labels, resolution: γ),
                try Community.igraphModularity(g, labels: labels, resolution: γ, directed: true), accuracy: 1e-12)
        }
    }

    /// Same seed → same partition; restarts are seeded from the Philox stream, not the clock.
    func testSeededRestartsReproduce() throws {
        let masks = Synthetic.prunedMLP(arch: [30, 30, 30], density: 0.15, seed: 8)
        let g = LayeredWeights(masks: masks).removingIsolated().weights.graph()
        for algorithm in CommunityAlgorithm.allCases {
            var a = PhiloxStream(seed: 4, purpose: .clustering), b = PhiloxStream(seed: 4, purpose: .clustering)
            let ra = try Community.detect(g, algorithm: algorithm, restarts: 4, using: &a)
            let rb = try Community.detect(g, algorithm: algorithm, restarts: 4, using: &b)
            XCTAssertEqual(ra.labels, rb.labels)
            XCTAssertEqual(ra.modularity, Community.modularity(g, labels: ra.labels), accuracy: 1e-15)
            XCTAssertGreaterThan(ra.modularity, 0.2, "a sparse random graph still scores a high Q (docs/method.md §12)")
        }
    }

    /// NMI: identical up to renaming → 1; independent → 0; H = 0 on both → 1.
    func testNMI() {
        XCTAssertEqual(Community.nmi([0, 0, 1, 1], [5, 5, 2, 2]), 1, accuracy: 1e-15)
        XCTAssertEqual(Community.nmi([0, 0, 1, 1], [0, 1, 0, 1]), 0, accuracy: 1e-15)
        XCTAssertEqual(Community.nmi([0, 0, 0], [1, 1, 1]), 1)
        // [0,0,1,1] vs [0,0,0,1]: H_A = ln 2, H_B = −(¾ ln ¾ + ¼ ln ¼), I = H_B − H(B|A) = H_B − ½ ln 2.
        let hb = -(0.75 * log(0.75) + 0.25 * log(0.25))
        XCTAssertEqual(Community.nmi([0, 0, 1, 1], [0, 0, 0, 1]), 2 * (hb - 0.5 * log(2.0)) / (log(2.0) + hb), accuracy: 1e-12)
    }

    /// Leiden on a deep chain of complete bipartite layers ([3]×10, every edge present) can only cut by
    /// depth, so the report warns, and Q stands against its nulls (here `layer` keeps the graph whole:
    /// a full matrix has no zeros to swap in, so every shuffle scores the same Q and p = 1).
    func testDepthWarningOnLayerBands() throws {
        let arch = [Int](repeating: 3, count: 10)
        let masks = Synthetic.prunedMLP(arch: arch, density: 1, seed: 0)
        var o = ClusterOptions()
        o.communityRestarts = 2
        let r = try Clusterability.communities(masks: masks, algorithm: .leiden, shuffles: 5, nulls: [.layer], seed: 0, options: o)
        XCTAssertGreaterThan(r.clusterCount, 1)
        XCTAssertGreaterThanOrEqual(r.layerNMI, 0.5)
        XCTAssertTrue(r.warnings.contains { $0.contains("depth") }, "\(r.warnings)")
        // Every community is one contiguous band of layers.
        for row in r.sizesPerLayer {
            let used = row.indices.filter { row[$0] > 0 }
            XCTAssertEqual(used.count, used.last! - used.first! + 1, "\(r.sizesPerLayer)")
        }
        XCTAssertEqual(r.statisticName, "Q")
        XCTAssertFalse(r.lowerIsMoreModular)
        XCTAssertEqual(r.nulls[0].values.count, 5)
        for v in r.nulls[0].values { XCTAssertEqual(v, r.statistic, accuracy: 0.05) }
    }

    /// Planted modules: Leiden's Q beats both nulls' means and its partition is the planted one.
    func testLeidenOnPlantedModules() throws {
        let (masks, truth) = Synthetic.plantedModules(arch: [12, 12, 12, 12], modules: 3, pIn: 0.8, pOut: 0.02, seed: 6)
        var o = ClusterOptions()
        o.communityRestarts = 3
        let r = try Clusterability.communities(masks: masks, algorithm: .leiden, shuffles: 10, seed: 2, options: o)
        XCTAssertEqual(Community.nmi(r.labels.flatMap { $0 }, truth.flatMap { $0 }), 1, accuracy: 1e-12)
        XCTAssertEqual(r.nulls.map(\.model), [.layer, .layerNonzero])
        XCTAssertGreaterThan(r.statistic, r.nulls[0].mean)
        XCTAssertEqual(r.nulls[0].p, 1.0 / 11)
    }
}

/// Leiden "until stable" once never returned on Debian's libigraph 0.10 when a pass could not improve
/// the partition (a 12-vertex network at resolution 50 hung `sculpt cluster`); Sculpt now runs one
/// pass at a time until a pass changes nothing.
final class LeidenTerminationTests: XCTestCase {
    /// The network on which `sculpt cluster --method leiden --resolution 50 --shuffles 0` never returned.
    func testLeidenReturnsAtEveryResolution() throws {
        let json = #"""
            {"format":"sculpt-masks/1","arch":[4,4,4],"layers":[
            {"edges":[[0,0],[1,0],[1,1],[2,2],[3,3],[2,3]],"weights":[0.5,0.7,0.2,0.9,0.4,0.3]},
            {"edges":[[0,0],[1,1],[2,2],[3,3],[0,1]],"weights":[0.6,0.8,0.1,0.5,0.2]}]}
            """#
        let masks = try MaskFile(jsonData: Data(json.utf8))
        for resolution in [0.5, 1, 5, 50, 500] {
            var o = ClusterOptions()
            o.resolution = resolution
            let r = try Clusterability.communities(masks: masks, algorithm: .leiden, shuffles: 0, seed: 0, options: o)
            XCTAssert(r.clusterCount >= 1 && r.modularity.isFinite, "resolution \(resolution): \(r.clusterCount) clusters, Q \(r.modularity)")
            // Without shuffles there is nothing to compare against, and the report says so (no nan).
            let text = r.text(title: "g12")
            XCTAssert(text.contains("not compared (0 shuffles)") && !text.contains("nan"), text)
        }
        // A resolution so large that Q overflows (1e308 printed std inf) is refused.
        var o = ClusterOptions()
        o.resolution = 1e308
        XCTAssertThrowsError(try Clusterability.communities(masks: masks, algorithm: .louvain, shuffles: 2, seed: 0, options: o)) {
            XCTAssert("\($0)".contains("at most 1e6"), "\($0)")
        }
    }
}
