import CIgraph
import Foundation
import SculptCore

/// Which community-detection algorithm of igraph's C library runs (spec/clusterability.md §7).
public enum CommunityAlgorithm: String, Sendable, CaseIterable {
    /// `igraph_community_leiden` with the modularity objective (node weights = strengths, resolution γ/2W).
    case leiden
    /// `igraph_community_multilevel` (Louvain), final level.
    case louvain
}

/// Modularity, NMI, and seeded Leiden/Louvain through igraph.
public enum Community {
    // MARK: - Quality functions

    /// Weighted modularity `Q = (1/2W) Σ_ij [A_ij − γ s_i s_j / 2W] δ(c_i, c_j)` over the vertices with a
    /// label ≥ 0 (−1 takes no part). Equals `Σ_c [w_in(c)/W − γ (S_c/2W)²]`, `w_in` = weight inside c.
    public static func modularity(_ graph: WeightGraph, labels: [Int], resolution γ: Double = 1) -> Double {
        precondition(labels.count == graph.vertexCount)
        let k = (labels.max() ?? -1) + 1
        var inside = [Double](repeating: 0, count: max(k, 0)), strength = inside
        var w = 0.0
        for e in graph.edges {
            let a = labels[e.u], b = labels[e.v]
            guard a >= 0, b >= 0 else { continue }
            w += e.weight
            strength[a] += e.weight
            strength[b] += e.weight
            if a == b { inside[a] += e.weight }
        }
        guard w > 0 else { return 0 }
        var q = 0.0
        for c in 0..<k { q += inside[c] / w - γ * (strength[c] / (2 * w)) * (strength[c] / (2 * w)) }
        return q
    }

    /// Directed modularity `Q_d = (1/W) Σ_ij [A_ij − γ s_i^out s_j^in / W] δ(c_i, c_j)`, each edge
    /// oriented `u → v` (source layer → target layer). Equals `Σ_c [w_in(c)/W − γ S_c^out S_c^in / W²]`.
    public static func directedModularity(_ graph: WeightGraph, labels: [Int], resolution γ: Double = 1) -> Double {
        precondition(labels.count == graph.vertexCount)
        let k = (labels.max() ?? -1) + 1
        var inside = [Double](repeating: 0, count: max(k, 0)), sOut = inside, sIn = inside
        var w = 0.0
        for e in graph.edges {
            let a = labels[e.u], b = labels[e.v]
            guard a >= 0, b >= 0 else { continue }
            w += e.weight
            sOut[a] += e.weight
            sIn[b] += e.weight
            if a == b { inside[a] += e.weight }
        }
        guard w > 0 else { return 0 }
        var q = 0.0
        for c in 0..<k { q += inside[c] / w - γ * sOut[c] * sIn[c] / (w * w) }
        return q
    }

    /// Normalised mutual information `2 I(A;B) / (H(A) + H(B))` (Danon et al. 2005, igraph's "nmi") of two
    /// labellings of the same items; 1 when both have entropy 0.
    public static func nmi(_ a: [Int], _ b: [Int]) -> Double {
        precondition(a.count == b.count)
        let n = Double(a.count)
        guard a.count > 0 else { return 1 }
        var joint: [[Int]: Int] = [:], ca: [Int: Int] = [:], cb: [Int: Int] = [:]
        for (x, y) in zip(a, b) { joint[[x, y], default: 0] += 1; ca[x, default: 0] += 1; cb[y, default: 0] += 1 }
        func h(_ c: [Int: Int]) -> Double { c.values.reduce(0) { let p = Double($1) / n; return $0 - p * log(p) } }
        let ha = h(ca), hb = h(cb)
        guard ha + hb > 0 else { return 1 }
        var i = 0.0
        for (xy, c) in joint {
            let pxy = Double(c) / n
            i += pxy * log(pxy * n * n / (Double(ca[xy[0]]!) * Double(cb[xy[1]]!)))
        }
        return max(0, min(1, 2 * i / (ha + hb)))
    }

    // MARK: - igraph

    /// Best (highest modularity Q, first on ties) of `restarts` seeded runs of `algorithm` on `graph`.
    /// Restart r seeds igraph's default RNG with the r-th 64-bit draw of `rng`. Every igraph call holds one
    /// process-wide lock (igraph is built without thread safety), so concurrent callers serialise here.
    /// - Returns: a label per vertex, numbered in order of first appearance, and its modularity.
    /// - Throws: `ClusterabilityError.igraph` when igraph reports an error.
    public static func detect(_ graph: WeightGraph, algorithm: CommunityAlgorithm, resolution γ: Double = 1, restarts: Int = 5,
                              beta: Double = 0.01, using rng: inout PhiloxStream) throws -> (labels: [Int], modularity: Double) {
        precondition(restarts >= 1)
        let seeds = (0..<restarts).map { _ in rng.next() }
        let n = graph.vertexCount
        guard n > 0 else { return ([], 0) }
        guard graph.totalWeight > 0 else { return ([Int](0..<n), 0) }
        var best: (labels: [Int], modularity: Double) = ([], -.infinity)
        try IgraphSession.run(on: graph) { g in
            for s in seeds {
                let labels = Spectral.relabelled(try g.run(algorithm, resolution: γ, beta: beta, seed: s))
                let q = modularity(graph, labels: labels, resolution: γ)
                if q > best.modularity { best = (labels, q) }
            }
        }
        return best
    }

