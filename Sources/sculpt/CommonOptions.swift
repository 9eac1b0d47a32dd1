import Analysis
import ArgumentParser
import CLRuntime
import Foundation
import OpenCLBackend
import ReferenceBackend
import SculptCore
import Tasks
import Training

/// Which implementation of the kernels runs the work.
enum BackendKind: String, ExpressibleByArgument, CaseIterable {
    case opencl, reference
}

/// `--backend` and `--device`, shared by every command that trains.
struct BackendOptions: ParsableArguments {
    @Option(help: "Kernel implementation: opencl (the device) or reference (plain Swift on the host, slow; the specification).")
    var backend: BackendKind = .opencl

    @OptionGroup var device: DeviceOptions

    /// Calls `body` with the chosen backend (generic, so the work specialises per backend).
    func with<R>(_ body: (any ComputeBackend) throws -> R) throws -> R {
        switch backend {
        case .reference: return try body(ReferenceBackend())
        case .opencl: return try body(try OpenCLBackend(device: device.choose()))
        }
    }
}

/// The task and the training hyper-parameters of spec §2–§3.
struct TrainingFlags: ParsableArguments {
    @Option(help: "A built-in task (see `sculpt tasks`) or a task file.")
    var task: String

    @Option(help: "Layer widths, inputs first, e.g. 4,24,4.")
    var arch: String

    @Option(help: "Adam learning rate (constant).")
    var lr: Float

    @Option(name: .customLong("batch-size"), help: "Mini-batch size.")
    var batchSize: Int

    @Option(help: "Epochs of every (re)training (required, except with --prune gradual: dense + prune epochs).")
    var epochs: Int?

    @Option(help: "Comma-separated model seeds; each is one model of the population.")
    var seeds: String = "0"

    @Option(name: .customLong("weight-decay"), help: "Coupled L2 weight decay added to the gradient.")
    var weightDecay: Float = 1e-4

    @Option(help: "σ of the Gaussian noise on training inputs, redrawn each time a sample is drawn; 0 turns it off (default 0.1 for Boolean tasks, 0 for vision tasks).")
    var noise: Float?

    @Option(help: "Dropout rate after every hidden layer in training (inverted dropout; never in evaluation). 0 turns it off.")
    var dropout: Float = 0

    @Option(help: "Weight initialisation: kaiming (N(0, 2/n_in)) or glorot (U(±sqrt(6/(n_in+n_out))), Keras' default).")
    var `init`: InitKind = .kaiming

    @OptionGroup var vision: VisionFlags

    func seedList() throws -> [UInt64] {
        let parts = seeds.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        guard !parts.isEmpty else { throw ValidationError("--seeds needs at least one seed") }
        let list = try parts.map { s -> UInt64 in
            guard let v = UInt64(s) else { throw ValidationError("--seeds: '\(s)' is not a non-negative integer") }
            return v
        }
        guard Set(list).count == list.count else { throw ValidationError("--seeds: seeds must be distinct") }
        return list
    }

    func architecture() throws -> Architecture { try Architecture(parsing: arch) }

    /// The training options; `epochs` overrides `--epochs` (gradual pruning computes its own).
    /// The 10-class tasks train with softmax cross-entropy, every other task with BCE.
    /// - Throws: `ValidationError` when no epoch count is given.
    func options(for data: TaskData, epochs override: Int? = nil) throws -> TrainingOptions {
        guard let e = override ?? epochs else { throw ValidationError("missing --epochs (the number of epochs of every (re)training)") }
        return TrainingOptions(epochs: e, batchSize: batchSize, weightDecay: weightDecay, noise: data.defaultNoise(noise),
                               loss: data.isClassification ? .softmaxCrossEntropy : .bce, dropout: dropout,
                               initialization: `init`.initialization)
    }

    func loadTask() throws -> TaskData { try TaskData.load(task, vision: vision.settings) }
}

/// `--init`.
enum InitKind: String, ExpressibleByArgument, CaseIterable {
    case kaiming, glorot

    var initialization: WeightInitialization { self == .kaiming ? .kaimingNormal : .glorotUniform }
}

/// Module-detection settings of spec §6, shared by `run` and `analyze`.
struct DetectionFlags: ParsableArguments {
    @Option(name: .customLong("feature-steps"), help: "s_f: path lengths counted in unit features (default: the depth L).")
    var featureSteps: Int?

    @Option(name: .customLong("test-steps"), help: "s_c: layers compared by the separability tests (default: the depth L).")
    var testSteps: Int?

