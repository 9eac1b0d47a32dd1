/// What docs/method.md §6.3–§6.4 decided for one layer of the condensed network.
public struct LayerDecision: Equatable, Sendable {
    /// Layer index (0 = inputs, `L` = outputs).
    public let layer: Int
    /// Number of kept units `n = n'_l`.
    public let units: Int
    /// False for the output layer, whose units are each their own cluster (docs/method.md §6.3 step 5).
    public let clustered: Bool
    /// `Q(k)` for `k = 2 … n−1`, rounded to 8 decimals, as `(k, Q)` in increasing `k`.
    public let modularity: [(k: Int, q: Double)]
    /// `k_Q = argmin Q(k)` (ties to the larger `k`); nil when `n ≤ 1`; 2 when `n = 2`.
    public let kQ: Int?
    /// `Q* = Q(k_Q)`; nil when undefined (`n ≤ 2`), which counts as +∞.
    public let qStar: Double?
    /// Whether the fallback rule (`k_Q = 2`, `k_Q = n−1` or `Q* > −τ_q`) consulted the tests.
    public let testsConsulted: Bool
    public let separate: SeparabilityTest?
    public let single: SeparabilityTest?
    /// The combined verdict: 1, `n`, or nil ("none"); only set when the tests were consulted.
    public let verdict: Int?
    /// Final number of clusters `k`.
    public let k: Int
    /// Raw cluster label of every kept unit (condensed order), 0…k−1 in order of first unit.
    public let labels: [Int]

    public static func == (a: LayerDecision, b: LayerDecision) -> Bool {
        a.layer == b.layer && a.units == b.units && a.clustered == b.clustered
            && a.modularity.map(\.k) == b.modularity.map(\.k) && a.modularity.map(\.q) == b.modularity.map(\.q)
            && a.kQ == b.kQ && a.qStar == b.qStar && a.testsConsulted == b.testsConsulted
            && a.separate == b.separate && a.single == b.single && a.verdict == b.verdict && a.k == b.k
            && a.labels == b.labels
    }
}

enum LayerClustering {
    /// Clusters layer `l` (< L) of the condensed graph (docs/method.md §6.3 with the tests of docs/method.md §6.4).
    static func cluster(
        layer l: Int, features: ReachabilityFeatures, graph: CondensedGraph,
        testSteps: Int, weakModularity tauQ: Double
    ) -> LayerDecision {
        let L = graph.depth
        let f = features.features[l]
        let n = f.count
        if n == 0 {
            return LayerDecision(
                layer: l, units: 0, clustered: true, modularity: [], kQ: nil, qStar: nil,
                testsConsulted: false, separate: nil, single: nil, verdict: nil, k: 0, labels: [])
        }
        if n == 1 {
            // docs/method.md §6.4: a layer with one unit gets verdict 1.
            return LayerDecision(
                layer: l, units: 1, clustered: true, modularity: [], kQ: nil, qStar: nil,
                testsConsulted: true, separate: nil, single: nil, verdict: 1, k: 1, labels: [0])
        }
        // Distances over the columns of layers l+1…L (earlier columns are zero for this layer).
        let firstWord = features.columnOffset[l + 1] >> 6
        let words = firstWord..<((features.columns + 63) / 64)
        let sizes = f.map(\.cardinality)
        var d = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in (i + 1)..<n {
                let v = cosineDistance(intersection: f[i].intersectionCount(f[j], words: words), sizes[i], sizes[j])
                d[i * n + j] = v
                d[j * n + i] = v
            }
        }
        let tree = AverageLinkage(distances: d, n: n)

        // docs/method.md §6.3 step 2: k_Q over k = 2…n−1, ties to the larger k (the scan uses ≤).
        var kQ = 2
        var qStar: Double? = nil
        var modularity: [(k: Int, q: Double)] = []
        if n >= 3 {
            for k in 2...(n - 1) {
                let q = tree.q[k]!
                modularity.append((k, q))
                if qStar == nil || q <= qStar! { qStar = q; kQ = k }
            }
        }
        // docs/method.md §6.3 step 3: fallback to the tests.
        let consult = kQ == 2 || kQ == n - 1 || qStar == nil || qStar! > -tauQ
        var separate: SeparabilityTest? = nil
        var single: SeparabilityTest? = nil
        var verdict: Int? = nil
        var k = kQ
        if consult {
            let top = min(l + testSteps, L)
            let range = features.columnOffset[l + 1]..<features.columnOffset[top + 1]
            let candidates = range.count
            // Separate test: the first merge joins the most similar pair; restricted columns.
            let m = tree.merges[0]
            separate = SeparabilityTest.separate(
                ki: f[m.a].cardinality(in: range), kj: f[m.b].cardinality(in: range),
                kij: f[m.a].intersectionCount(f[m.b], in: range), candidates: candidates)
            // Single test: unions of the two clusters of the 2-cut; full feature vectors, same N.
            let two = tree.labels(clusters: 2)
            var u = [BitSet](repeating: BitSet(count: features.columns), count: 2)
            for i in 0..<n { u[two[i]].formUnion(f[i]) }
            let all = 0..<features.columns
            single = SeparabilityTest.single(
                ki: u[0].cardinality, kj: u[1].cardinality, kij: u[0].intersectionCount(u[1], in: all),
                candidates: candidates)
            verdict = SeparabilityTest.verdict(separate: separate, single: single, units: n)
            if let v = verdict { k = v }
        }
        let labels = k == 1 ? [Int](repeating: 0, count: n) : tree.labels(clusters: k)
        return LayerDecision(
            layer: l, units: n, clustered: true, modularity: modularity, kQ: kQ, qStar: qStar,
            testsConsulted: consult, separate: separate, single: single, verdict: verdict,
            k: k, labels: labels)
    }

    /// The output layer: every output is its own cluster.
    static func outputLayer(_ L: Int, units n: Int) -> LayerDecision {
        LayerDecision(
            layer: L, units: n, clustered: false, modularity: [], kQ: nil, qStar: nil, testsConsulted: false,
            separate: nil, single: nil, verdict: nil, k: n, labels: Array(0..<n))
    }
}