    /// igraph's own `igraph_modularity` (a cross-check of `modularity`/`directedModularity`).
    public static func igraphModularity(_ graph: WeightGraph, labels: [Int], resolution γ: Double = 1, directed: Bool = false) throws -> Double {
        var q = 0.0
        try IgraphSession.run(on: graph, directed: directed) { g in q = try g.modularity(labels, resolution: γ, directed: directed) }
        return q
    }
}

/// One igraph graph (with its weights) built for the duration of a locked session.
struct IgraphSession {
    private static let lock = NSLock()
    private static var configured = false

    private var graph: UnsafeMutablePointer<igraph_t>
    private var weights: UnsafeMutablePointer<igraph_vector_t>
    private var strengths: UnsafeMutablePointer<igraph_vector_t>
    private let totalWeight: Double

    static func check(_ code: igraph_error_t, _ call: String) throws {
        guard code == IGRAPH_SUCCESS else {
            throw ClusterabilityError.igraph(call: call, message: String(cString: igraph_strerror(code)))
        }
    }

    /// Builds `graph` in igraph (edges `u → v` when `directed`), runs `body` holding the igraph lock, frees.
    static func run(on graph: WeightGraph, directed: Bool = false, _ body: (inout IgraphSession) throws -> Void) throws {
        lock.lock()
        defer { lock.unlock() }
        if !configured {
            // Errors come back as codes instead of aborting the process; warnings are not printed.
            igraph_set_error_handler(igraph_error_handler_ignore)
            igraph_set_warning_handler(igraph_warning_handler_ignore)
            configured = true
        }
        let m = graph.edges.count
        var edgeList = igraph_vector_int_t()
        try check(igraph_vector_int_init(&edgeList, igraph_integer_t(2 * m)), "igraph_vector_int_init")
        defer { igraph_vector_int_destroy(&edgeList) }
        for (i, e) in graph.edges.enumerated() {
            edgeList.stor_begin[2 * i] = igraph_integer_t(e.u)
            edgeList.stor_begin[2 * i + 1] = igraph_integer_t(e.v)
        }
        let g = UnsafeMutablePointer<igraph_t>.allocate(capacity: 1)
        defer { g.deallocate() }
        try check(igraph_create(g, &edgeList, igraph_integer_t(graph.vertexCount), directed), "igraph_create")
        defer { igraph_destroy(g) }
        let w = UnsafeMutablePointer<igraph_vector_t>.allocate(capacity: 1)
        defer { w.deallocate() }
        try check(igraph_vector_init(w, igraph_integer_t(m)), "igraph_vector_init")
        defer { igraph_vector_destroy(w) }
        for (i, e) in graph.edges.enumerated() { w.pointee.stor_begin[i] = e.weight }
        let s = UnsafeMutablePointer<igraph_vector_t>.allocate(capacity: 1)
        defer { s.deallocate() }
        try check(igraph_vector_init(s, igraph_integer_t(graph.vertexCount)), "igraph_vector_init")
        defer { igraph_vector_destroy(s) }
        for (v, d) in graph.degrees.enumerated() { s.pointee.stor_begin[v] = d }
        var session = IgraphSession(graph: g, weights: w, strengths: s, totalWeight: graph.totalWeight)
        try body(&session)
    }

    /// One run of the algorithm with igraph's RNG seeded to `seed`; the raw membership vector.
    func run(_ algorithm: CommunityAlgorithm, resolution γ: Double, beta: Double, seed: UInt64) throws -> [Int] {
        try Self.check(igraph_rng_seed(igraph_rng_default(), igraph_uint_t(seed)), "igraph_rng_seed")
        var membership = igraph_vector_int_t()
        try Self.check(igraph_vector_int_init(&membership, 0), "igraph_vector_int_init")
        defer { igraph_vector_int_destroy(&membership) }
        switch algorithm {
        case .leiden:
            var clusters: igraph_integer_t = 0
            var quality: igraph_real_t = 0
            // Modularity objective: node weights = strengths, resolution γ/2W; iterate until stable.
            try Self.check(igraph_community_leiden(graph, weights, strengths, γ / (2 * totalWeight), beta, false, -1,
                                                   &membership, &clusters, &quality), "igraph_community_leiden")
        case .louvain:
            try Self.check(igraph_community_multilevel(graph, weights, γ, &membership, nil, nil), "igraph_community_multilevel")
        }
        let count = Int(igraph_vector_int_size(&membership))
        return (0..<count).map { Int(membership.stor_begin[$0]) }
    }

    func modularity(_ labels: [Int], resolution γ: Double, directed: Bool) throws -> Double {
        var membership = igraph_vector_int_t()
        try Self.check(igraph_vector_int_init(&membership, igraph_integer_t(labels.count)), "igraph_vector_int_init")
        defer { igraph_vector_int_destroy(&membership) }
        for (i, c) in labels.enumerated() { membership.stor_begin[i] = igraph_integer_t(c) }
        var q: igraph_real_t = 0
        try Self.check(igraph_modularity(graph, &membership, weights, γ, directed, &q), "igraph_modularity")
        return q
    }
}
