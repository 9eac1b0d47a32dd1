// Each null model keeps what docs/method.md §12 says and nothing more; docs/method.md §12 statistics; seeding.
import Clusterability
import SculptCore
import XCTest

final class NullModelTests: XCTestCase {
    /// A small pruned network with distinct weights per layer, so values cannot hop between layers unseen.
    func network() -> LayeredWeights {
        let masks = Synthetic.prunedMLP(arch: [10, 8, 6, 4], density: 0.4, seed: 11)
        return LayeredWeights(masks: masks).removingIsolated().weights
    }

    func positions(_ es: [LayeredWeights.Entry]) -> [[Int]] { es.map { [$0.source, $0.target] } }

    /// docs/method.md §12: |w| per edge; no weights → 1; zero weights dropped; isolated units removed and renumbered.
    func testWeightGraphFromMasks() {
        let masks = MaskFile(arch: [3, 2], edges: [[.init(0, 1), .init(2, 0), .init(1, 1)]], weights: [[-0.5, 2, 0]])
        let lw = LayeredWeights(masks: masks)
        XCTAssertEqual(lw.layers[0], [.init(0, 1, 0.5), .init(2, 0, 2)], "|w|, and the zero weight carries no edge")
        let (core, kept) = lw.removingIsolated()
        XCTAssertEqual(kept, [[0, 2], [0, 1]], "input 1 only had the zero-weight edge")
        XCTAssertEqual(core.layers[0], [.init(0, 1, 0.5), .init(1, 0, 2)])
        let binary = LayeredWeights(masks: MaskFile(arch: [3, 2], edges: [[.init(0, 1), .init(2, 0)]]))
        XCTAssertEqual(binary.layers[0].map(\.weight), [1, 1])
        let g = core.graph()
        XCTAssertEqual(g.vertexCount, 4)
        XCTAssertEqual(g.layer, [0, 0, 1, 1])
        XCTAssertEqual(g.degrees, [0.5, 2, 2, 0.5])
    }

    /// `layer` keeps each layer's multiset of values and its edge count (so its sparsity), inside that
    /// layer's matrix, and moves edges to other positions.
    func testLayerNullKeepsMultisetAndSparsityOnly() {
        let w = network()
        var topologyChanged = false
        for i in 0..<20 as Range<UInt64> {
            var rng = PhiloxStream(seed: 5, purpose: .clustering, stream: i)
            let s = w.shuffled(.layer, using: &rng)
            XCTAssertEqual(s.widths, w.widths)
            for l in 0..<w.layers.count {
                XCTAssertEqual(s.layers[l].map(\.weight).sorted(), w.layers[l].map(\.weight).sorted(), "layer \(l) multiset")
                XCTAssertEqual(Set(positions(s.layers[l])).count, w.layers[l].count, "distinct positions")
                if positions(s.layers[l]) != positions(w.layers[l]) { topologyChanged = true }
            }
        }
        XCTAssertTrue(topologyChanged, "the layer null must scatter the surviving edges")
    }

    /// `layer` permutes zeros too: one edge in a 2×2 matrix lands on each of the 4 positions with
    /// probability 1/4; in 800 draws each count is 200 ± 60 (about 4.9σ, σ = √(800·¼·¾) ≈ 12.2).
    func testLayerNullUsesEveryPosition() {
        let w = LayeredWeights(widths: [2, 2], layers: [[.init(0, 0, 1.5)]])
        var counts = [Int](repeating: 0, count: 4)
        for i in 0..<800 as Range<UInt64> {
            var rng = PhiloxStream(seed: 1, purpose: .clustering, stream: i)
            let e = w.shuffled(.layer, using: &rng).layers[0]
            XCTAssertEqual(e.count, 1)
            XCTAssertEqual(e[0].weight, 1.5)
            counts[e[0].target * 2 + e[0].source] += 1
        }
        for c in counts { XCTAssertEqual(Double(c), 200, accuracy: 60, "\(counts)") }
    }

    /// `layer-nonzero` keeps the topology exactly and each layer's multiset; only magnitudes move.
    func testLayerNonzeroNullKeepsTopologyExactly() {
        let w = network()
        var magnitudesMoved = false
        for i in 0..<10 as Range<UInt64> {
            var rng = PhiloxStream(seed: 5, purpose: .clustering, stream: i)
            let s = w.shuffled(.layerNonzero, using: &rng)
            for l in 0..<w.layers.count {
                XCTAssertEqual(positions(s.layers[l]), positions(w.layers[l]), "layer \(l) topology")
                XCTAssertEqual(s.layers[l].map(\.weight).sorted(), w.layers[l].map(\.weight).sorted())
                if s.layers[l].map(\.weight) != w.layers[l].map(\.weight) { magnitudesMoved = true }
            }
            XCTAssertEqual(s.graph().degrees.map { $0 > 0 }, w.graph().degrees.map { $0 > 0 })
        }
        XCTAssertTrue(magnitudesMoved)
    }

