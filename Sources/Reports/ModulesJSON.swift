import Analysis
import Foundation
import SculptCore

/// `sculpt-modules/1`: one detection result (fields: docs/analysis.md). Written as `modules.json` and,
/// one per line, by `sculpt analyze --json`. Absent values are written as `null`.
public struct ModulesRecord: Encodable, Sendable {
    public var format = ModuleReport.formatTag
    public var file: String?
    public var task: String?
    public var arch: [Int]
    public var condensedArch: [Int]
    public var edges: Int
    public var condensedEdges: Int
    public var density: Double
    public var options: Options
    /// Each module as its `[layer, unit]` members.
    public var modules: [[[Int]]]
    /// `[from, to, edge count]` per edge of the module graph.
    public var moduleGraph: [[Int]]
    public var layers: [Layer]
    public var hierarchy: HierarchyRecord
    public var judge: JudgeRecord?

    public struct Options: Codable, Sendable {
        public var featureSteps: Int
        public var testSteps: Int
        public var mergeThreshold: Double
        public var weakModularity: Double
    }

    public struct Layer: Encodable, Sendable {
        public var layer: Int
        public var units: Int
        public var clustered: Bool
        public var k: Int
        public var kQ: Int?
        public var qStar: Double?
        /// `[k, Q]` for every k tried.
        public var q: [[Double]]
        public var testsConsulted: Bool
        public var verdict: Int?
        public var separate: Test?
        public var single: Test?

        enum CodingKeys: String, CodingKey { case layer, units, clustered, k, kQ = "k_q", qStar, q, testsConsulted, verdict, separate, single }

        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(layer, forKey: .layer)
            try c.encode(units, forKey: .units)
            try c.encode(clustered, forKey: .clustered)
            try c.encode(k, forKey: .k)
            try c.encode(kQ, forKey: .kQ)  // null when absent
            try c.encode(qStar, forKey: .qStar)
            try c.encode(q, forKey: .q)
            try c.encode(testsConsulted, forKey: .testsConsulted)
            try c.encode(verdict, forKey: .verdict)
            try c.encodeIfPresent(separate, forKey: .separate)
            try c.encodeIfPresent(single, forKey: .single)
        }
    }

    public struct Test: Codable, Sendable {
        public var kI: Int
        public var kJ: Int
        public var kIj: Int
        public var n: Int
        public var e: Double
        public var sigma: Double
        public var fires: Bool
        public var score: Double
        enum CodingKeys: String, CodingKey { case kI = "k_i", kJ = "k_j", kIj = "k_ij", n, e, sigma, fires, score }
    }

    public struct HierarchyRecord: Codable, Sendable {
        public var modules: [Module]
        public var levels: [[Int]]
        public var reused: [Int]
        public var inputSeparable: [Int]
        public var acyclic: Bool

        public struct Module: Codable, Sendable {
            public var index: Int
            public var layers: [Int]
            public var inputs: [Int]
            public var outputs: [Int]
            public var hiddenUnits: Int
            public var predecessors: [Int]
            public var successors: [Int]
            public var inputSupport: [Int]
            public var level: Int
            public var hiddenOnly: Bool
        }
    }

    public struct JudgeRecord: Codable, Sendable {
        public var task: String
        public var success: Bool
        public var criteria: [Criterion]
        public var mismatch: String?
        public struct Criterion: Codable, Sendable { public var name: String; public var passed: Bool; public var detail: String }
    }

    enum CodingKeys: String, CodingKey {
        case format, file, task, arch, condensedArch, edges, condensedEdges, density, options, modules, moduleGraph, layers, hierarchy, judge
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(format, forKey: .format)
        try c.encode(file, forKey: .file)  // null when absent
        try c.encode(task, forKey: .task)
        try c.encode(arch, forKey: .arch)
        try c.encode(condensedArch, forKey: .condensedArch)
        try c.encode(edges, forKey: .edges)
        try c.encode(condensedEdges, forKey: .condensedEdges)
        try c.encode(density, forKey: .density)
        try c.encode(options, forKey: .options)
        try c.encode(modules, forKey: .modules)
        try c.encode(moduleGraph, forKey: .moduleGraph)
        try c.encode(layers, forKey: .layers)
        try c.encode(hierarchy, forKey: .hierarchy)
        try c.encodeIfPresent(judge, forKey: .judge)
    }
}

/// The `--json` line of a file that could not be analysed.
struct ModulesErrorRecord: Encodable {
    var format = ModuleReport.formatTag
    var file: String
    var field: String?
    var error: String
}

extension ModuleReport {
    /// The `sculpt-modules/1` record of one result.
    public static func record(_ r: DetectionResult, file: String?) -> ModulesRecord {
        let h = r.hierarchy
        return ModulesRecord(
            file: file, task: r.task, arch: r.arch, condensedArch: r.condensedArch, edges: r.edgeCount,
            condensedEdges: r.graph.edges.reduce(0) { $0 + $1.count }, density: r.density,
            options: .init(featureSteps: r.featureSteps, testSteps: r.testSteps, mergeThreshold: r.mergeThreshold, weakModularity: r.weakModularity),
            modules: r.modules.map { $0.map { [$0.layer, $0.unit] } }, moduleGraph: r.moduleGraph.map { [$0.from, $0.to, $0.count] },
            layers: r.layers.map { d in
                ModulesRecord.Layer(
                    layer: d.layer, units: d.units, clustered: d.clustered, k: d.k, kQ: d.kQ, qStar: d.qStar,
                    q: d.modularity.map { [Double($0.k), $0.q] }, testsConsulted: d.testsConsulted, verdict: d.verdict,
                    separate: d.separate.map(test), single: d.single.map(test))
            },
            hierarchy: .init(
                modules: h.modules.map { m in
                    .init(
                        index: m.index, layers: m.layers, inputs: m.inputs, outputs: m.outputs, hiddenUnits: m.hiddenUnits, predecessors: m.predecessors,
                        successors: m.successors, inputSupport: m.inputSupport, level: m.level, hiddenOnly: m.hiddenOnly)
                }, levels: h.levels, reused: h.reused, inputSeparable: h.inputSeparable, acyclic: h.acyclic),
            judge: r.judge.map { j in
                .init(
                    task: j.task, success: j.success, criteria: j.criteria.map { .init(name: $0.name, passed: $0.passed, detail: $0.detail) },
                    mismatch: j.mismatch)
            })
    }

    static func test(_ t: SeparabilityTest) -> ModulesRecord.Test {
        .init(kI: t.ki, kJ: t.kj, kIj: t.kij, n: t.candidates, e: t.expected, sigma: t.sigma, fires: t.fires, score: t.score)
    }
}
