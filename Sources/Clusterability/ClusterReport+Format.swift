import Foundation
import SculptCore

// JSON, text, GraphML and DOT forms of a ClusterReport (docs/clusterability.md).
extension ClusterReport {
    /// The `results[]` entry of `sculpt-cluster/1` (docs/clusterability.md); non-finite numbers become null.
    public func jsonObject() -> [String: Any] {
        func num(_ x: Double) -> Any { x.isFinite ? x : NSNull() }
        var o: [String: Any] = [
            "method": method.rawValue, "statistic": statisticName, "value": num(statistic),
            "lower_is_more_modular": lowerIsMoreModular, "seed": String(seed), "shuffles": shuffles,
            "labels": labels, "clusters": clusterCount, "sizes_per_layer": sizesPerLayer,
            "vertices": keptVertices, "isolated": isolatedVertices, "edges": edges,
            "modularity": num(modularity), "directed_modularity": num(directedModularity), "ncut": num(nCut),
            "layer_nmi": num(layerNMI), "warnings": warnings,
            "nulls": nulls.map { d -> [String: Any] in
                ["model": d.model.rawValue, "mean": num(d.mean), "std": num(d.std), "p": num(d.p), "z": num(d.z),
                 "values": d.values.map(num)]
            },
        ]
        if let k { o["k"] = k }
        return o
    }

    /// Human-readable summary: the statistic, each null (mean, std, p, z), cluster sizes per layer, warnings.
    public func text(title: String) -> String {
        let f = Clusterability.format
        var s = "\(title): \(method.rawValue)\(k.map { " k=\($0)" } ?? ""), \(keptVertices) vertices (\(isolatedVertices) isolated), \(edges) edges, seed \(seed)\n"
        let name = statisticName == "ncut" ? "n-cut" : "Q"
        s += "  \(name) \(f(statistic))  (\(lowerIsMoreModular ? "lower" : "higher") is more modular)"
        s += statisticName == "ncut" ? "  Q \(f(modularity))  Q_d \(f(directedModularity))\n" : "  Q_d \(f(directedModularity))  n-cut \(f(nCut))\n"
        for d in nulls {
            s += "  null \(d.model.rawValue.padding(toLength: 13, withPad: " ", startingAt: 0)) mean \(f(d.mean))  std \(f(d.std))  p \(f(d.p))  z \(f(d.z))  (\(d.values.count) shuffles)\n"
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
