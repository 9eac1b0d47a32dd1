// One sweep job (a task × architecture × hyper-parameters, run for several seeds and every
// (P_u, P_e) pair) and a manifest of jobs. Schema and defaults: docs/sweeps.md.
import Analysis
import Pruning
import SculptCore

/// One (task, architecture, lr, batch, epochs): the engine runs it for every seed, every unit step
/// `P_u` and every edge step `P_e` (or for the listed `chains`), and keeps the sparsest pair per seed
/// that meets the accuracy threshold (docs/method.md §5).
public struct SweepJob: Codable, Sendable, Equatable {
    /// Built-in task name (xor-pairs, non-modular, and-or, reuse-U, overlap-O-U, hierarchy-U) or a task file path.
    public var task: String
    /// Layer widths `[n0, …, nL]`, inputs and outputs included.
    public var arch: [Int]
    public var learningRate: Double
    public var batchSize: Int
    /// Epochs of every (re)training.
    public var epochs: Int
    public var seeds: [UInt64]
    /// `P_u` values (%), each an independent unit-pruning run.
    public var unitSteps: [Double]
    /// `P_e` values (%), each an independent edge-pruning run after every unit-pruning run.
    public var edgeSteps: [Double]
    /// Per-bit test accuracy (%) a pruned network must keep to be accepted.
    public var accuracyThreshold: Double
    public var detection: DetectionOptions
    /// Training, pruning and data options beyond the hyper-parameters (defaults: `sculpt run`'s).
    public var options: SweepJobOptions
    /// Set by the manifest parser when another job of the manifest has the same task and
    /// architecture: `id` then also names lr, batch and epochs.
    public var hyperparametersInID: Bool
    /// The exact (seed, `P_u`, `P_e`) chains to run instead of every seed × `P_u` × `P_e` (the
    /// manifest's `chains`); `seeds`, `unitSteps` and `edgeSteps` then hold the values they use.
    public var chains: [Chain]?

    public static let defaultSeeds: [UInt64] = [0, 1, 2, 5]
    /// 70, 65, …, 5 (docs/method.md §5).
    public static let defaultUnitSteps: [Double] = stride(from: 70, through: 5, by: -5).map(Double.init)
    /// The `--pruning_gradient` default (docs/method.md §8).
    public static let defaultEdgeSteps: [Double] = [2.5, 2.0, 1.5, 1.0, 0.5]
    public static let defaultAccuracyThreshold: Double = 100

    public init(
        task: String, arch: [Int], learningRate: Double, batchSize: Int, epochs: Int,
        seeds: [UInt64] = SweepJob.defaultSeeds,
        unitSteps: [Double] = SweepJob.defaultUnitSteps,
        edgeSteps: [Double] = SweepJob.defaultEdgeSteps,
        accuracyThreshold: Double = SweepJob.defaultAccuracyThreshold,
        detection: DetectionOptions = DetectionOptions(),
        options: SweepJobOptions = SweepJobOptions(),
        hyperparametersInID: Bool = false,
        chains: [Chain]? = nil
    ) {
        self.chains = chains
        self.task = task
        self.arch = arch
        self.learningRate = learningRate
        self.batchSize = batchSize
        self.epochs = epochs
        self.seeds = seeds
        self.unitSteps = unitSteps
        self.edgeSteps = edgeSteps
        self.accuracyThreshold = accuracyThreshold
        self.detection = detection
        self.options = options
        self.hyperparametersInID = hyperparametersInID
    }

    private enum CodingKeys: String, CodingKey {
        case task, arch, learningRate, batchSize, epochs, seeds, unitSteps, edgeSteps, accuracyThreshold,
            detection, options, chains
        // The stored key is hyperparameters_in_id; snake_case decoding turns it into this spelling.
        case hyperparametersInID = "hyperparametersInId"
    }

