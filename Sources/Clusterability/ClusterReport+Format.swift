import Foundation
import SculptCore

// JSON, text, GraphML and DOT forms of a ClusterReport (docs/clusterability.md).
extension ClusterReport {
    /// The `results[]` entry of `sculpt-cluster/1` (docs/clusterability.md) for `file`.
    public func record(file: String) -> ClusterRecord.Result {
        func num(_ x: Double) -> Double? { x.isFinite ? x : nil }
        return .init(
            file: file, method: method.rawValue, statistic: statisticName, value: num(statistic), lowerIsMoreModular: lowerIsMoreModular,
            seed: String(seed), shuffles: shuffles, k: k, labels: labels, clusters: clusterCount, sizesPerLayer: sizesPerLayer,
            vertices: keptVertices, isolated: isolatedVertices, edges: edges, modularity: num(modularity),
            directedModularity: num(directedModularity), ncut: num(nCut), layerNmi: num(layerNMI), warnings: warnings,
            nulls: nulls.map { .init(model: $0.model.rawValue, mean: num($0.mean), std: num($0.std), p: num($0.p), z: num($0.z), values: $0.values.map(num)) })
    }

    /// Human-readable summary: the statistic, each null (mean, std, p, z), cluster sizes per layer, warnings.
    public func text(title: String) -> String {
        let f = Clusterability.format
        var s = "\(title): \(method.rawValue)\(k.map { " k=\($0)" } ?? ""), \(keptVertices) vertices (\(isolatedVertices) isolated), \(edges) edges, seed \(seed)\n"
        let name = statisticName == "ncut" ? "n-cut" : "Q"
        s += "  \(name) \(f(statistic))  (\(lowerIsMoreModular ? "lower" : "higher") is more modular)"
        s += statisticName == "ncut" ? "  Q \(f(modularity))  Q_d \(f(directedModularity))\n" : "  Q_d \(f(directedModularity))  n-cut \(f(nCut))\n"
        for d in nulls {
            let name = d.model.rawValue.padding(toLength: 13, withPad: " ", startingAt: 0)
            s +=
                d.values.isEmpty
                ? "  null \(name) not compared (0 shuffles)\n"
                : "  null \(name) mean \(f(d.mean))  std \(f(d.std))  p \(f(d.p))  z \(f(d.z))  (\(d.values.count) shuffles)\n"
        }
        s += "  clusters \(clusterCount); NMI with layer index \(f(layerNMI)); units per layer (L0 … L\(labels.count - 1)):\n"
        for (c, row) in sizesPerLayer.enumerated() {
            s += "    \(String(c).padding(toLength: 4, withPad: " ", startingAt: 0)) \(row.map(String.init).joined(separator: " "))  = \(row.reduce(0, +))\n"
        }
        for w in warnings { s += "  warning: \(w)\n" }
        return s
    }

    /// The labelled graph as GraphML: every unit a node (`layer`, `unit`, `cluster`, −1 = isolated), every
    /// weighted edge from layer l to l+1 (`weight` = |w|, or 1 for binary graphs).
    public func graphML(weights: LayeredWeights) -> String {
        var s = """
            <?xml version="1.0" encoding="UTF-8"?>
            <graphml xmlns="http://graphml.graphdrawing.org/xmlns">
              <key id="layer" for="node" attr.name="layer" attr.type="int"/>
              <key id="unit" for="node" attr.name="unit" attr.type="int"/>
              <key id="cluster" for="node" attr.name="cluster" attr.type="int"/>
              <key id="weight" for="edge" attr.name="weight" attr.type="double"/>
              <graph id="G" edgedefault="directed">

            """
        for (l, row) in labels.enumerated() {
            for (u, c) in row.enumerated() {
                s += "    <node id=\"L\(l)_\(u)\"><data key=\"layer\">\(l)</data><data key=\"unit\">\(u)</data><data key=\"cluster\">\(c)</data></node>\n"
            }
        }
        for (l, es) in weights.layers.enumerated() {
            for e in es {
                s += "    <edge source=\"L\(l)_\(e.source)\" target=\"L\(l + 1)_\(e.target)\"><data key=\"weight\">\(e.weight)</data></edge>\n"
            }
        }
        return s + "  </graph>\n</graphml>\n"
    }

