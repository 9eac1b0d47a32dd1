import SculptCore
import Tasks

/// A unit of the original network: `layer` 0 = inputs, `L` = outputs; `unit` in original numbering.
public struct UnitRef: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let layer: Int
    public let unit: Int
    public init(_ layer: Int, _ unit: Int) { self.layer = layer; self.unit = unit }
    public static func < (a: UnitRef, b: UnitRef) -> Bool { (a.layer, a.unit) < (b.layer, b.unit) }
    public var description: String { "[\(layer),\(unit)]" }
}

/// Settings of module detection (docs/method.md §6, `--feature-steps`, `--test-steps`, `--merge-threshold`,
/// `--weak-modularity`). Nil steps mean the depth `L`, as every reference script uses.
public struct DetectionOptions: Equatable, Sendable, Codable {
    /// `s_f`: path lengths 1…s_f count as reachable in the features (docs/method.md §6.2); nil = `L`.
    public var featureSteps: Int?
    /// `s_c`: the tests compare over layers `l+1 … l+s_c` (docs/method.md §6.4); nil = `L`.
    public var testSteps: Int?
    /// `τ_m` for merging clusters across layers (docs/method.md §6.5).
    public var mergeThreshold: Double
    /// `τ_q`: `Q* > −τ_q` is weak modularity and consults the tests (docs/method.md §6.3).
    public var weakModularity: Double

    public init(featureSteps: Int? = nil, testSteps: Int? = nil, mergeThreshold: Double = 0.9, weakModularity: Double = 0.2) {
        self.featureSteps = featureSteps
        self.testSteps = testSteps
        self.mergeThreshold = mergeThreshold
        self.weakModularity = weakModularity
    }

    /// The thresholds the paper's scripts use for a task (docs/method.md §8): `τ_m = 0.6`, `τ_q = 0.3` for the
    /// two-digit vision tasks (`mnist-pairs`, `mnist-xor`), `0.9` / `0.2` for everything else.
    public static func defaults(forTask task: String?) -> DetectionOptions {
        if let task, VisionTaskKind(name: task) != nil {
            return DetectionOptions(mergeThreshold: 0.6, weakModularity: 0.3)
        }
        return DetectionOptions()
    }

    /// `defaults(forTask:)` with any of the given values in place of the defaults.
    public static func forTask(
        _ task: String?, featureSteps: Int? = nil, testSteps: Int? = nil,
        mergeThreshold: Double? = nil, weakModularity: Double? = nil
    ) -> DetectionOptions {
        var o = defaults(forTask: task)
        o.featureSteps = featureSteps
        o.testSteps = testSteps
        if let mergeThreshold { o.mergeThreshold = mergeThreshold }
        if let weakModularity { o.weakModularity = weakModularity }
        return o
    }

    /// The range of both thresholds, τ_m and τ_q (command line and manifests alike).
    public static let thresholdRange: ClosedRange<Double> = 0...1

    /// - Throws: `DetectionOptionsError` for steps below 1 or thresholds outside their range.
    public func validate() throws {
        if let s = featureSteps, !(1...1_000).contains(s) { throw DetectionOptionsError(option: "feature-steps", problem: "must be between 1 and 1000, got \(s)") }
        if let s = testSteps, !(1...1_000).contains(s) { throw DetectionOptionsError(option: "test-steps", problem: "must be between 1 and 1000, got \(s)") }
        guard Self.thresholdRange.contains(mergeThreshold) else {
            throw DetectionOptionsError(option: "merge-threshold", problem: "must lie in [0, 1], got \(mergeThreshold)")
        }
        guard Self.thresholdRange.contains(weakModularity) else {
            throw DetectionOptionsError(option: "weak-modularity", problem: "must lie in [0, 1], got \(weakModularity)")
        }
    }
}

/// An option outside its range: which one (as its CLI flag) and why.
public struct DetectionOptionsError: Error, CustomStringConvertible, Equatable {
    public let option: String
    public let problem: String
    public var description: String { "--\(option) \(problem)" }
}

/// An edge of the module DAG: `count` unit edges go from module `from` to module `to`.
public struct ModuleEdge: Hashable, Sendable {
    public let from: Int
    public let to: Int
    public let count: Int
}

/// Everything detection found for one masks file. Module indices are canonical: modules are sorted
/// by their first unit in (layer, original unit) order, so equal masks give equal results.
public struct DetectionResult: Equatable, Sendable {
    public let arch: [Int]
    public let task: String?
    /// The options with `s_f`, `s_c` resolved to numbers.
    public let featureSteps: Int
    public let testSteps: Int
    public let mergeThreshold: Double
    public let weakModularity: Double
    /// Surviving edges in the file, and their share of all weights (0…1).
    public let edgeCount: Int
    public let density: Double
    public let graph: CondensedGraph
    /// Per-layer clustering decisions, layers 0…L (the last is the unclustered output layer).
    public let layers: [LayerDecision]
    /// Modules, each a sorted list of original units.
    public let modules: [[UnitRef]]
    /// `moduleOf[l][u]` = module of original unit `u` of layer `l`; nil when condensation removed it.
    public let moduleOf: [[Int?]]
    /// Module DAG edges sorted by (from, to).
    public let moduleGraph: [ModuleEdge]
    public let hierarchy: Hierarchy
    /// The verdicts of the task's judge (docs/method.md §7.1), when `task` names a built-in family.
    public let judge: JudgeReport?

    public var condensedArch: [Int] { graph.condensedArch }
    public var depth: Int { arch.count - 1 }
    /// Surviving edges after condensation, original numbering, per weight layer.
    public var condensedEdges: [[MaskFile.Edge]] {
        (0..<depth).map { l in graph.edges[l].map { MaskFile.Edge(graph.kept[l][$0.source], graph.kept[l + 1][$0.target]) } }
    }
}
