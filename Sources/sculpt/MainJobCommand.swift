import ArgumentParser
import SculptCore
import Training

/// `sculpt` with no subcommand: the main job on the embedded default (DESIGN.md §4).
struct MainJobCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "main",
        abstract: "The main job (what `sculpt` with no subcommand runs): and-or on [6,24,24,3], the whole pipeline.",
        discussion: """
        Runs the input-separable and reused task and-or ([6,3,3,3]) on a [6,24,24,3] network with the \
        reference's hyper-parameters for it (spec §7.2: lr 0.05, batch 32, 10 epochs) on seeds 0,1,2,5 \
        with unit step 70 and edge step 2.5 at a 100% threshold; then module detection and the judge. \
        Equivalent to: sculpt run --task and-or --arch 6,24,24,3 --lr 0.05 --batch-size 32 --epochs 10 \
        --seeds 0,1,2,5 --unit-step 70 --edge-step 2.5
        """
    )

    @OptionGroup var backend: BackendOptions

    @Flag(help: "Print one JSON document on stdout instead of text.")
    var json = false

    @Option(help: "Run directory to write (default runs/run-and-or-<time>).")
    var out: String?

    /// The embedded default job (DESIGN.md §4), with the reference's hyper-parameters for [6,24,24,3] (spec §7.2).
    static let defaultJob = PipelineJob(
        taskName: "and-or", arch: try! Architecture([6, 24, 24, 3]), training: TrainingOptions(epochs: 10, batchSize: 32),
        learningRate: 0.05, seeds: [0, 1, 2, 5], unitSteps: [70], edgeSteps: [2.5], accuracyThreshold: 100)

    func run() throws {
        let job = Self.defaultJob
        try backend.with { b in try job.execute(b, json: json, out: out) }
    }

}