    /// The labelled graph as Graphviz DOT: one rank per layer, nodes coloured by cluster (grey = isolated).
    public func dot(weights: LayeredWeights) -> String {
        let palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"]
        var s = "digraph sculpt {\n  rankdir=LR;\n  node [shape=circle, style=filled, label=\"\"];\n"
        for (l, row) in labels.enumerated() {
            s += "  { rank=same;"
            for (u, c) in row.enumerated() {
                let colour = c < 0 ? "#dddddd" : palette[c % palette.count]
                s += " L\(l)_\(u) [fillcolor=\"\(colour)\", cluster=\(c)];"
            }
            s += " }\n"
        }
        for (l, es) in weights.layers.enumerated() {
            for e in es { s += "  L\(l)_\(e.source) -> L\(l + 1)_\(e.target) [weight=\(e.weight)];\n" }
        }
        return s + "}\n"
    }
}

/// `sculpt cluster --json`: one document for all files; non-finite numbers are `null`.
public struct ClusterRecord: Encodable, Sendable {
    public var format = "sculpt-cluster/1"
    public var results: [Result]
    public var errors: [FileError]

    public init(results: [Result], errors: [FileError]) {
        self.results = results
        self.errors = errors
    }

    public struct FileError: Encodable, Sendable {
        public var file: String
        public var error: String
        public init(file: String, error: String) { self.file = file; self.error = error }
    }

    public struct Result: Encodable, Sendable {
        public var file: String
        public var method: String
        public var statistic: String
        public var value: Double?
        public var lowerIsMoreModular: Bool
        public var seed: String
        public var shuffles: Int
        public var k: Int?
        public var labels: [[Int]]
        public var clusters: Int
        public var sizesPerLayer: [[Int]]
        public var vertices: Int
        public var isolated: Int
        public var edges: Int
        public var modularity: Double?
        public var directedModularity: Double?
        public var ncut: Double?
        public var layerNmi: Double?
        public var warnings: [String]
        public var nulls: [Null]

        enum CodingKeys: String, CodingKey {
            case file, method, statistic, value, lowerIsMoreModular, seed, shuffles, k, labels, clusters, sizesPerLayer, vertices, isolated, edges,
                modularity, directedModularity, ncut, layerNmi, warnings, nulls
        }

        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(file, forKey: .file)
            try c.encode(method, forKey: .method)
            try c.encode(statistic, forKey: .statistic)
            try c.encode(value, forKey: .value)  // null when not finite
            try c.encode(lowerIsMoreModular, forKey: .lowerIsMoreModular)
            try c.encode(seed, forKey: .seed)
            try c.encode(shuffles, forKey: .shuffles)
            try c.encodeIfPresent(k, forKey: .k)
            try c.encode(labels, forKey: .labels)
            try c.encode(clusters, forKey: .clusters)
            try c.encode(sizesPerLayer, forKey: .sizesPerLayer)
            try c.encode(vertices, forKey: .vertices)
            try c.encode(isolated, forKey: .isolated)
            try c.encode(edges, forKey: .edges)
            try c.encode(modularity, forKey: .modularity)
            try c.encode(directedModularity, forKey: .directedModularity)
            try c.encode(ncut, forKey: .ncut)
            try c.encode(layerNmi, forKey: .layerNmi)
            try c.encode(warnings, forKey: .warnings)
            try c.encode(nulls, forKey: .nulls)
        }
    }

    public struct Null: Encodable, Sendable {
        public var model: String
        public var mean: Double?
        public var std: Double?
        public var p: Double?
        public var z: Double?
        public var values: [Double?]

        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(model, forKey: .model)
            try c.encode(mean, forKey: .mean)
            try c.encode(std, forKey: .std)
            try c.encode(p, forKey: .p)
            try c.encode(z, forKey: .z)
            try c.encode(values, forKey: .values)
        }
        enum CodingKeys: String, CodingKey { case model, mean, std, p, z, values }
    }
}
