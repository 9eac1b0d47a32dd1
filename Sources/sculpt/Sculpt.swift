import ArgumentParser
import Foundation

@main
struct Sculpt: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sculpt",
        abstract: "Uncover the hierarchically modular structure of a task by training and pruning an MLP on an OpenCL device.",
        discussion: """
        With no subcommand, sculpt runs its main job on the embedded default. \
        Run `sculpt help SUBCOMMAND` for the options of each step.
        """,
        subcommands: [DevicesCommand.self, AnalyzeCommand.self]
    )

    mutating func run() throws {
        // Until the whole pipeline lands, the default job lists the devices and shows the help.
        try DevicesCommand.printDevices(json: false)
        print("")
        print(Sculpt.helpMessage())
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
