import SculptCore

/// An undirected weighted graph on vertices `0..<vertexCount` (docs/method.md §12).
///
/// Each edge is stored once, as (`u`, `v`, `weight`); for a layered graph `u` is the source unit (layer l)
/// and `v` the target unit (layer l+1), which is the orientation the directed modularity uses.
/// `layer[v]` and `unit[v]` say where vertex `v` sits in the network (0 and `v` for a plain graph).
public struct WeightGraph: Sendable, Equatable {
    public struct Edge: Sendable, Equatable {
        public var u: Int
        public var v: Int
        public var weight: Double
        public init(_ u: Int, _ v: Int, _ weight: Double = 1) { self.u = u; self.v = v; self.weight = weight }
    }

    public var vertexCount: Int
    public var edges: [Edge]
    public var layer: [Int]
    public var unit: [Int]

    /// - Precondition: every endpoint in `0..<vertexCount`, no self-loops, weights finite and ≥ 0.
    public init(vertexCount: Int, edges: [Edge], layer: [Int]? = nil, unit: [Int]? = nil) {
        precondition(vertexCount >= 0)
        for e in edges {
            precondition(e.u >= 0 && e.u < vertexCount && e.v >= 0 && e.v < vertexCount, "edge (\(e.u), \(e.v)) out of range 0..<\(vertexCount)")
            precondition(e.u != e.v, "self-loop at \(e.u)")
            precondition(e.weight.isFinite && e.weight >= 0, "edge weight \(e.weight)")
        }
        self.vertexCount = vertexCount
        self.edges = edges
        self.layer = layer ?? [Int](repeating: 0, count: vertexCount)
        self.unit = unit ?? Array(0..<vertexCount)
        precondition(self.layer.count == vertexCount && self.unit.count == vertexCount)
    }

    /// Weighted degrees (strengths) `d_u = Σ_v A_uv`.
    public var degrees: [Double] {
        var d = [Double](repeating: 0, count: vertexCount)
        for e in edges { d[e.u] += e.weight; d[e.v] += e.weight }
        return d
    }

    /// Total edge weight `W` (each undirected edge once).
    public var totalWeight: Double { edges.reduce(0) { $0 + $1.weight } }
}

/// What a shuffle keeps (docs/method.md §12), applied to each weight matrix separately.
extension NullModel {
    /// `layer,layer-nonzero` (distinct names), or `none` for no null model.
    /// - Throws: `ListArgumentError` naming an unknown or repeated model.
    public static func list(_ text: String) throws -> [NullModel] {
        if text == "none" { return [] }
        return try ListArgument.distinct(text, "a null model (layer, layer-nonzero, none)") { NullModel(rawValue: $0) }
    }
}

public enum NullModel: String, Sendable, CaseIterable {
    /// Permute all entries of each layer's matrix, zeros included: keeps each layer's multiset of values and
    /// its sparsity, scatters the surviving edges. The authors' default.
    case layer
    /// Permute only the nonzero values among the nonzero positions: keeps the topology exactly.
    case layerNonzero = "layer-nonzero"

    /// Fixed per model (not per request), so a model's null distribution does not depend on which other
    /// models are asked for. Shuffle `i` of this model uses Philox stream `streamBase + i`.
    var streamBase: UInt64 {
        switch self {
        case .layer: return 1 << 40
        case .layerNonzero: return 2 << 40
        }
    }
}

/// The weight matrices of a layered network as sparse lists of nonzero entries; the thing the null models
/// shuffle. Units are numbered within their layer; `widths` = `[n_0, …, n_L]` (docs/layout.md "Conventions").
public struct LayeredWeights: Sendable, Equatable {
    /// One nonzero entry of a weight matrix: `source` in layer l, `target` in layer l+1, weight > 0.
    public struct Entry: Sendable, Equatable, Comparable {
        public var source: Int
        public var target: Int
        public var weight: Double
        public init(_ source: Int, _ target: Int, _ weight: Double) { self.source = source; self.target = target; self.weight = weight }
        public static func < (a: Entry, b: Entry) -> Bool { (a.source, a.target) < (b.source, b.target) }
    }

    public var widths: [Int]
    /// `layers[l]`: entries of weight matrix l, sorted by (source, target).
    public var layers: [[Entry]]

    public init(widths: [Int], layers: [[Entry]]) {
        precondition(layers.count == widths.count - 1, "\(layers.count) matrices for widths \(widths)")
        for (l, es) in layers.enumerated() {
            for e in es {
                precondition(e.source >= 0 && e.source < widths[l] && e.target >= 0 && e.target < widths[l + 1], "entry out of range in layer \(l)")
                precondition(e.weight > 0 && e.weight.isFinite, "entry weight \(e.weight) in layer \(l)")
            }
        }
        self.widths = widths
        self.layers = layers.map { $0.sorted() }
    }

