import Dispatch
import Foundation
import SculptCore

/// What can go wrong in a clusterability analysis.
public enum ClusterabilityError: Error, CustomStringConvertible, Equatable {
    /// The graph has no edge left after isolated vertices are removed.
    case noEdges
    /// Fewer kept vertices than clusters asked for.
    case tooFewVertices(vertices: Int, k: Int)
    case invalidArgument(String)
    case lapack(routine: String, info: Int)
    case igraph(call: String, message: String)

    public var description: String {
        switch self {
        case .noEdges: return "the graph has no edges (every weight is pruned or zero)"
        case let .tooFewVertices(v, k): return "\(v) connected vertices cannot form k = \(k) clusters"
        case let .invalidArgument(s): return s
        case let .lapack(r, info): return "LAPACK \(r) failed (info \(info))"
        case let .igraph(call, message): return "igraph \(call) failed: \(message)"
        }
    }
}

/// One null model's shuffled statistics against the observed one (docs/method.md §12).
public struct NullDistribution: Sendable, Equatable {
    public var model: NullModel
    /// The statistic of each shuffle, in shuffle order (shuffle i uses Philox stream `model` base + i).
    public var values: [Double]
    public var mean: Double
    /// Population standard deviation.
    public var std: Double
    /// One-sided empirical p-value `(r + 1) / (n + 1)`, `r` = shuffles strictly more modular than observed.
    public var p: Double
    /// `(observed − mean) / std`; ±infinity (or 0 when equal) if `std` is 0.
    public var z: Double

    /// - Parameter lowerIsMoreModular: true for n-cut (r counts values below), false for Q (values above).
    public init(model: NullModel, values: [Double], observed: Double, lowerIsMoreModular: Bool) {
        self.model = model
        self.values = values
        let n = Double(values.count)
        let mean = values.isEmpty ? .nan : values.reduce(0, +) / n
        self.mean = mean
        std = values.isEmpty ? .nan : (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / n).squareRoot()
        p = Self.pValue(observed: observed, null: values, lowerIsMoreModular: lowerIsMoreModular)
        let d = observed - mean
        z = std > 0 ? d / std : (d == 0 ? 0 : (d > 0 ? .infinity : -.infinity))
    }

    /// `(r + 1) / (n + 1)`; ties do not count as more modular.
    public static func pValue(observed: Double, null: [Double], lowerIsMoreModular: Bool) -> Double {
        let r = null.filter { lowerIsMoreModular ? $0 < observed : $0 > observed }.count
        return Double(r + 1) / Double(null.count + 1)
    }

    /// Significant at level `alpha` (the papers' criterion is `p == 1/(n+1)`).
    public func significant(alpha: Double) -> Bool { p <= alpha }
}

/// Settings shared by every analysis; validated by `validate()`.
public struct ClusterOptions: Sendable {
    /// Weight 1 per surviving edge instead of `|w|` (automatic when the file has no weights).
    public var binary = false
    /// Worker threads for the shuffles (default: all cores). The results do not depend on it.
    public var threads: Int? = nil
    /// k-means restarts for spectral clustering (default 25, or 100 above 2,000 vertices).
    public var kMeansRestarts: Int? = nil
    /// Seeded igraph runs per graph for Leiden/Louvain; the best Q is kept.
    public var communityRestarts = 5
    /// Modularity resolution γ.
    public var resolution = 1.0
    /// Leiden's randomness β.
    public var beta = 0.01
    /// The nulls "disagree" when one has p ≤ alpha and the other not.
    public var alpha = 0.05
    /// Warn when the NMI of the partition with the layer index is at least this (the partition follows depth).
    public var depthNMIWarning = 0.5

    public init() {}

    /// - Throws: `ClusterabilityError.invalidArgument` naming the setting.
    public func validate() throws {
        if let t = threads, t < 1 { throw ClusterabilityError.invalidArgument("threads must be ≥ 1, got \(t)") }
        if let r = kMeansRestarts, r < 1 { throw ClusterabilityError.invalidArgument("k-means restarts must be ≥ 1, got \(r)") }
        if communityRestarts < 1 { throw ClusterabilityError.invalidArgument("restarts must be ≥ 1, got \(communityRestarts)") }
        // Above ~10^6 every vertex is its own community already, and Q's terms overflow near 10^308.
        if !(resolution > 0 && resolution <= 1e6) {
            throw ClusterabilityError.invalidArgument("resolution must be > 0 and at most 1e6, got \(resolution)")
        }
        if !(alpha > 0 && alpha < 1) { throw ClusterabilityError.invalidArgument("alpha must be in (0, 1), got \(alpha)") }
    }
}

