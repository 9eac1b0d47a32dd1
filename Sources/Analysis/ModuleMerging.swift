/// Bottom-up merging of per-layer clusters into multi-layer modules (docs/method.md §6.5).
enum ModuleMerging {
    /// Returns the module id of every kept unit, `ids[l][u]` (condensed numbering). Ids are as the
    /// reference assigns them: layer 0 keeps its raw labels; a raw cluster of layer `l` that merges
    /// nowhere gets the next fresh id, clusters visited in label order. A cluster merges into the
    /// first prior module (ascending id) `g` with `e(g,c)/in(c) > τ_m` and, below the output layer,
    /// `e(g,c)/out(g) > τ_m`.
    static func merge(graph: CondensedGraph, labels: [[Int]], clusterCounts: [Int], threshold tau: Double) -> [[Int]] {
        let L = graph.depth
        var ids: [[Int]] = [labels[0]]
        var nextId = clusterCounts[0]
        for l in 1...L {
            let prior = ids[l - 1]
            let priorIds = Array(Set(prior)).sorted()
            let slot = Dictionary(uniqueKeysWithValues: priorIds.enumerated().map { ($1, $0) })
            let k = clusterCounts[l]
            var e = [[Int]](repeating: [Int](repeating: 0, count: k), count: priorIds.count)
            for edge in graph.edges[l - 1] { e[slot[prior[edge.source]]!][labels[l][edge.target]] += 1 }
            let outG = e.map { $0.reduce(0, +) }
            var inC = [Int](repeating: 0, count: k)
            for row in e { for c in 0..<k { inC[c] += row[c] } }
            var clusterId = [Int](repeating: -1, count: k)
            for c in 0..<k {
                for (gi, g) in priorIds.enumerated() where e[gi][c] > 0 {
                    let inFraction = Double(e[gi][c]) / Double(inC[c])
                    let outFraction = Double(e[gi][c]) / Double(outG[gi])
                    if inFraction > tau && (l == L || outFraction > tau) { clusterId[c] = g; break }
                }
                if clusterId[c] < 0 { clusterId[c] = nextId; nextId += 1 }
            }
            ids.append(labels[l].map { clusterId[$0] })
        }
        return ids
    }
}
