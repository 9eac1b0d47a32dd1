import ArgumentParser
import CLRuntime
import SculptCore
import Training
import Foundation

@main
struct Sculpt: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sculpt",
        abstract: "Uncover the hierarchically modular structure of a task by training and pruning an MLP on an OpenCL device.",
        discussion: """
        With no subcommand, sculpt runs its main job on the embedded default: the input-separable and \
        reused task and-or ([6,3,3,3]) on a [6,24,24,3] network (lr 0.05, batch 32, 10 epochs, seeds \
        0,1,2,5, unit step 70, edge step 2.5, threshold 100%) — dense training, unit and edge pruning, \
        module detection — and writes runs/run-and-or-<time>. Run `sculpt help SUBCOMMAND` for each step.
        """,
        subcommands: [DevicesCommand.self, TasksCommand.self, TrainCommand.self, RunCommand.self, ClusterCommand.self]
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

    mutating func run() throws {
        let job = Self.defaultJob
        try backend.with { b in try job.execute(b, json: json, out: out) }
    }

    /// Runs the command line; every error ends as one line on stderr and a non-zero exit.
    static func mainEntry() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            if error is ExitCode || isParserError(error) { exit(withError: error) }
            FileHandle.standardError.write(Data("sculpt: error: \(error)\n".utf8))
            Foundation.exit(1)
        }
    }

    private static func isParserError(_ error: Error) -> Bool {
        String(reflecting: type(of: error)).contains("ArgumentParser")
    }

    static func main() { mainEntry() }
}
