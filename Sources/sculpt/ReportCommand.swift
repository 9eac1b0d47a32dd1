import ArgumentParser
import Foundation
import Pruning

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write report.html for a run directory: one self-contained page to open in any browser.",
        discussion: """
            For a directory written by `sculpt run` (which writes the report itself unless --no-report): \
            the run's settings, and per model its numbers, the judge's verdicts, a chart of every pruning \
            round tried (accepted or rejected, accuracy against what was pruned), the pruned network with \
            its modules and the module graph. Inline SVG and CSS only: nothing is fetched, and it prints.
            """
    )

    @Argument(help: ArgumentHelp("A run directory.", valueName: "DIR"))
    var directory: String

    func run() throws {
        guard FileManager.default.fileExists(atPath: directory + "/run.json") else {
            throw ValidationError("\(directory) holds no run.json: `sculpt report` reads run directories (sweep and clusterability reports are not written yet)")
        }
        print(try RunReport.write(directory: directory))
    }
}
