import Analysis
import ArgumentParser
import CLRuntime
import Foundation
import OpenCLBackend
import Pruning
import ReferenceBackend
import SculptCore
import Tasks
import Training

/// Which implementation of the kernels runs the work.
enum BackendKind: String, ExpressibleByArgument, CaseIterable {
    case opencl, reference
}

extension OpenCLBackend.GemmPath: ExpressibleByArgument {}
extension SnapshotLoss: ExpressibleByArgument {}
extension BCEGradient: ExpressibleByArgument {}

/// `--fused`: how small networks train.
enum FusedMode: String, ExpressibleByArgument, CaseIterable {
    case exact, off
}

/// `--device`: the one place the CLI picks a device.
struct DeviceOptions: ParsableArguments {
    @Option(
        name: .customLong("device"),
        help: ArgumentHelp(
            "OpenCL device: an index from `sculpt devices` or a case-insensitive substring of its name (default: env SCULPT_DEVICE, else the first GPU, else the first CPU).",
            valueName: "N|NAME"))
    var spec: String?

    /// - Throws: `DeviceChoiceError` naming the devices there are; `CLError` when there is none.
    func choose() throws -> CLDevice { try CLDevice.choose(spec ?? ProcessInfo.processInfo.environment["SCULPT_DEVICE"]) }
}

/// `--backend`, `--device` and `--verbose`, shared by every command that computes.
struct BackendOptions: ParsableArguments {
    @Option(help: "Kernel implementation: opencl (the device) or reference (plain Swift on the host, slow; the specification).")
    var backend: BackendKind = .opencl

    @OptionGroup var device: DeviceOptions

    @Option(
        help: ArgumentHelp(
            "Who runs the matrix products of large layers: blas (OpenBLAS on the host over the device's buffers; CPU devices only, where the buffers are host memory), clblast (CLBlast's batched SGEMM on the device), opencl (the hand-written kernels) or auto (blas on CPU devices; elsewhere opencl or clblast, whichever a measurement cached per device and driver found faster). Run files record which ran. OpenBLAS threads: env OPENBLAS_NUM_THREADS, else OMP_NUM_THREADS, else every core.",
            valueName: "auto|opencl|blas|clblast"))
    var gemm: OpenCLBackend.GemmPath = .auto

    @Option(
        help: ArgumentHelp(
            "Run a model's first layer over its live weights only (gathering only the inputs they read) once those weights, padded to its longest row of n1 · K, are at most X times its n0 inputs; the numbers are those of the dense layer. Default: 1 with --backend opencl (where the route starts to win on a CPU, Benchmarks/RESULTS.md), 0 (off) with the reference.",
            valueName: "X"))
    var sparseFirstLayer: Double?

    @Option(
        help: ArgumentHelp(
            "How small networks train (every layer's batch product under 2^18 multiply-adds, a dense first layer): exact (whole epochs of every model in one launch, numbers equal to the per-layer launches bit for bit) or off (one launch per layer and step). Run files record which ran.",
            valueName: "exact|off"))
    var fused: FusedMode = .exact

    @Flag(help: "Print errors in full (e.g. an OpenCL build log), not only their first line.")
    var verbose = false

    /// One OpenCL backend per device of `specs` (as `--device` takes them), with these options.
    func openCLBackends(_ specs: [String]) throws -> [OpenCLBackend] {
        guard backend == .opencl else { throw ValidationError("--devices needs --backend opencl; the reference backend is one host thread") }
        guard device.spec == nil else { throw ValidationError("give either --device or --devices") }
        let chosen = try specs.map { try CLDevice.choose($0) }
        if let twice = chosen.indices.first(where: { i in chosen[..<i].contains { $0.index == chosen[i].index } }) {
            throw ValidationError("--devices names device #\(chosen[twice].index) (\(chosen[twice].name)) twice")
        }
        return try chosen.map { d in
            let b = try OpenCLBackend(device: d, path: gemm)
            configure(b)
            return b
        }
    }

    /// These options as command-line arguments (for scripts that run `sculpt` again, e.g. on Slurm).
    var arguments: [String] {
        var out: [String] = []
        if backend != .opencl { out += ["--backend", backend.rawValue] }
        if let d = device.spec { out += ["--device", d] }
        if gemm != .auto { out += ["--gemm", gemm.rawValue] }
        if let x = sparseFirstLayer { out += ["--sparse-first-layer", "\(x)"] }
        if fused != .exact { out += ["--fused", fused.rawValue] }
        if verbose { out.append("--verbose") }
        return out
    }

    func validate() throws {
        if let x = sparseFirstLayer, !(x >= 0 && x.isFinite) {
            throw ValidationError("--sparse-first-layer must be a number ≥ 0 (0 turns the sparse first layer off), not \(x)")
        }
    }

    /// Applies the options an OpenCL backend takes after creation.
    func configure(_ b: OpenCLBackend) {
        if let x = sparseFirstLayer { b.sparseInputCrossover = x }
        switch fused {
        case .exact: break
        case .off: b.fusedLayout = nil
        }
    }

