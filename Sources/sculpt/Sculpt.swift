import ArgumentParser
import Foundation
import SculptCore

@main
struct Sculpt: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sculpt",
        abstract: "Uncover the hierarchically modular structure of a task by training and pruning an MLP on an OpenCL device.",
        discussion: """
            With no subcommand, sculpt runs its main job on the embedded default: the input-separable and \
            reused task and-or ([6,3,3,3]) on a [6,24,24,3] network (lr 0.05, batch 32, 10 epochs, seeds \
            0,1,2,5, unit step 70, edge step 2.5, threshold 100%) — dense training, unit and edge pruning, \
            module detection — and writes runs/run-and-or-<time>. Run `sculpt help SUBCOMMAND` for each step; \
            the method is described in docs/method.md.
            """,
        version: "sculpt " + BuildInfo.description,
        subcommands: [
            MainJobCommand.self, DevicesCommand.self, TasksCommand.self, TrainCommand.self, RunCommand.self, AnalyzeCommand.self,
            SweepCommand.self, MergeCommand.self, ClusterabilityCommand.self, ClusterCommand.self, ExportCommand.self, ImportCommand.self, ReportCommand.self,
            DataCommand.self, CleanupCommand.self,
        ],
        defaultSubcommand: MainJobCommand.self
    )

    /// Runs the command line. Help and version requests print in full; every other error ends as one
    /// line on stderr (the whole text with `--verbose`) and a non-zero exit.
    static func main() {
        var command: ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            // --help and --version print in full; a usage error is one line, as every other error.
            if exitCode(for: error) == .success { exit(withError: error) }
            FileHandle.standardError.write(Data("sculpt: error: \(message(for: error))\n".utf8))
            Foundation.exit(exitCode(for: error).rawValue)
        }
        do {
            try command.run()
        } catch let code as ExitCode {
            Foundation.exit(code.rawValue)
        } catch {
            // `sculpt help X` runs a command whose error is the help text: ArgumentParser calls that a success.
            if exitCode(for: error) == .success { exit(withError: error) }
            let text = (error as? ValidationError)?.message ?? "\(error)"
            let verbose = (command as? VerboseErrors)?.verboseErrors ?? false
            let shown = verbose ? text : String(text.split(separator: "\n", omittingEmptySubsequences: false).first ?? "")
            FileHandle.standardError.write(Data("sculpt: error: \(shown)\n".utf8))
            Foundation.exit(1)
        }
    }
}
