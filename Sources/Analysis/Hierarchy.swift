/// The hierarchy read off the module DAG (docs/method.md §6.6, made explicit).
public struct Hierarchy: Equatable, Sendable {
    public struct Module: Equatable, Sendable {
        public let index: Int
        /// Layers that hold units of the module, ascending.
        public let layers: [Int]
        /// Network inputs (`In(M)`) and outputs (`Out(M)`) that belong to the module, original numbering.
        public let inputs: [Int]
        public let outputs: [Int]
        /// Number of hidden units in the module.
        public let hiddenUnits: Int
        /// Modules with an edge into / out of this one, ascending.
        public let predecessors: [Int]
        public let successors: [Int]
        /// Network inputs with a path to some unit of the module (its own inputs included).
        public let inputSupport: [Int]
        /// Longest path (in module-DAG edges) from a module without predecessors.
        public let level: Int
        /// Neither inputs nor outputs.
        public var hiddenOnly: Bool { inputs.isEmpty && outputs.isEmpty }
    }

    public let modules: [Module]
    /// Modules that feed two or more modules.
    public let reused: [Int]
    /// Modules whose input support is disjoint from that of every other module that is neither an
    /// ancestor nor a descendant (and there is at least one such module with inputs to compare with).
    public let inputSeparable: [Int]
    /// Modules grouped by level, level 0 first.
    public let levels: [[Int]]
    /// False when the module graph has a cycle (possible when a module spans layers around another);
    /// levels are then computed on its strongly connected components.
    public let acyclic: Bool

    init(modules: [[UnitRef]], moduleGraph: [ModuleEdge], graph: CondensedGraph, moduleOfKept: [[Int]]) {
        let m = modules.count
        let L = graph.depth
        var succ = [[Int]](repeating: [], count: m)
        var pred = [[Int]](repeating: [], count: m)
        for e in moduleGraph { succ[e.from].append(e.to); pred[e.to].append(e.from) }

        // Input support per kept unit, forward over the layers.
        let nIn = graph.kept[0].count
        var support = graph.kept[0].indices.map { i -> BitSet in
            var b = BitSet(count: nIn); b[i] = true; return b
        }
        var moduleSupport = [BitSet](repeating: BitSet(count: nIn), count: m)
        for (u, s) in support.enumerated() { moduleSupport[moduleOfKept[0][u]].formUnion(s) }
        for l in 0..<L {
            var next = [BitSet](repeating: BitSet(count: nIn), count: graph.kept[l + 1].count)
            for e in graph.edges[l] { next[e.target].formUnion(support[e.source]) }
            for (u, s) in next.enumerated() { moduleSupport[moduleOfKept[l + 1][u]].formUnion(s) }
            support = next
        }

        // Strongly connected components (Tarjan, iterative), then levels and ancestry on their DAG.
        let comp = Self.components(succ)
        let nc = (comp.max() ?? -1) + 1
        var compSucc = [Set<Int>](repeating: [], count: nc)
        for a in 0..<m { for b in succ[a] where comp[a] != comp[b] { compSucc[comp[a]].insert(comp[b]) } }
        // Tarjan numbers components in reverse topological order: successors get smaller numbers.
        var compLevel = [Int](repeating: 0, count: nc)
        for c in stride(from: nc - 1, through: 0, by: -1) {
            for d in compSucc[c] { compLevel[d] = max(compLevel[d], compLevel[c] + 1) }
        }
        var reach = [BitSet](repeating: BitSet(count: nc), count: nc)  // strict descendants
        for c in 0..<nc {
            for d in compSucc[c] { reach[c][d] = true; reach[c].formUnion(reach[d]) }
        }
        var infos: [Module] = []
        for i in 0..<m {
            let units = modules[i]
            infos.append(
                Module(
                    index: i,
                    layers: Array(Set(units.map(\.layer))).sorted(),
                    inputs: units.filter { $0.layer == 0 }.map(\.unit),
                    outputs: units.filter { $0.layer == L }.map(\.unit),
                    hiddenUnits: units.filter { $0.layer > 0 && $0.layer < L }.count,
                    predecessors: pred[i].sorted(),
                    successors: succ[i].sorted(),
                    inputSupport: moduleSupport[i].elements.map { graph.kept[0][$0] },
                    level: compLevel[comp[i]]))
        }
        var separable: [Int] = []
        for i in 0..<m where moduleSupport[i].cardinality > 0 {
            var compared = 0
            var disjoint = true
            for j in 0..<m where j != i && moduleSupport[j].cardinality > 0 {
                let ci = comp[i], cj = comp[j]
                if ci == cj || reach[ci][cj] || reach[cj][ci] { continue }
                compared += 1
                if moduleSupport[i].intersectionCount(moduleSupport[j], in: 0..<nIn) > 0 { disjoint = false; break }
            }
            if disjoint && compared > 0 { separable.append(i) }
        }
        let maxLevel = infos.map(\.level).max() ?? -1
        self.modules = infos
        reused = infos.filter { $0.successors.count >= 2 }.map(\.index)
        inputSeparable = separable
        levels = maxLevel < 0 ? [] : (0...maxLevel).map { lv in infos.filter { $0.level == lv }.map(\.index) }
        acyclic = nc == m
    }

    /// Component number of every node; components come out in reverse topological order.
    static func components(_ succ: [[Int]]) -> [Int] {
        let n = succ.count
        var index = [Int](repeating: -1, count: n)
        var low = [Int](repeating: 0, count: n)
        var onStack = [Bool](repeating: false, count: n)
        var comp = [Int](repeating: -1, count: n)
        var stack: [Int] = []
        var counter = 0
        var nComp = 0
        for root in 0..<n where index[root] < 0 {
            var work: [(node: Int, next: Int)] = [(root, 0)]
            index[root] = counter; low[root] = counter; counter += 1
            stack.append(root); onStack[root] = true
            while let top = work.last {
                let v = top.node
                if top.next < succ[v].count {
                    work[work.count - 1].next += 1
                    let w = succ[v][top.next]
                    if index[w] < 0 {
                        index[w] = counter; low[w] = counter; counter += 1
                        stack.append(w); onStack[w] = true
                        work.append((w, 0))
                    } else if onStack[w] {
                        low[v] = min(low[v], index[w])
                    }
                } else {
                    work.removeLast()
                    if let parent = work.last { low[parent.node] = min(low[parent.node], low[v]) }
                    if low[v] == index[v] {
                        while true {
                            let w = stack.removeLast()
                            onStack[w] = false
                            comp[w] = nComp
                            if w == v { break }
                        }
                        nComp += 1
                    }
                }
            }
        }
        return comp
    }
}
