import ArgumentParser
import CLRuntime
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
        subcommands: [MainJobCommand.self, DevicesCommand.self, TasksCommand.self, TrainCommand.self, RunCommand.self, AnalyzeCommand.self, SweepCommand.self, ClusterCommand.self],
        defaultSubcommand: MainJobCommand.self
    )

    /// Runs the command line; every error ends as one line on stderr and a non-zero exit.
    static func mainEntry() {
        var command: ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            exit(withError: error)  // usage errors: ArgumentParser's message and the usage line
        }
        do {
            try command.run()
        } catch let exit as ExitCode {
            Foundation.exit(exit.rawValue)
        } catch where isHelpRequest(error) {
            exit(withError: error)  // `--help` arrives here as a command whose run() asks for the help text
        } catch {
            // Everything that goes wrong while working is one line naming the problem.
            let text = (error as? ValidationError)?.message ?? "\(error)"
            FileHandle.standardError.write(Data("sculpt: error: \(text.split(separator: "\n").first ?? "")\n".utf8))
            Foundation.exit(1)
        }
    }

    /// ArgumentParser's own command error (`sculpt X --help` parses to its help command, whose run()
    /// throws it); not a `ValidationError` from our commands, which stays one line.
    private static func isHelpRequest(_ error: Error) -> Bool {
        String(reflecting: type(of: error)) == "ArgumentParser.CommandError"
    }

    private static func isParserError(_ error: Error) -> Bool {
        String(reflecting: type(of: error)).contains("ArgumentParser")
    }

    static func main() { mainEntry() }
}
