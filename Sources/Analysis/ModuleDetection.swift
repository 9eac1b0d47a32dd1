import SculptCore

/// Module detection of docs/method.md §6 on the binary masks alone: condensation (docs/method.md §6.1), reachability
/// features (docs/method.md §6.2), per-layer UPGMA clustering with the modularity loss and the separability tests
/// (docs/method.md §6.3–§6.4), merging across layers (docs/method.md §6.5), the module DAG and its hierarchy (docs/method.md §6.6), and, when the
/// masks name a built-in task, the judge of docs/method.md §7.1.
///
/// Deterministic: the result depends only on `arch`, the set of edges and the options, never on the
/// order of the edges. Clustering ties are broken as documented on `AverageLinkage` (the pair
/// first in (lower index, higher index) order merges first); module indices are canonical (sorted by
/// each module's first unit in (layer, unit) order).
public enum ModuleDetection {
    /// - Precondition: `masks` is well formed (as `MaskFile(jsonData:)` guarantees) and `options`
    ///   passed `validate()`.
    public static func detect(_ masks: MaskFile, options: DetectionOptions = DetectionOptions()) -> DetectionResult {
        let arch = masks.arch
        let L = arch.count - 1
        precondition(L >= 1 && masks.edges.count == L, "masks need \(L) edge layers for arch \(arch)")
        let sf = options.featureSteps ?? L
        let sc = options.testSteps ?? L

        let graph = CondensedGraph(masks)
        let features = ReachabilityFeatures(graph, steps: sf)
        var layers: [LayerDecision] = (0..<L).map {
            LayerClustering.cluster(layer: $0, features: features, graph: graph, testSteps: sc, weakModularity: options.weakModularity)
        }
        layers.append(LayerClustering.outputLayer(L, units: graph.kept[L].count))

        let rawIds = ModuleMerging.merge(
            graph: graph, labels: layers.map(\.labels), clusterCounts: layers.map(\.k),
            threshold: options.mergeThreshold)
        // Canonical module numbering: by first unit in (layer, original unit) order.
        var canonical: [Int: Int] = [:]
        for l in 0...L { for id in rawIds[l] where canonical[id] == nil { canonical[id] = canonical.count } }
        let moduleOfKept = rawIds.map { $0.map { canonical[$0]! } }
        var modules = [[UnitRef]](repeating: [], count: canonical.count)
        var moduleOf: [[Int?]] = arch.map { [Int?](repeating: nil, count: $0) }
        for l in 0...L {
            for (u, orig) in graph.kept[l].enumerated() {
                let m = moduleOfKept[l][u]
                modules[m].append(UnitRef(l, orig))
                moduleOf[l][orig] = m
            }
        }
        var counts: [Int: Int] = [:]  // key from * M + to
        let M = modules.count
        for l in 0..<L {
            for e in graph.edges[l] {
                let a = moduleOfKept[l][e.source], b = moduleOfKept[l + 1][e.target]
                if a != b { counts[a * M + b, default: 0] += 1 }
            }
        }
        let moduleGraph = counts.keys.sorted().map { ModuleEdge(from: $0 / M, to: $0 % M, count: counts[$0]!) }
        let hierarchy = Hierarchy(modules: modules, moduleGraph: moduleGraph, graph: graph, moduleOfKept: moduleOfKept)

        let weights = (0..<L).reduce(0) { $0 + arch[$1] * arch[$1 + 1] }
        let partial = DetectionResult(
            arch: arch, task: masks.task, featureSteps: sf, testSteps: sc, mergeThreshold: options.mergeThreshold,
            weakModularity: options.weakModularity, edgeCount: masks.edgeCount,
            density: weights > 0 ? Double(masks.edgeCount) / Double(weights) : 0, graph: graph, layers: layers,
            modules: modules, moduleOf: moduleOf, moduleGraph: moduleGraph, hierarchy: hierarchy, judge: nil)
        guard let task = masks.task, let judge = Judge.judge(task: task, result: partial) else { return partial }
        return partial.withJudge(judge)
    }
}

extension DetectionResult {
    func withJudge(_ judge: JudgeReport) -> DetectionResult {
        DetectionResult(
            arch: arch, task: task, featureSteps: featureSteps, testSteps: testSteps, mergeThreshold: mergeThreshold,
            weakModularity: weakModularity, edgeCount: edgeCount, density: density, graph: graph, layers: layers,
            modules: modules, moduleOf: moduleOf, moduleGraph: moduleGraph, hierarchy: hierarchy, judge: judge)
    }
}
