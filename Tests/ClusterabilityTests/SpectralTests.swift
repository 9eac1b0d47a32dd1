// n-cut by hand (docs/method.md §12) and spectral clustering (docs/method.md §12) on graphs whose answer is known.
import Clusterability
import SculptCore
import XCTest

/// Two K4 cliques {0…3} and {4…7}, joined by the single edge 3–4; unit weights.
func twoCliquesJoined() -> WeightGraph {
    var edges: [WeightGraph.Edge] = []
    for base in [0, 4] {
        for i in 0..<4 { for j in (i + 1)..<4 { edges.append(.init(base + i, base + j)) } }
    }
    edges.append(.init(3, 4))
    return WeightGraph(vertexCount: 8, edges: edges)
}

func completeGraph(_ n: Int) -> WeightGraph {
    var edges: [WeightGraph.Edge] = []
    for i in 0..<n { for j in (i + 1)..<n { edges.append(.init(i, j)) } }
    return WeightGraph(vertexCount: n, edges: edges)
}

final class SpectralTests: XCTestCase {
    /// The 1e-8 in the denominators of docs/method.md §12 shifts an n-cut by about 1e-9; hand values are exact otherwise.
    let ncutTolerance = 1e-7

    /// Cliques {0…3}, {4…7}: each has cut 1 (the bridge) and volume 6·2 + 1 = 13 (12 ends of its clique
    /// edges plus one end of the bridge), so n-cut = 1/13 + 1/13 = 2/13.
    func testTwoCliquesByHand() {
        let g = twoCliquesJoined()
        XCTAssertEqual(Spectral.nCut(g, labels: [0, 0, 0, 0, 1, 1, 1, 1]), 2.0 / 13, accuracy: ncutTolerance)
        // Moving vertex 3 across: X = {0,1,2} has cut 3 (edges to 3), vol 9; Y = {3…7} has cut 3, vol 13 + 4 = 17.
        XCTAssertEqual(Spectral.nCut(g, labels: [0, 0, 0, 1, 1, 1, 1, 1]), 3.0 / 9 + 3.0 / 17, accuracy: ncutTolerance)
        // One cluster: no cut at all.
        XCTAssertEqual(Spectral.nCut(g, labels: [Int](repeating: 0, count: 8)), 0, accuracy: ncutTolerance)
    }

    /// K_n, parts of sizes a and n−a: cut = a(n−a) for both; vol = a(n−1) and (n−a)(n−1);
    /// n-cut = (n−a)/(n−1) + a/(n−1) = n/(n−1), whatever a. Singletons: each cut = vol = n−1, n-cut = n.
    func testCompleteGraphByHand() {
        let g = completeGraph(6)
        XCTAssertEqual(Spectral.nCut(g, labels: [0, 1, 1, 1, 1, 1]), 6.0 / 5, accuracy: ncutTolerance)
        XCTAssertEqual(Spectral.nCut(g, labels: [0, 0, 0, 1, 1, 1]), 6.0 / 5, accuracy: ncutTolerance)
        XCTAssertEqual(Spectral.nCut(g, labels: Array(0..<6)), 6, accuracy: ncutTolerance)
    }

    /// Weighted, and −1 vertices take no part: path 0–1 (w 2), 1–2 (w 3), 2–3 (w 5); vertex 3 labelled −1,
    /// so the 2–3 edge counts nowhere. {0,1}: cut 3, vol 2+2+3 = 7; {2}: cut 3, vol 3. n-cut = 3/7 + 1.
    func testWeightedAndUnlabelled() {
        let g = WeightGraph(vertexCount: 4, edges: [.init(0, 1, 2), .init(1, 2, 3), .init(2, 3, 5)])
        XCTAssertEqual(Spectral.nCut(g, labels: [0, 0, 1, -1]), 3.0 / 7 + 1, accuracy: ncutTolerance)
    }

