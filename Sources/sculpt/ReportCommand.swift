import ArgumentParser
import Foundation
import Pruning
import Replications
import Sweeps

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write report.html for a run, sweep or clusterability directory: one self-contained page to open in any browser.",
        discussion: """
            For a directory written by `sculpt run` (which writes the report itself unless --no-report): \
            the run's settings, and per model its numbers, the judge's verdicts, a chart of every pruning \
            round tried (accepted or rejected, accuracy against what was pruned), the pruned network with \
            its modules and the module graph. For a sweep directory (where `sculpt sweep` and `sculpt \
            merge` keep it current): the success tables as heat maps, the selected (P_u, P_e), the \
            selected networks' density and accuracy, and links to their figures. For a clusterability \
            directory: the summary, and per model each null's n-cut histogram with the observed n-cut. \
            Inline SVG and CSS only: nothing is fetched, and it prints.
            """
    )

    @Argument(help: ArgumentHelp("A run directory.", valueName: "DIR"))
    var directory: String

    func run() throws {
        if ClusterabilityReport.isRun(directory) {
            print(try ClusterabilityReport.write(directory: directory))
            return
        }
        if FileManager.default.fileExists(atPath: directory + "/sweep.json") {
            print(try SweepReport.write(directory: directory))
            return
        }
        guard FileManager.default.fileExists(atPath: directory + "/run.json") else {
            throw ValidationError(
                "\(directory) holds no run.json, sweep.json or clusterability results: `sculpt report` reads run, sweep and clusterability directories")
        }
        print(try RunReport.write(directory: directory))
    }
}