/// The result of one analysis of one network (docs/clusterability.md gives its JSON form).
public struct ClusterReport: Sendable {
    public enum Method: String, Sendable, CaseIterable { case spectral, leiden, louvain }

    public var method: Method
    /// Clusters asked for (spectral only).
    public var k: Int?
    /// "ncut" (spectral) or "Q" (weighted modularity, community methods).
    public var statisticName: String
    public var statistic: Double
    public var lowerIsMoreModular: Bool
    public var seed: UInt64
    public var shuffles: Int
    /// `labels[l][u]`: cluster of unit u of layer l, −1 for isolated units.
    public var labels: [[Int]]
    public var clusterCount: Int
    /// `sizesPerLayer[c][l]`: units of layer l in cluster c (the module × layer composition).
    public var sizesPerLayer: [[Int]]
    public var keptVertices: Int
    public var isolatedVertices: Int
    public var edges: Int
    /// Weighted modularity Q and its directed form Q_d of the partition (every method).
    public var modularity: Double
    public var directedModularity: Double
    /// n-cut of the partition (every method).
    public var nCut: Double
    /// NMI of the partition with the layer index, over kept vertices.
    public var layerNMI: Double
    public var nulls: [NullDistribution]
    public var warnings: [String]
}

/// The library entry points (docs/method.md §12): spectral n-cut and community detection on a masks
/// file, each against its shuffle nulls, all seeded through Philox (purpose `.clustering`).
///
/// Streams: the observed graph uses stream 0; shuffle i of a null model uses `model.streamBase + i`,
/// so the same seed gives the same null distribution whatever the thread count or the other models asked.
public enum Clusterability {
    /// Spectral k-way clustering and its n-cut against each null in `nulls` (docs/method.md §12).
    /// - Throws: `ClusterabilityError` (no edges, fewer kept vertices than k, LAPACK failure, bad options).
    public static func spectral(
        masks: MaskFile, k: Int = 4, shuffles: Int = 200, nulls: [NullModel] = NullModel.allCases,
        seed: UInt64 = 0, options: ClusterOptions = .init()
    ) throws -> ClusterReport {
        guard k >= 1 else { throw ClusterabilityError.invalidArgument("k must be ≥ 1, got \(k)") }
        return try analyse(masks: masks, method: .spectral, k: k, shuffles: shuffles, nulls: nulls, seed: seed, options: options) { g, rng in
            let labels = try Spectral.cluster(g, k: k, restarts: options.kMeansRestarts, using: &rng)
            return (labels, Spectral.nCut(g, labels: labels))
        }
    }

    /// Leiden or Louvain (igraph), best Q of `options.communityRestarts` seeded runs, against each null.
    /// - Throws: `ClusterabilityError` (no edges, igraph failure, bad options).
    public static func communities(
        masks: MaskFile, algorithm: CommunityAlgorithm = .leiden, shuffles: Int = 200,
        nulls: [NullModel] = NullModel.allCases, seed: UInt64 = 0,
        options: ClusterOptions = .init()
    ) throws -> ClusterReport {
        let method: ClusterReport.Method = algorithm == .leiden ? .leiden : .louvain
        return try analyse(masks: masks, method: method, k: nil, shuffles: shuffles, nulls: nulls, seed: seed, options: options) { g, rng in
            let r = try Community.detect(
                g, algorithm: algorithm, resolution: options.resolution, restarts: options.communityRestarts,
                beta: options.beta, using: &rng)
            return (r.labels, r.modularity)
        }
    }

    /// The statistic of `statistic` on `shuffles` draws of `model` from `weights` (isolated vertices already
    /// removed), spread over `threads` workers; shuffle i's stream is fixed by (seed, model, i) alone.
    public static func nullValues(
        _ weights: LayeredWeights, model: NullModel, shuffles: Int, seed: UInt64, threads: Int,
        statistic: @escaping @Sendable (WeightGraph, inout PhiloxStream) throws -> Double
    ) throws -> [Double] {
        precondition(threads >= 1 && shuffles >= 0)
        var values = [Double](repeating: .nan, count: shuffles)
        var errors = [Error?](repeating: nil, count: threads)
        let workers = min(threads, max(shuffles, 1))
        values.withUnsafeMutableBufferPointer { outBuffer in
            errors.withUnsafeMutableBufferPointer { errBuffer in
                // Each worker writes only its own indices (values) and its own slot (errors).
                let out = DisjointSlots(outBuffer), errs = DisjointSlots(errBuffer)
                DispatchQueue.concurrentPerform(iterations: workers) { t in
                    var i = t
                    while i < shuffles {
                        var rng = PhiloxStream(seed: seed, purpose: .clustering, stream: model.streamBase + UInt64(i))
                        let g = weights.shuffled(model, using: &rng).removingIsolated().weights.graph()
                        do { out.buffer[i] = try statistic(g, &rng) } catch { errs.buffer[t] = error; return }
                        i += workers
                    }
                }
            }
        }
        if let e = errors.compactMap({ $0 }).first { throw e }
        return values
    }

