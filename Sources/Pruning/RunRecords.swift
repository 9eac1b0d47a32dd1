import Foundation
import Analysis
import SculptCore
import Tasks
import Training

/// `run.json` of `sculpt run`: what was run, where, and one summary per model.
public struct RunRecord: VersionedRecord, Sendable {
    public static let formatTag = "sculpt-run/2"
    public var format = formatTag
    public var task: String
    public var arch: [Int]
    public var config: PipelineConfig
    /// `--cleanup`: edges the loss does not need were removed after edge pruning.
    public var cleanup: Bool
    public var detection: DetectionOptions
    /// How a vision task's rows were made (nil for Boolean tasks).
    public var data: VisionSettings?
    public var environment: Environment
    public var seconds: Double
    public var models: [ModelSummary]
}

/// One (seed, P_u, P_e) model of a run.
public struct ModelSummary: Codable, Sendable, Equatable {
    /// `s<seed>-u<P_u>-e<P_e>`, also its folder under `models/`.
    public var id: String
    public var seed: UInt64
    public var unitStep: Double
    public var edgeStep: Double
    public var unitRoundsTried: Int
    public var unitRoundsAccepted: Int
    public var edgeRoundsTried: Int
    public var edgeRoundsAccepted: Int
    public var hiddenUnits: Int
    public var edges: Int
    public var weights: Int
    public var density: Double
    /// Validation accuracy (percent) of the final network.
    public var accuracy: Double
    public var denseAccuracy: Double
    public var unitAccepted: Bool
    public var edgeAccepted: Bool
    /// Held-out test accuracy (vision tasks; reported, never used for a decision).
    public var testAccuracy: Double?
    /// Per-pair accuracy of the two-digit tasks on the validation and test splits (absent for others).
    public var validationDigits: DigitAccuracy? = nil
    public var testDigits: DigitAccuracy? = nil
    public var cleanup: CleanupSummary?
    public var condensedArch: [Int]
    public var modules: Int
    /// The judge's verdict, nil for tasks without one.
    public var judgeSuccess: Bool?
    /// Each criterion of the judge by name.
    public var judge: [String: Bool]?
    /// Why a stage kept the earlier network, when it did.
    public var note: String?

    /// The judge's failed criteria, sorted.
    public var failedCriteria: [String] { (judge ?? [:]).filter { !$0.value }.keys.sorted() }
}

/// What `--cleanup` did to one model.
public struct CleanupSummary: Codable, Sendable, Equatable {
    public var removedEdges: Int
    public var passes: Int
    public var lossBefore: Double
    public var lossAfter: Double
    public var hostAccuracyBefore: Double
    public var hostAccuracyAfter: Double
    public var seconds: Double
}

extension CleanupSummary {
    /// What one `EdgeCleanup` run did, and the seconds it took since `began`.
    init(_ r: EdgeCleanup.Result, since began: Date) {
        self.init(
            removedEdges: r.removed.count, passes: r.passes, lossBefore: r.lossBefore, lossAfter: r.lossAfter,
            hostAccuracyBefore: r.accuracyBefore, hostAccuracyAfter: r.accuracyAfter, seconds: Date().timeIntervalSince(began))
    }
}

/// `models/<id>/history.json`: every training result and every attempted pruning target.
public struct HistoryRecord: VersionedRecord, Sendable {
    public static let formatTag = "sculpt-history/1"
    public var format = formatTag
    public var dense: TrainingResult
    public var unitAttempts: [PruneAttempt]
    public var base: TrainingResult
    public var edgeAttempts: [PruneAttempt]

    public init(_ o: ModelOutcome) {
        dense = o.dense
        unitAttempts = o.unitAttempts
        base = o.base
        edgeAttempts = o.edgeAttempts
    }
}

/// `models/<id>/weights.json`: every weight (masked ones included) and bias, per layer.
public struct WeightsRecord: VersionedRecord, Sendable {
    public static let formatTag = "sculpt-weights/1"
    public var format = formatTag
    public var arch: [Int]
    /// Per layer, row-major `[n_out][n_in]`.
    public var weights: [[Float]]
    /// Per layer, `n_out` each.
    public var biases: [[Float]]

    /// - Parameter biases: all layers' biases concatenated, as populations hold them.
    public init(arch: Architecture, weights: [[Float]], biases: [Float]) {
        self.arch = arch.widths
        self.weights = weights
        var rest = biases[...]
        self.biases = arch.widths.dropFirst().map { n in
            defer { rest = rest.dropFirst(n) }
            return Array(rest.prefix(n))
        }
    }
}

/// The training settings a user gives; the options of a task follow from them and the task's kind.
public struct TrainingSettings: Codable, Sendable, Equatable {
    public var epochs: Int
    public var batchSize: Int
    public var weightDecay: Float = 1e-4
    /// nil: the task's default (0.1 on Boolean inputs, 0 on images).
    public var noise: Float? = nil
    public var dropout: Float = 0
    public var initialization: WeightInitialization = .kaimingNormal
    /// The loss the best-epoch rule compares; nil: the mean (records written before this option).
    public var snapshotLoss: SnapshotLoss? = nil
    /// The BCE gradient; nil: from the logits (records written before this option).
    public var bceGradient: BCEGradient? = nil

    public init(
        epochs: Int, batchSize: Int, weightDecay: Float = 1e-4, noise: Float? = nil, dropout: Float = 0,
        initialization: WeightInitialization = .kaimingNormal, snapshotLoss: SnapshotLoss? = nil, bceGradient: BCEGradient? = nil
    ) {
        self.snapshotLoss = snapshotLoss
        self.bceGradient = bceGradient
        self.epochs = epochs
        self.batchSize = batchSize
        self.weightDecay = weightDecay
        self.noise = noise
        self.dropout = dropout
        self.initialization = initialization
    }

    /// The options for `task`: softmax cross-entropy for the 10-class tasks, BCE otherwise.
    public func options(for task: TaskData) -> TrainingOptions {
        TrainingOptions(
            epochs: epochs, batchSize: batchSize, weightDecay: weightDecay, noise: task.defaultNoise(noise),
            loss: task.isClassification ? .softmaxCrossEntropy : .bce, dropout: dropout, initialization: initialization,
            snapshotLoss: snapshotLoss ?? .mean, bceGradient: bceGradient ?? .logits)
    }
}

/// Short, stable text for a percentage in ids and tables: 70, 2.5, 83.125.
public func percentText(_ v: Double) -> String {
    v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : String(v)
}
