import Analysis
import ArgumentParser
import Foundation
import Pruning
import SculptCore
import Tasks
import Training

extension EdgeNormalization: ExpressibleByArgument {}

struct RunCommand: ParsableCommand, VerboseErrors {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "The whole pipeline: dense training, unit pruning, edge pruning (one branch per edge step), for every seed.",
        discussion: """
            The method is docs/method.md. All seeds unit-prune as one population on the device; all their \
            edge branches edge-prune as a second one. A pruned network is accepted iff its per-bit accuracy \
            is at least --accuracy-threshold. Writes per model (id s<seed>-u<P_u>-e<P_e>) masks.json \
            (sculpt-masks/1 with weights), weights.json, history.json (every attempted target), modules and \
            figures, plus run.json (formats: docs/formats.md).
            Example: sculpt run --task xor-pairs --arch 4,24,4 --lr 0.05 --batch-size 8 --epochs 15 \
            --seeds 0,1,2,5 --unit-step 70 --edge-step 2.5
            """
    )

    @OptionGroup var flags: TrainingFlags

    @Option(
        name: .customLong("unit-step"), help: "P_u: percent of hidden units removed per step (comma-separated for several; 0: no unit pruning; default: 70).",
        transform: PercentList.parse)
    var unitStep: PercentList?

    @Option(
        name: .customLong("edge-step"), help: "P_e: percent of weights removed per step; each value is its own branch (default: 2.5).",
        transform: PercentList.parse)
    var edgeStep: PercentList?

    @Option(
        help: ArgumentHelp(
            "Run exactly these seed:P_u:P_e chains (comma-separated) instead of every seed × P_u × P_e.",
            discussion:
                "The paper publishes one (P_u, P_e) per seed; e.g. --chains 0:10:0.5,1:10:2,2:45:0.5,5:50:0.5 runs those four chains as one population. Not with --seeds, --unit-step or --edge-step."
        ),
        transform: { text in try validating { try Chain.list(parsing: text) } })
    var chains: [Chain]?

    @Option(
        name: .customLong("from"),
        help: ArgumentHelp(
            "Start every model from the network in FILE (.pth, .npz or .safetensors state dict) instead of training a dense one.",
            discussion:
                "The network is evaluated as it is, and pruning starts from it: its zero weights count as pruned (or its P.weight_mask decides), and --arch must name its widths. With --unit-step 0 it goes straight to edge pruning, e.g. from a network unit-pruned elsewhere. Seeds then only choose the noise and batch order. Naming rules: docs/interop.md.",
            valueName: "FILE"))
    var from: String?

    @Option(name: .customLong("accuracy-threshold"), help: "Accept a pruned network iff its per-bit accuracy (%) is at least this.")
    var accuracyThreshold: Double = 100

    @Option(
        name: .customLong("edge-norm"),
        help: ArgumentHelp(
            "How edge pruning ranks weights: none (the paper's one global |w| threshold), mean (|w| over the mean surviving |w| of its layer) or spread (|w| times the standard deviation of its source over the training rows).",
            discussion:
                "With none the wide first layer is thinned before the narrow upper layers lose anything, and an edge from an input that is almost always 0 ranks by its weight alone; mean and spread are not in the paper (docs/method.md, docs/vision.md)."
        ))
    var edgeNorm: EdgeNormalization = .none

    @Flag(
        help: ArgumentHelp(
            "After edge pruning, also remove every edge whose removal (its mean contribution folded into the bias) does not raise the validation loss, keeping accuracy at the threshold.",
            discussion:
                "Not in the paper: magnitude pruning keeps large edges that only carry a constant or noise, and module detection counts them (docs/vision.md \"Cleanup\")."
        ))
    var cleanup = false

    @Option(
        name: .customLong("step-rule"),
        help: ArgumentHelp(
            "After a rejection: paper (halve the step, down to one unit or weight), floor:F (never below the fraction F of what is left) or regrow:N (double back after N accepts in a row).",
            discussion: "floor and regrow are opt-in bounds on the number of rounds, not the paper's schedule (docs/method.md §3.3)."),
        transform: { text in try validating { try StepRule(parsing: text) } })
    var stepRule = StepRule.paper

    @Flag(
        name: .customLong("no-compaction"),
        help: ArgumentHelp(
            "Keep every population at its configured widths (slower; for comparison).",
            discussion:
                "By default the population is rebuilt at the widths its models still use after every accepted round, with the same decisions, masks and weights (docs/method.md §3.5)."
        ))
    var noCompaction = false

    @OptionGroup var detection: DetectionFlags
    @OptionGroup var backend: BackendOptions

    @Flag(help: "Print one JSON document on stdout instead of text.")
    var json = false

    @Flag(name: .customLong("no-report"), help: "Do not write report.html (`sculpt report DIR` writes it later).")
    var noReport = false

    @Option(help: "Run directory to write (default runs/run-<task>-<time>); must not exist or be empty.")
    var out: String?

    var verboseErrors: Bool { backend.verbose }

    func run() throws {
        let data = try flags.loadTask()
        let training = try flags.settings().options(for: data)
        var config: PipelineConfig
        if let chains {
            for (flag, given) in [("--seeds", flags.seeds != nil), ("--unit-step", unitStep != nil), ("--edge-step", edgeStep != nil)] where given {
                throw ValidationError("\(flag) cannot be combined with --chains, which gives every chain's seed, P_u and P_e")
            }
            config = PipelineConfig(arch: flags.arch, training: training, learningRate: flags.lr, chains: chains, accuracyThreshold: accuracyThreshold)
        } else {
            config = PipelineConfig(
                arch: flags.arch, training: training, learningRate: flags.lr, seeds: flags.seedValues,
                unitSteps: unitStep?.values ?? [70], edgeSteps: edgeStep?.values ?? [2.5], accuracyThreshold: accuracyThreshold)
        }
        config.edgeNormalization = edgeNorm
        config.compaction = !noCompaction
        config.stepRule = stepRule
        config.startFile = from
        var job = RunJob(data: data, config: config, detection: detection.options(task: data.name), cleanup: cleanup)
        job.start = try from.map { try StateDict.network(contentsOf: $0) }
        try Self.execute(job, backend: backend, json: json, out: out, task: flags.task, report: !noReport)
    }

    /// Validates `job`, makes the directory, runs with a progress line, writes `report.html` (with
    /// `report`), prints the result.
    static func execute(_ job: RunJob, backend: BackendOptions, json: Bool, out: String?, task: String, report: Bool = true) throws {
        try job.validate()
        try backend.with { b in
            let dir = try RunDirectory.make(out: out, command: "run", task: task)
            let progress = ProgressLine()
            let line = RunProgress(progress)
            let record = try job.execute(b, into: dir) { event in line.show(event) }
            if report { try RunReport.write(directory: dir.path) }
            progress.done()
            print(json ? try RecordCoding.line(record, runDirectory: dir.path) : record.text(directory: dir.path))
        }
    }

}