    /// A buffer whose elements concurrent workers write, each element by one worker only.
    struct DisjointSlots<T>: @unchecked Sendable {
        let buffer: UnsafeMutableBufferPointer<T>
        init(_ buffer: UnsafeMutableBufferPointer<T>) { self.buffer = buffer }
    }

    // MARK: - Shared pipeline

    static func analyse(
        masks: MaskFile, method: ClusterReport.Method, k: Int?, shuffles: Int, nulls: [NullModel], seed: UInt64,
        options: ClusterOptions,
        cluster: @escaping @Sendable (WeightGraph, inout PhiloxStream) throws -> (labels: [Int], value: Double)
    ) throws -> ClusterReport {
        try options.validate()
        guard shuffles >= 0 else { throw ClusterabilityError.invalidArgument("shuffles must be ≥ 0, got \(shuffles)") }
        let all = LayeredWeights(masks: masks, binary: options.binary)
        let (core, kept) = all.removingIsolated()
        guard core.edgeCount > 0 else { throw ClusterabilityError.noEdges }
        let graph = core.graph()
        if let k, graph.vertexCount < k { throw ClusterabilityError.tooFewVertices(vertices: graph.vertexCount, k: k) }

        var rng = PhiloxStream(seed: seed, purpose: .clustering, stream: 0)
        let (labels, value) = try cluster(graph, &rng)
        let lower = method == .spectral
        let threads = options.threads ?? ProcessInfo.processInfo.activeProcessorCount

        var dists: [NullDistribution] = []
        for model in nulls {
            let values = try nullValues(core, model: model, shuffles: shuffles, seed: seed, threads: threads) { try cluster($0, &$1).value }
            dists.append(NullDistribution(model: model, values: values, observed: value, lowerIsMoreModular: lower))
        }

        // Back to the original numbering: labels[l][u], −1 for isolated units.
        let off = core.offsets
        var full = masks.arch.map { [Int](repeating: -1, count: $0) }
        let clusterCount = (labels.max() ?? -1) + 1
        var sizes = [[Int]](repeating: [Int](repeating: 0, count: masks.arch.count), count: clusterCount)
        for (l, units) in kept.enumerated() {
            for (i, u) in units.enumerated() {
                let c = labels[off[l] + i]
                full[l][u] = c
                sizes[c][l] += 1
            }
        }
        let nmi = Community.nmi(labels, graph.layer)
        var warnings: [String] = []
        if dists.count == 2, dists[0].significant(alpha: options.alpha) != dists[1].significant(alpha: options.alpha) {
            let s = dists.map { "\($0.model.rawValue) p = \(format($0.p))" }.joined(separator: ", ")
            warnings.append("the nulls disagree at alpha \(options.alpha): \(s)")
        }
        if nmi >= options.depthNMIWarning && clusterCount > 1 {
            warnings.append("the partition follows depth: NMI with the layer index is \(format(nmi)) (≥ \(options.depthNMIWarning))")
        }
        return ClusterReport(
            method: method, k: k, statisticName: lower ? "ncut" : "Q", statistic: value, lowerIsMoreModular: lower, seed: seed,
            shuffles: shuffles, labels: full, clusterCount: clusterCount, sizesPerLayer: sizes, keptVertices: graph.vertexCount,
            isolatedVertices: all.widths.reduce(0, +) - graph.vertexCount, edges: core.edgeCount,
            modularity: Community.modularity(graph, labels: labels, resolution: options.resolution),
            directedModularity: Community.directedModularity(graph, labels: labels, resolution: options.resolution),
            nCut: Spectral.nCut(graph, labels: labels), layerNMI: nmi, nulls: dists, warnings: warnings)
    }

    static func format(_ x: Double) -> String { String(format: "%.4g", x) }
}