    /// Calls `body` with the chosen backend.
    func with<R>(_ body: (any ComputeBackend) throws -> R) throws -> R {
        switch backend {
        case .reference:
            guard gemm == .auto else {
                throw ValidationError("--gemm \(gemm.rawValue) applies to --backend opencl; the reference backend runs every product in plain Swift")
            }
            let reference = ReferenceBackend()
            if let x = sparseFirstLayer { reference.sparseInputCrossover = x }
            return try body(reference)
        case .opencl:
            let backend = try OpenCLBackend(device: device.choose(), path: gemm)
            configure(backend)
            return try body(backend)
        }
    }
}

/// Commands whose errors may be printed in full.
protocol VerboseErrors { var verboseErrors: Bool { get } }

// MARK: - Typed list arguments

/// A value parsed from one argument, with an error that says what is wrong. Options use
/// `transform: T.parse`, so a bad value is reported with its reason.
protocol ParsedArgument: ExpressibleByArgument {
    /// - Throws: `ValidationError` naming the problem.
    static func parse(_ argument: String) throws -> Self
}

extension ParsedArgument {
    public init?(argument: String) {
        guard let v = try? Self.parse(argument) else { return nil }
        self = v
    }
}

extension Architecture: ParsedArgument {
    static func parse(_ argument: String) throws -> Architecture { try validating { try Architecture(parsing: argument) } }
}

/// `--seeds 0,1,2,5`: distinct non-negative integers.
struct SeedList: ParsedArgument {
    var values: [UInt64]
    static func parse(_ argument: String) throws -> SeedList { SeedList(values: try validating { try ListArgument.seeds(argument) }) }
    var defaultValueDescription: String { values.map(String.init).joined(separator: ",") }
}

/// `--unit-step 70,30`: distinct percentages (their range is checked with the rest of the configuration).
struct PercentList: ParsedArgument {
    var values: [Double]
    static func parse(_ argument: String) throws -> PercentList { PercentList(values: try validating { try ListArgument.numbers(argument) }) }
    var defaultValueDescription: String { values.map(percentText).joined(separator: ",") }
}

extension StepRule: ExpressibleByArgument {
    public init?(argument: String) { try? self.init(parsing: argument) }
}

/// `body`'s value, or its error as a `ValidationError` (so the parser shows its text).
func validating<T>(_ body: () throws -> T) throws -> T {
    do { return try body() } catch { throw ValidationError("\(error)") }
}

// MARK: - Option groups

/// The task and the training hyper-parameters.
struct TrainingFlags: ParsableArguments {
    @Option(
        help:
            "A built-in task (see `sculpt tasks`), a task file, a vision task with --data, or data:FILE, your own rows in a CSV file (header; columns named y… are 0/1 targets or, alone, class labels; optional split column) or an .npz (x, y, optional x_val/y_val, x_test/y_test); docs/formats.md."
    )
    var task: String

    @Option(help: "Layer widths, inputs first, e.g. 4,24,4.", transform: Architecture.parse)
    var arch: Architecture

    @Option(help: "Adam learning rate (constant).")
    var lr: Float

    @Option(name: .customLong("batch-size"), help: "Mini-batch size.")
    var batchSize: Int

    @Option(help: "Epochs of every (re)training (required, except with --prune gradual: dense + prune epochs).")
    var epochs: Int?

    @Option(help: "Comma-separated distinct model seeds; each is one model of the population (default: 0).", transform: SeedList.parse)
    var seeds: SeedList?

    /// `--seeds`, or seed 0 when not given.
    var seedValues: [UInt64] { seeds?.values ?? [0] }

    @Option(name: .customLong("weight-decay"), help: "Coupled L2 weight decay added to the gradient.")
    var weightDecay: Float = 1e-4

    @Option(help: "σ of the Gaussian noise on training inputs, redrawn each time a sample is drawn; 0 turns it off (default 0.1 for Boolean tasks, 0 for vision tasks).")
    var noise: Float?

    @Option(help: "Dropout rate after every hidden layer in training (inverted dropout; never in evaluation). 0 turns it off.")
    var dropout: Float = 0

    @Option(help: "Weight initialisation: kaiming (N(0, 2/n_in)) or glorot (U(±sqrt(6/(n_in+n_out))), Keras' default).")
    var `init`: InitKind = .kaiming

    @Option(
        name: .customLong("snapshot-loss"),
        help: ArgumentHelp(
            "The validation loss the best-epoch rule compares among epochs of equal accuracy: mean (over every validation row) or reference.",
            discussion:
                "reference reproduces the reference implementation's averaging (per-batch means of the training batch size, summed and divided by batches − 1): with one batch the loss is infinite and the latest epoch of the best accuracy wins. See docs/method.md §2.4."
        ))
    var snapshotLoss: SnapshotLoss = .mean