    // MARK: - docs/method.md §12

    /// Every shuffle scores higher (worse n-cut): p at its minimum 1/(n+1). Ties do not count as better.
    func testPValueEdgeCases() {
        XCTAssertEqual(NullDistribution.pValue(observed: 1, null: [2, 3, 4, 5], lowerIsMoreModular: true), 1.0 / 5)
        XCTAssertEqual(NullDistribution.pValue(observed: 1, null: [1, 1, 1], lowerIsMoreModular: true), 1.0 / 4, "ties")
        XCTAssertEqual(NullDistribution.pValue(observed: 9, null: [1, 2, 3], lowerIsMoreModular: true), 1, "all lower")
        XCTAssertEqual(NullDistribution.pValue(observed: 2, null: [1, 2, 3], lowerIsMoreModular: true), 2.0 / 4)
        // Q: higher is more modular, so r counts shuffles strictly above.
        XCTAssertEqual(NullDistribution.pValue(observed: 0.5, null: [0.1, 0.2], lowerIsMoreModular: false), 1.0 / 3)
        XCTAssertEqual(NullDistribution.pValue(observed: 0.5, null: [0.5, 0.6], lowerIsMoreModular: false), 2.0 / 3)
        XCTAssertEqual(NullDistribution.pValue(observed: 0.5, null: [], lowerIsMoreModular: true), 1)
    }

    /// z with the population std: null [1,2,3] → mean 2, std √(2/3); observed 0 → z = −2/√(2/3) = −√6.
    func testZScore() {
        let d = NullDistribution(model: .layer, values: [1, 2, 3], observed: 0, lowerIsMoreModular: true)
        XCTAssertEqual(d.mean, 2)
        XCTAssertEqual(d.std, (2.0 / 3).squareRoot(), accuracy: 1e-15)
        XCTAssertEqual(d.z, -(6.0).squareRoot(), accuracy: 1e-12)
        XCTAssertEqual(d.p, 0.25)
        XCTAssertEqual(NullDistribution(model: .layer, values: [2, 2], observed: 2, lowerIsMoreModular: true).z, 0)
        XCTAssertEqual(NullDistribution(model: .layer, values: [2, 2], observed: 1, lowerIsMoreModular: true).z, -.infinity)
    }

    // MARK: - Seeding

    /// Same seed → the same null distribution for 1, 2 and 3 worker threads; another seed → another one.
    func testSameSeedSameNullsAnyThreadCount() throws {
        let (masks, _) = Synthetic.plantedModules(arch: [8, 8, 8], modules: 2, pIn: 0.6, pOut: 0.1, seed: 3)
        func run(threads: Int, seed: UInt64) throws -> ClusterReport {
            var o = ClusterOptions()
            o.threads = threads
            o.kMeansRestarts = 5
            return try Clusterability.spectral(masks: masks, k: 2, shuffles: 12, seed: seed, options: o)
        }
        let a = try run(threads: 1, seed: 9), b = try run(threads: 2, seed: 9), c = try run(threads: 3, seed: 9)
        XCTAssertEqual(a.nulls.map(\.values), b.nulls.map(\.values))
        XCTAssertEqual(a.nulls.map(\.values), c.nulls.map(\.values))
        XCTAssertEqual(a.labels, c.labels)
        XCTAssertFalse(a.nulls[0].values.contains { $0.isNaN })
        let other = try run(threads: 2, seed: 10)
        XCTAssertNotEqual(a.nulls[0].values, other.nulls[0].values)
        // A model's distribution does not depend on which other models are asked for.
        var o = ClusterOptions()
        o.kMeansRestarts = 5
        let alone = try Clusterability.spectral(masks: masks, k: 2, shuffles: 12, nulls: [.layerNonzero], seed: 9, options: o)
        XCTAssertEqual(alone.nulls[0].values, a.nulls[1].values)
    }

    /// A planted-module network beats the `layer` null by far: every shuffle has a higher n-cut.
    func testPlantedModulesAreSignificant() throws {
        let (masks, _) = Synthetic.plantedModules(arch: [12, 12, 12], modules: 2, pIn: 0.7, pOut: 0.05, seed: 4)
        var o = ClusterOptions()
        o.kMeansRestarts = 5
        let r = try Clusterability.spectral(masks: masks, k: 2, shuffles: 19, nulls: [.layer], seed: 0, options: o)
        XCTAssertEqual(r.nulls[0].p, 1.0 / 20, "p at its minimum 1/(n+1)")
        XCTAssertLessThan(r.nulls[0].z, -3)
        XCTAssertLessThan(r.statistic, r.nulls[0].mean)
    }
}
