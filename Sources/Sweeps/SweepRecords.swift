import Analysis
import Pruning
import SculptCore

/// `sweep.json`: which jobs a sweep directory holds; `--resume` continues only the same sweep.
public struct SweepState: VersionedRecord, Sendable {
    public static let formatTag = "sculpt-sweep/2"
    public var format = formatTag
    public var name: String
    /// Every job of the manifest, in its order (a shard runs some of them).
    public var jobs: [SweepJob]
    public var earlyStopPatience: Int?
    /// Which part of the jobs this directory runs (nil: all of them).
    public var shard: Shard?
    public var environment: Environment
}

/// Part `index` (1-based) of `count`: the jobs whose position in the manifest's order, counted from 0,
/// is `index − 1` modulo `count`. A job's shard depends only on its position, so the shards of one
/// manifest never overlap and always cover it.
public struct Shard: Codable, Sendable, Equatable, CustomStringConvertible {
    public var index: Int
    public var count: Int

    /// `K/N` with 1 ≤ K ≤ N.
    public init(parsing text: String) throws {
        let parts = text.split(separator: "/").map { Int($0) }
        guard parts.count == 2, let k = parts[0], let n = parts[1], n >= 1, (1...n).contains(k) else {
            throw ShardError(text: text)
        }
        index = k
        count = n
    }

    public func contains(position: Int) -> Bool { position % count == index - 1 }
    public var description: String { "\(index)/\(count)" }
}

public struct ShardError: Error, CustomStringConvertible, Equatable {
    public let text: String
    public var description: String { "'\(text)' is not a shard: give K/N with 1 ≤ K ≤ N, e.g. 2/4" }
}

/// `jobs/<job id>/result.json`: one finished job, what `--resume` reuses.
public struct JobResult: VersionedRecord, Sendable {
    public static let formatTag = "sculpt-sweep-job/1"
    public var format = formatTag
    public var job: SweepJob
    public var seconds: Double
    public var rows: [SweepRow]
}

/// One seed of one job: its selected network (the sparsest meeting the threshold), its modules and
/// the judge's verdict. One line of `results.jsonl`, one row of `results.csv`.
public struct SweepRow: Codable, Sendable, Equatable {
    public var task: String
    public var job: String
    public var arch: [Int]
    public var hiddenLayers: Int
    public var learningRate: Double
    public var batchSize: Int
    public var epochs: Int
    public var seed: UInt64
    public var accuracyThreshold: Double
    public var candidatesMeetingThreshold: Int
    public var candidates: Int
    /// Wall time of the whole job (all its seeds), the one field that differs between identical runs.
    public var jobSeconds: Double
    /// False when no (P_u, P_e) run of this seed met the accuracy threshold.
    public var selected: Bool
    public var unitStep: Double?
    public var edgeStep: Double?
    public var edges: Int?
    public var weights: Int?
    public var density: Double?
    public var accuracy: Double?
    /// Held-out test accuracy per bit of the selected network (tasks with a test split; reported, never
    /// used for selection).
    public var testAccuracy: Double? = nil
    /// Accuracy per image pair of the two-digit tasks on the validation and test splits.
    public var validationDigits: DigitAccuracy? = nil
    public var testDigits: DigitAccuracy? = nil
    public var condensedArch: [Int]?
    /// Each module as its `[layer, unit]` members.
    public var modules: [[[Int]]]?
    public var moduleCount: Int?
    /// The selected network's masks file, relative to the sweep directory.
    public var masks: String?
    /// nil for tasks without a judge; false when nothing was selected.
    public var judgeSuccess: Bool?
    public var judge: [String: Bool]?
    /// How many (P_u, P_e) runs of this seed end with the selected network's edge count and meet the
    /// threshold (1: no tie), and their steps, the selected pair first.
    public var tiedNetworks: Int? = nil
    public var tiedSteps: [[Double]]? = nil
    /// The paper's count over those tied networks: passed when any of them passes, overall and per
    /// criterion (equal to `judgeSuccess` and `judge` when there is no tie).
    public var tiedJudgeSuccess: Bool? = nil
    public var tiedJudge: [String: Bool]? = nil
    public var note: String?
}

extension SweepRow {
    /// The fixed columns of `results.csv`; one `judge_<criterion>` column per criterion follows.
    public static let csvColumns = [
        "task", "arch", "hidden_layers", "learning_rate", "batch_size", "epochs", "seed", "selected", "unit_step",
        "edge_step", "edges", "weights", "density", "accuracy", "test_accuracy", "validation_left_digit", "validation_right_digit",
        "validation_pairs", "test_left_digit", "test_right_digit", "test_pairs", "condensed_arch", "module_count", "judge_success",
        "tied_networks", "tied_judge_success",
    ]

    /// The fields of `csvColumns`, as CSV text (empty where there is no value).
    public var csvFields: [String] {
        func number(_ d: Double?) -> String { d.map { $0 == $0.rounded() && abs($0) < 1e15 ? String(Int($0)) : String($0) } ?? "" }
        func int(_ i: Int?) -> String { i.map(String.init) ?? "" }
        func bool(_ b: Bool?) -> String { b.map { $0 ? "true" : "false" } ?? "" }
        func widths(_ a: [Int]?) -> String { a.map { "\"[" + $0.map(String.init).joined(separator: ",") + "]\"" } ?? "" }
        return [
            CSV.field(task), widths(arch), int(hiddenLayers), number(learningRate), int(batchSize), int(epochs), String(seed), bool(selected),
            number(unitStep), number(edgeStep), int(edges), int(weights), number(density), number(accuracy), number(testAccuracy),
            number(validationDigits?.left), number(validationDigits?.right), number(validationDigits?.both), number(testDigits?.left),
            number(testDigits?.right), number(testDigits?.both), widths(condensedArch),
            int(moduleCount), bool(judgeSuccess), int(tiedNetworks), bool(tiedJudgeSuccess),
        ]
    }
}

/// CSV quoting (RFC 4180).
enum CSV {
    static func field(_ s: String) -> String {
        s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }
}