    @Option(
        name: .customLong("bce-gradient"),
        help: ArgumentHelp(
            "The BCE gradient: logits (σ(z) − y for any z) or probabilities (the reference implementation's).",
            discussion:
                "probabilities reproduces the reference's BCE of float sigmoid probabilities: an output whose sigmoid rounds to exactly 1 (0) while its target is 0 (1) gets no gradient. See docs/method.md §9."
        ))
    var bceGradient: BCEGradient = .logits

    @OptionGroup var vision: VisionFlags

    /// The settings, with `epochs` in place of `--epochs` when given (gradual pruning computes its own).
    func settings(epochs override: Int? = nil) throws -> TrainingSettings {
        guard let e = override ?? epochs else { throw ValidationError("missing --epochs (the number of epochs of every (re)training)") }
        return TrainingSettings(
            epochs: e, batchSize: batchSize, weightDecay: weightDecay, noise: noise, dropout: dropout,
            initialization: `init`.initialization, snapshotLoss: snapshotLoss == .mean ? nil : snapshotLoss,
            bceGradient: bceGradient == .logits ? nil : bceGradient)
    }

    func loadTask() throws -> TaskData {
        if DataFile.isTask(task) && vision.data != nil {
            throw ValidationError("--data names MNIST-format images for the vision tasks; \(task) holds its own rows")
        }
        if !TaskData.isVisionTask(task) && !DataFile.isTask(task) && vision.data != nil {
            throw ValidationError("--data is for vision tasks; \(task) is a Boolean task")
        }
        return try TaskData.load(task, vision: vision.settings)
    }
}

/// `--init`.
enum InitKind: String, ExpressibleByArgument, CaseIterable {
    case kaiming, glorot

    var initialization: WeightInitialization { self == .kaiming ? .kaimingNormal : .glorotUniform }
}

/// How the vision tasks are built from MNIST-format images.
struct VisionFlags: ParsableArguments {
    @Option(
        help:
            "Folder with the four MNIST-format files (train/t10k images and labels, .gz or not), for mnist, fashion, mnist-pairs and mnist-xor. Debian's dataset-fashion-mnist package installs Fashion-MNIST in /usr/share/datasets/fashion-mnist."
    )
    var data: String?

    @Option(
        name: .customLong("validation-images"), help: "mnist/fashion: validation = this many LAST training images (the rest train; the test files are the test split).")
    var validationImages = VisionSettings().validationImages

    @Option(name: .customLong("train-pairs"), help: "Training pairs of a vision task.")
    var trainPairs = VisionSettings().trainPairs

    @Option(
        name: .customLong("validation-pairs"),
        help: ArgumentHelp(
            "Validation pairs (from training images) of a vision task: what pruning and model selection see.",
            discussion:
                "Near the accuracy threshold a pruning step is accepted or not by a few validation pairs; the reference implementation accepts on 20,000 (mnist-pairs) or 12,800 (mnist-xor) pairs, and comparisons with the paper should use those sizes (docs/vision.md)."
        ))
    var validationPairs = VisionSettings().validationPairs

    @Option(name: .customLong("test-pairs"), help: "Test pairs (from test images only; reported, never used for decisions).")
    var testPairs = VisionSettings().testPairs

    @Option(name: .customLong("data-seed"), help: "Seed of the pair construction.")
    var dataSeed: UInt64 = 0

    @Flag(
        name: .customLong("center-inputs"),
        help:
            "Subtract the training split's mean of every pixel from every split (the paper feeds raw [0,1] pixels). On Fashion-MNIST the always-bright centre pixels otherwise serve as extra biases that tie the two halves of a pair together (docs/vision.md)."
    )
    var centerInputs = false

    var settings: VisionSettings {
        VisionSettings(
            data: data, validationImages: validationImages, trainPairs: trainPairs, validationPairs: validationPairs,
            testPairs: testPairs, dataSeed: dataSeed, centerInputs: centerInputs)
    }
}

/// Module-detection settings, shared by `run` and `analyze`.
struct DetectionFlags: ParsableArguments {
    @Option(name: .customLong("feature-steps"), help: "s_f: path lengths counted in unit features (default: the depth L).")
    var featureSteps: Int?

    @Option(name: .customLong("test-steps"), help: "s_c: layers compared by the separability tests (default: the depth L).")
    var testSteps: Int?

    @Option(
        name: .customLong("merge-threshold"),
        help: "τ_m for merging clusters across layers, in [0, 1] (default: 0.6 for mnist-pairs and mnist-xor, as the paper's MNIST runs; 0.9 otherwise).")
    var mergeThreshold: Double?

    @Option(
        name: .customLong("weak-modularity"),
        help: "τ_q, in [0, 1]: Q* above −τ_q counts as weak modularity (default: 0.3 for mnist-pairs and mnist-xor; 0.2 otherwise).")
    var weakModularity: Double?

    /// The settings for `task`: its defaults with the given flags in their place.
    func options(task: String?) -> DetectionOptions {
        DetectionOptions.forTask(task, featureSteps: featureSteps, testSteps: testSteps, mergeThreshold: mergeThreshold, weakModularity: weakModularity)
    }

    /// Ranges do not depend on the task, so any task's options check the flags.
    func validate() throws { try options(task: nil).validate() }
}