    @Option(name: .customLong("merge-threshold"),
            help: "τ_m for merging clusters across layers (default: 0.6 for mnist-pairs and mnist-xor, as the paper's MNIST runs; 0.9 otherwise).")
    var mergeThreshold: Double?

    @Option(name: .customLong("weak-modularity"),
            help: "τ_q: Q* above −τ_q counts as weak modularity (default: 0.3 for mnist-pairs and mnist-xor; 0.2 otherwise).")
    var weakModularity: Double?

    /// The settings for `task`: its defaults (spec §7.2) with the given flags in their place.
    func options(task: String?) -> DetectionOptions {
        DetectionOptions.forTask(task, featureSteps: featureSteps, testSteps: testSteps,
                                 mergeThreshold: mergeThreshold, weakModularity: weakModularity)
    }

    /// Ranges do not depend on the task, so any task's options check the flags.
    func validate() throws {
        do { try options(task: nil).validate() } catch { throw ValidationError("\(error)") }
    }
}

/// Parses "2.5,2.0" into percentages.
func percentList(_ text: String, flag: String) throws -> [Double] {
    let parts = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
    guard !parts.isEmpty else { throw ValidationError("\(flag) needs at least one value") }
    return try parts.map { s in
        guard let v = Double(s), v.isFinite else { throw ValidationError("\(flag): '\(s)' is not a number") }
        return v
    }
}

/// Short, stable text for a percentage in ids and tables: 70, 2.5, 83.125.
func percentText(_ v: Double) -> String {
    v == v.rounded() ? String(Int(v)) : String(v)
}

/// Progress on stderr: a redrawn line on a terminal, plain lines otherwise; silent with --quiet.
final class ProgressLine {
    let tty = isatty(STDERR_FILENO) != 0
    let start = Date()
    var last = ""

    func update(_ text: String) {
        let line = String(format: "[%6.1fs] ", Date().timeIntervalSince(start)) + text
        if tty {
            FileHandle.standardError.write(Data(("\r\u{1B}[K" + line).utf8))
        } else if text != last {
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
        last = text
    }

    func done() {
        if tty && !last.isEmpty { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }

    static func bar(_ done: Int, _ total: Int, width: Int = 20) -> String {
        let filled = total > 0 ? min(width, done * width / total) : 0
        return "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "]"
    }
}

/// A run directory (README "File formats"): created only once the configuration is valid; every file
/// written atomically.
struct RunDirectory {
    let path: String

    /// `--out`, or `runs/<command>-<task>-<time>`; refuses a non-empty existing directory.
    static func make(out: String?, command: String, task: String) throws -> RunDirectory {
        let name: String
        if let out { name = out } else {
            let f = DateFormatter()
            f.dateFormat = "yyyyMMdd-HHmmss"
            let safeTask = task.split(separator: "/").last.map(String.init)?.replacingOccurrences(of: ".", with: "_") ?? "task"
            name = "runs/\(command)-\(safeTask)-\(f.string(from: Date()))"
        }
        if let items = try? FileManager.default.contentsOfDirectory(atPath: name), !items.isEmpty {
            throw ValidationError("--out \(name) already exists and is not empty; choose another directory")
        }
        return RunDirectory(path: name)
    }

    func file(_ relative: String) -> String { (path as NSString).appendingPathComponent(relative) }

    func writeJSON(_ object: Any, _ relative: String) throws { try AtomicFile.writeJSON(object, to: file(relative)) }

    func writeEncodable<T: Encodable>(_ value: T, _ relative: String) throws {
        let enc = JSONEncoder()
        enc.outputFormatting = [.prettyPrinted, .sortedKeys]
        var data = try enc.encode(value)
        data.append(0x0A)
        try AtomicFile.write(data, to: file(relative))
    }
}

/// Facts about where a result was computed, recorded in every run.json.
func environmentFacts(backend: any ComputeBackend) -> [String: Any] {
    var facts: [String: Any] = ["device": backend.deviceDescription, "sculpt_version": sculptVersion]
    if let commit = Provenance.gitCommit() { facts["commit"] = commit }
    facts["date"] = ISO8601DateFormatter().string(from: Date())
    return facts
}

let sculptVersion = "0.1.0"

func jsonLine(_ object: Any) throws -> String {
    String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
}

func encodeToObject<T: Encodable>(_ v: T) throws -> Any {
    try JSONSerialization.jsonObject(with: JSONEncoder().encode(v))
}