/// `sculpt` with no subcommand: the main job on the embedded default.
struct MainJobCommand: ParsableCommand, VerboseErrors {
    static let configuration = CommandConfiguration(
        commandName: "main",
        abstract: "The main job (what `sculpt` with no subcommand runs): and-or on [6,24,24,3], the whole pipeline.",
        discussion: """
            Runs the input-separable and reused task and-or ([6,3,3,3]) on a [6,24,24,3] network with the \
            reference implementation's hyper-parameters for it (lr 0.05, batch 32, 10 epochs) on seeds \
            0,1,2,5 with unit step 70 and edge step 2.5 at a 100% threshold; then module detection and the \
            judge. Equivalent to: sculpt run --task and-or --arch 6,24,24,3 --lr 0.05 --batch-size 32 \
            --epochs 10 --seeds 0,1,2,5 --unit-step 70 --edge-step 2.5
            """
    )

    @OptionGroup var backend: BackendOptions

    @Flag(help: "Print one JSON document on stdout instead of text.")
    var json = false

    @Option(help: "Run directory to write (default runs/run-and-or-<time>); must not exist or be empty.")
    var out: String?

    var verboseErrors: Bool { backend.verbose }

    func run() throws {
        let data = try TaskData.load("and-or")
        let config = PipelineConfig(
            arch: try Architecture([6, 24, 24, 3]), training: TrainingSettings(epochs: 10, batchSize: 32).options(for: data),
            learningRate: 0.05, seeds: [0, 1, 2, 5], unitSteps: [70], edgeSteps: [2.5], accuracyThreshold: 100)
        let job = RunJob(data: data, config: config, detection: DetectionOptions.defaults(forTask: data.name))
        try RunCommand.execute(job, backend: backend, json: json, out: out, task: "and-or")
    }
}

/// `sculpt run`'s progress line: the pipeline's state, and on a terminal the latest epoch of the
/// training it is in (at most ten redraws a second; logs get only the state lines, and every epoch is
/// in metrics.jsonl).
final class RunProgress: @unchecked Sendable {
    let line: ProgressLine
    var state = ""
    var drawn = Date.distantPast
    let started = Date()
    init(_ line: ProgressLine) { self.line = line }

    func show(_ event: RunJob.Event) {
        // Once models have finished their edge pruning, the rest are assumed to take as long on average
        // (as a sweep's estimate does): a rough ETA, shown with the state.
        if case .pipeline(let p) = event, p.phase == .edge, p.modelsFinished > 0, p.modelsFinished < p.modelsTotal {
            let elapsed = Date().timeIntervalSince(started)
            let left = elapsed / Double(p.modelsFinished) * Double(p.modelsTotal - p.modelsFinished)
            state = event.description + String(format: ", ~%.0f s left", left)
            line.update(state)
            return
        }
        switch event {
        case .epoch:
            guard line.isTerminal, Date().timeIntervalSince(drawn) >= 0.1 else { return }
            drawn = Date()
            line.update(state + " — " + event.description)
        default:
            state = event.description
            line.update(state)
        }
    }
}
