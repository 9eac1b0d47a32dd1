/// Reachability features of docs/method.md §6.2 over the condensed graph.
///
/// Columns: every kept unit of layers `1…L`, layer by layer, in condensed order; `columnOffset[l]` is
/// the first column of layer `l` (`columnOffset[0] = 0` and layer 0 has no columns), so the columns of
/// layers `l+1…m` are `columnOffset[l+1] ..< columnOffset[m+1]`.
struct ReachabilityFeatures {
    let columnOffset: [Int]
    let columns: Int
    /// `features[l][u]` = units reachable from unit `u` of layer `l` by a directed path of 1…`steps`
    /// edges (the binary indicator of `R = A + … + A^steps` being positive).
    let features: [[BitSet]]

    init(_ graph: CondensedGraph, steps: Int) {
        let L = graph.depth
        let widths = graph.condensedArch
        var offset = [Int](repeating: 0, count: L + 2)
        for l in 1...L { offset[l + 1] = offset[l] + widths[l] }
        let columns = offset[L + 1]
        columnOffset = offset
        self.columns = columns

        var children: [[[Int]]] = []  // children[l][u] = condensed targets in layer l+1
        for l in 0..<L {
            var c = [[Int]](repeating: [], count: widths[l])
            for e in graph.edges[l] { c[e.source].append(e.target) }
            children.append(c)
        }
        // reach(j, k): sets for layer j within k steps; with k clamped to L−j, since no path is longer.
        var memo: [Int: [BitSet]] = [:]
        func reach(_ j: Int, _ k0: Int) -> [BitSet] {
            let k = min(k0, L - j)
            let key = j * (L + 1) + k
            if let m = memo[key] { return m }
            var out = [BitSet](repeating: BitSet(count: columns), count: widths[j])
            if k > 0 {
                let next = reach(j + 1, k - 1)
                for u in 0..<widths[j] {
                    for v in children[j][u] {
                        out[u][offset[j + 1] + v] = true
                        out[u].formUnion(next[v])
                    }
                }
            }
            memo[key] = out
            return out
        }
        features = (0..<L).map { reach($0, max(steps, 0)) } + [[BitSet](repeating: BitSet(count: columns), count: widths[L])]
    }
}
