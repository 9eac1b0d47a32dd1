import Analysis
import Foundation

extension ModuleReport {
    /// The `sculpt-modules/1` object of one result (fields: docs/analysis.md). JSONSerialization-ready.
    public static func jsonObject(_ r: DetectionResult, file: String?) -> [String: Any] {
        var o: [String: Any] = [
            "format": formatTag,
            "file": file.map { $0 as Any } ?? NSNull(),
            "task": r.task.map { $0 as Any } ?? NSNull(),
            "arch": r.arch,
            "condensed_arch": r.condensedArch,
            "edges": r.edgeCount,
            "condensed_edges": r.graph.edges.reduce(0) { $0 + $1.count },
            "density": r.density,
            "options": ["feature_steps": r.featureSteps, "test_steps": r.testSteps,
                        "merge_threshold": r.mergeThreshold, "weak_modularity": r.weakModularity] as [String: Any],
            "modules": r.modules.map { $0.map { [$0.layer, $0.unit] } },
            "module_graph": r.moduleGraph.map { [$0.from, $0.to, $0.count] },
            "layers": r.layers.map(layerObject),
            "hierarchy": hierarchyObject(r.hierarchy),
        ]
        if let j = r.judge { o["judge"] = judgeObject(j) }
        return o
    }

    static func layerObject(_ d: LayerDecision) -> [String: Any] {
        var o: [String: Any] = [
            "layer": d.layer, "units": d.units, "clustered": d.clustered, "k": d.k,
            "k_q": d.kQ.map { $0 as Any } ?? NSNull(),
            "q_star": d.qStar.map { $0 as Any } ?? NSNull(),
            "q": d.modularity.map { [$0.k, $0.q] as [Any] },
            "tests_consulted": d.testsConsulted,
            "verdict": d.verdict.map { $0 as Any } ?? NSNull(),
        ]
        if let s = d.separate { o["separate"] = testObject(s) }
        if let s = d.single { o["single"] = testObject(s) }
        return o
    }

    static func testObject(_ t: SeparabilityTest) -> [String: Any] {
        ["k_i": t.ki, "k_j": t.kj, "k_ij": t.kij, "n": t.candidates, "e": t.expected, "sigma": t.sigma,
         "fires": t.fires, "score": t.score]
    }

    static func hierarchyObject(_ h: Hierarchy) -> [String: Any] {
        [
            "modules": h.modules.map { m -> [String: Any] in
                ["index": m.index, "layers": m.layers, "inputs": m.inputs, "outputs": m.outputs,
                 "hidden_units": m.hiddenUnits, "predecessors": m.predecessors, "successors": m.successors,
                 "input_support": m.inputSupport, "level": m.level, "hidden_only": m.hiddenOnly]
            },
            "levels": h.levels,
            "reused": h.reused,
            "input_separable": h.inputSeparable,
            "acyclic": h.acyclic,
        ]
    }

    static func judgeObject(_ j: JudgeReport) -> [String: Any] {
        var o: [String: Any] = [
            "task": j.task, "success": j.success,
            "criteria": j.criteria.map { ["name": $0.name, "passed": $0.passed, "detail": $0.detail] as [String: Any] },
        ]
        if let m = j.mismatch { o["mismatch"] = m }
        return o
    }
}