    /// Spectral k = 2 splits the joined cliques at the bridge; the embedding's first eigenvalue is 0.
    func testSpectralSplitsJoinedCliques() throws {
        let g = twoCliquesJoined()
        let (_, ev) = try Spectral.embedding(g, k: 2)
        XCTAssertEqual(ev[0], 0, accuracy: 1e-10, "the trivial eigenvalue of L_sym")
        XCTAssertGreaterThan(ev[1], 0)
        var rng = PhiloxStream(seed: 3, purpose: .clustering)
        let labels = try Spectral.cluster(g, k: 2, using: &rng)
        XCTAssertEqual(labels, [0, 0, 0, 0, 1, 1, 1, 1])
        XCTAssertEqual(Spectral.nCut(g, labels: labels), 2.0 / 13, accuracy: ncutTolerance)
    }

    /// Two disconnected triangles: eigenvalue 0 twice; the random-walk eigenvectors are constant per
    /// component, so k = 2 must give the components.
    func testDisconnectedComponents() throws {
        let g = WeightGraph(vertexCount: 6, edges: [.init(0, 1), .init(1, 2), .init(0, 2), .init(3, 4), .init(4, 5), .init(3, 5)])
        let (_, ev) = try Spectral.embedding(g, k: 2)
        XCTAssertEqual(ev[0], 0, accuracy: 1e-10)
        XCTAssertEqual(ev[1], 0, accuracy: 1e-10)
        var rng = PhiloxStream(seed: 0, purpose: .clustering)
        XCTAssertEqual(try Spectral.cluster(g, k: 2, using: &rng), [0, 0, 0, 1, 1, 1])
    }

    /// A seeded random block graph on [15,15,15,15] with 3 planted modules (p_in 0.9, p_out 0.02):
    /// spectral k = 3 finds the modules exactly (NMI 1).
    func testRecoversPlantedModules() throws {
        for seed in 0..<5 as Range<UInt64> {
            let (masks, truth) = Synthetic.plantedModules(arch: [15, 15, 15, 15], modules: 3, pIn: 0.9, pOut: 0.02, seed: seed)
            let report = try Clusterability.spectral(masks: masks, k: 3, shuffles: 0, nulls: [], seed: seed)
            XCTAssertEqual(report.isolatedVertices, 0)
            let found = report.labels.flatMap { $0 }, planted = truth.flatMap { $0 }
            XCTAssertEqual(Community.nmi(found, planted), 1, accuracy: 1e-12, "seed \(seed): labels \(report.labels)")
            XCTAssertEqual(report.clusterCount, 3)
            // Each module has 5 units in every layer.
            XCTAssertEqual(report.sizesPerLayer, [[5, 5, 5, 5], [5, 5, 5, 5], [5, 5, 5, 5]])
            XCTAssertLessThan(report.layerNMI, 0.1, "modules cut across layers")
            XCTAssertTrue(report.warnings.isEmpty, "\(report.warnings)")
        }
    }

    /// k-means on well-separated points: three blobs, any seed gives the blobs and inertia = sum of
    /// squared offsets from the blob means (±0.1 around each of three centres: 6 points × 0.01 = 0.06).
    func testKMeansBlobs() {
        let centres: [(Double, Double)] = [(0, 0), (10, 0), (0, 10)]
        var points: [Double] = []
        for (x, y) in centres { points += [x + 0.1, y, x - 0.1, y] }
        for seed in 0..<5 as Range<UInt64> {
            var rng = PhiloxStream(seed: seed, purpose: .clustering)
            let r = KMeans.fit(points, n: 6, dim: 2, k: 3, restarts: 3, using: &rng)
            XCTAssertEqual(r.inertia, 0.06, accuracy: 1e-12)
            XCTAssertEqual(r.labels[0], r.labels[1])
            XCTAssertEqual(r.labels[2], r.labels[3])
            XCTAssertEqual(Set(r.labels).count, 3)
        }
    }
}
