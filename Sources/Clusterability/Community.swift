import IgraphBridge
import Foundation
import SculptCore

/// Which community-detection algorithm of igraph's C library runs (docs/method.md §12).
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
        func h(_ c: [Int: Int]) -> Double {
            c.values.reduce(0) {
                let p = Double($1) / n; return $0 - p * log(p)
            }
        }
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
    public static func detect(
        _ graph: WeightGraph, algorithm: CommunityAlgorithm, resolution γ: Double = 1, restarts: Int = 5,
        beta: Double = 0.01, using rng: inout PhiloxStream
    ) throws -> (labels: [Int], modularity: Double) {
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

/// One igraph graph (with its weights) built for the duration of a locked session, through the C
/// bridge (`Sources/IgraphBridge`), so no Swift module imports igraph's headers.
struct IgraphSession {
    private static let lock = NSLock()
    private let session: OpaquePointer
    private let vertexCount: Int

    static func check(_ code: Int32, _ call: String) throws {
        guard code == 0 else {
            throw ClusterabilityError.igraph(call: call, message: String(cString: sculpt_igraph_strerror(code)))
        }
    }

    /// Builds `graph` in igraph (edges `u → v` when `directed`), runs `body` holding the igraph lock, frees.
    static func run(on graph: WeightGraph, directed: Bool = false, _ body: (inout IgraphSession) throws -> Void) throws {
        lock.lock()
        defer { lock.unlock() }
        let edges = graph.edges.flatMap { [Int64($0.u), Int64($0.v)] }
        let weights = graph.edges.map(\.weight)
        var handle: OpaquePointer? = nil
        try check(
            sculpt_igraph_open(
                Int64(graph.vertexCount), Int64(graph.edges.count), edges, weights, graph.degrees,
                graph.totalWeight, directed ? 1 : 0, &handle), "igraph_create")
        guard let handle else { throw ClusterabilityError.igraph(call: "igraph_create", message: "no graph") }
        defer { sculpt_igraph_close(handle) }
        var session = IgraphSession(session: handle, vertexCount: graph.vertexCount)
        try body(&session)
    }

    /// One run of the algorithm with igraph's RNG seeded to `seed`; the raw membership vector.
    func run(_ algorithm: CommunityAlgorithm, resolution γ: Double, beta: Double, seed: UInt64) throws -> [Int] {
        var membership = [Int64](repeating: 0, count: vertexCount)
        let name = algorithm == .leiden ? "igraph_community_leiden" : "igraph_community_multilevel"
        try Self.check(sculpt_igraph_run(session, algorithm == .leiden ? 0 : 1, γ, beta, seed, &membership), name)
        return membership.map { Int($0) }
    }

    func modularity(_ labels: [Int], resolution γ: Double, directed: Bool) throws -> Double {
        var q = 0.0
        try Self.check(sculpt_igraph_modularity(session, labels.map { Int64($0) }, γ, directed ? 1 : 0, &q), "igraph_modularity")
        return q
    }
}