    /// `task`, `arch`, `learningRate`, `batchSize` and `epochs` are required; the rest take the defaults.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        task = try c.decode(String.self, forKey: .task)
        arch = try c.decode([Int].self, forKey: .arch)
        learningRate = try c.decode(Double.self, forKey: .learningRate)
        batchSize = try c.decode(Int.self, forKey: .batchSize)
        epochs = try c.decode(Int.self, forKey: .epochs)
        seeds = try c.decodeIfPresent([UInt64].self, forKey: .seeds) ?? SweepJob.defaultSeeds
        unitSteps = try c.decodeIfPresent([Double].self, forKey: .unitSteps) ?? SweepJob.defaultUnitSteps
        edgeSteps = try c.decodeIfPresent([Double].self, forKey: .edgeSteps) ?? SweepJob.defaultEdgeSteps
        accuracyThreshold =
            try c.decodeIfPresent(Double.self, forKey: .accuracyThreshold)
            ?? SweepJob.defaultAccuracyThreshold
        detection = try c.decodeIfPresent(DetectionOptions.self, forKey: .detection) ?? DetectionOptions()
        options = try c.decodeIfPresent(SweepJobOptions.self, forKey: .options) ?? SweepJobOptions()
        hyperparametersInID = try c.decodeIfPresent(Bool.self, forKey: .hyperparametersInID) ?? false
        chains = try c.decodeIfPresent([Chain].self, forKey: .chains)
    }

    /// Stable and filesystem-safe: `<task>/<widths joined by ->`, e.g. `xor-pairs/4-24-4`, plus
    /// `-lr0.05-b8-e15` when `hyperparametersInID` is set. A task file path contributes its file
    /// name without extension, characters outside `A–Z a–z 0–9 . _ -` replaced by `_`.
    public var id: String {
        var id = SweepJob.idComponent(task) + "/" + arch.map(String.init).joined(separator: "-")
        if hyperparametersInID {
            id += "-lr\(SweepJob.format(learningRate))-b\(batchSize)-e\(epochs)"
        }
        return id
    }

    /// Number of hidden layers (`L − 1`).
    public var hiddenLayers: Int { arch.count - 2 }

    /// Number of weight layers `L`.
    public var depth: Int { arch.count - 1 }

    /// The architecture as a SculptCore value (throws for fewer than 2 widths or a width below 1,
    /// which a parsed manifest never has).
    public func architecture() throws -> Architecture { try Architecture(arch) }

    /// `s_f` actually used: `detection.featureSteps`, or the depth `L`.
    public var resolvedFeatureSteps: Int { detection.featureSteps ?? depth }
    /// `s_c` actually used: `detection.testSteps`, or the depth `L`.
    public var resolvedTestSteps: Int { detection.testSteps ?? depth }

    static func idComponent(_ task: String) -> String {
        var name = task
        if name.contains("/") { name = String(name[name.index(after: name.lastIndex(of: "/")!)...]) }
        if let dot = name.lastIndex(of: "."), dot != name.startIndex { name = String(name[..<dot]) }
        let safe = String(
            name.map { c -> Character in
                c.isASCII && (c.isLetter || c.isNumber || c == "." || c == "_" || c == "-") ? c : "_"
            })
        return safe.isEmpty || safe == "." || safe == ".." ? "task" : safe
    }

    /// `0.05` → `"0.05"`, `0.1` → `"0.1"`, `1` → `"1"`.
    static func format(_ x: Double) -> String {
        if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
        return "\(x)"
    }
}

/// A named, flattened list of jobs, in manifest order.
public struct SweepManifest: Sendable, Equatable {
    public var name: String
    public var jobs: [SweepJob]

    public init(name: String, jobs: [SweepJob]) {
        self.name = name
        self.jobs = jobs
    }

    /// Parses a YAML manifest (schema: docs/sweeps.md). `name` labels error messages
    /// (`"<name>: <field>: <problem>"`) and, without a trailing `.yaml`/`.yml` and leading folders,
    /// is the manifest's name unless the YAML has a `name:` key.
    /// - Throws: `ManifestError`.
    public static func parse(yaml: String, name: String) throws -> SweepManifest {
        try ManifestParser(source: name).parse(yaml)
    }

    /// The jobs whose task is one of `tasks` (`sweep --only`), in manifest order.
    /// - Throws: `ManifestError` when no job has any of them, naming the manifest's tasks.
    public func jobs(ofTasks tasks: [String]) throws -> [SweepJob] {
        let kept = jobs.filter { tasks.contains($0.task) }
        guard kept.isEmpty else { return kept }
        var all: [String] = []
        for j in jobs where !all.contains(j.task) { all.append(j.task) }
        throw ManifestError(file: name, field: "", problem: "--only \(tasks.joined(separator: ",")): no job has that task (its tasks: \(all.joined(separator: ", ")))")
    }

    /// Total number of (job, seed) runs.
    public var runCount: Int { jobs.reduce(0) { $0 + $1.seeds.count } }
}