    /// The weights of a masks file (docs/method.md §12): `|w|` per surviving edge, or 1 per edge when the file has no
    /// weights or `binary` is set. Edges whose weight is exactly 0 carry nothing and are dropped.
    public init(masks: MaskFile, binary: Bool = false) {
        var layers: [[Entry]] = []
        for l in 0..<masks.edges.count {
            var es: [Entry] = []
            es.reserveCapacity(masks.edges[l].count)
            for (i, e) in masks.edges[l].enumerated() {
                let w: Double = (binary || masks.weights == nil) ? 1 : Double(abs(masks.weights![l][i]))
                if w > 0 { es.append(Entry(e.source, e.target, w)) }
            }
            layers.append(es)
        }
        self.init(widths: masks.arch, layers: layers)
    }

    public var edgeCount: Int { layers.reduce(0) { $0 + $1.count } }

    /// First vertex number of each layer in `graph()`: `offsets[l] = n_0 + … + n_{l-1}`.
    public var offsets: [Int] {
        var o = [0]
        for w in widths.dropLast() { o.append(o.last! + w) }
        return o
    }

    /// Removes every unit with no entry (degree 0) and renumbers the rest within their layer, keeping order.
    /// - Returns: the compacted weights and `kept[l][i]` = original unit of kept unit `i` of layer `l`.
    public func removingIsolated() -> (weights: LayeredWeights, kept: [[Int]]) {
        var used = widths.map { [Bool](repeating: false, count: $0) }
        for (l, es) in layers.enumerated() {
            for e in es { used[l][e.source] = true; used[l + 1][e.target] = true }
        }
        var kept: [[Int]] = []
        var newIndex: [[Int]] = []
        for l in 0..<widths.count {
            var k: [Int] = []
            var idx = [Int](repeating: -1, count: widths[l])
            for u in 0..<widths[l] where used[l][u] { idx[u] = k.count; k.append(u) }
            kept.append(k)
            newIndex.append(idx)
        }
        let newLayers = layers.enumerated().map { l, es in
            es.map { Entry(newIndex[l][$0.source], newIndex[l + 1][$0.target], $0.weight) }
        }
        return (LayeredWeights(widths: kept.map(\.count), layers: newLayers), kept)
    }

    /// The weight graph: vertex `offsets[l] + u` for unit `u` of layer `l`, one edge per entry.
    /// Isolated units stay in as degree-0 vertices; call `removingIsolated()` first to drop them (docs/method.md §12).
    public func graph() -> WeightGraph {
        let off = offsets
        var edges: [WeightGraph.Edge] = []
        edges.reserveCapacity(edgeCount)
        for (l, es) in layers.enumerated() {
            for e in es { edges.append(.init(off[l] + e.source, off[l + 1] + e.target, e.weight)) }
        }
        var layer: [Int] = [], unit: [Int] = []
        for (l, w) in widths.enumerated() {
            layer += [Int](repeating: l, count: w)
            unit += Array(0..<w)
        }
        return WeightGraph(vertexCount: off.last! + widths.last!, edges: edges, layer: layer, unit: unit)
    }

    /// One draw of a null model (docs/method.md §12), each matrix shuffled on its own, in layer order, from `rng`.
    public func shuffled(_ model: NullModel, using rng: inout PhiloxStream) -> LayeredWeights {
        var out: [[Entry]] = []
        for (l, es) in layers.enumerated() {
            switch model {
            case .layer:
                // The whole n_out × n_in matrix, zeros included, row-major [target][source].
                let nIn = widths[l], nOut = widths[l + 1]
                var dense = [Double](repeating: 0, count: nIn * nOut)
                for e in es { dense[e.target * nIn + e.source] = e.weight }
                rng.fisherYates(&dense)
                var shuffled: [Entry] = []
                shuffled.reserveCapacity(es.count)
                for j in 0..<nOut {
                    for i in 0..<nIn where dense[j * nIn + i] != 0 { shuffled.append(Entry(i, j, dense[j * nIn + i])) }
                }
                out.append(shuffled)
            case .layerNonzero:
                var values = es.map(\.weight)
                rng.fisherYates(&values)
                out.append(zip(es, values).map { Entry($0.source, $0.target, $1) })
            }
        }
        return LayeredWeights(widths: widths, layers: out)
    }
}
