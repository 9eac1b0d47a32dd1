import Analysis
import ArgumentParser
import Foundation
import Reports
import SculptCore

/// `sculpt analyze FILE…`: module detection (docs/method.md §6) and, for built-in tasks, the judges (docs/method.md §7.1)
/// on `sculpt-masks/1` files. Output formats: docs/analysis.md.
struct AnalyzeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Find the modules and their hierarchy in pruned networks (sculpt-masks/1 files).",
        discussion: """
            Prints a summary per file, or with --json one sculpt-modules/1 object per file, one per line, \
            in the order given. A malformed file gets one error line on stderr naming the file and the field \
            (and an {"error":…} line with --json); the other files are still analysed, and the exit status \
            is 1.
            """
    )

    @Argument(help: "sculpt-masks/1 files.")
    var files: [String]

    @OptionGroup var detection: DetectionFlags

    @Flag(help: "Print one sculpt-modules/1 JSON object per file, one per line.")
    var json = false

    @Option(name: .customLong("svg"), help: "Write NAME.svg (network figure) and NAME-dag.svg (module graph) here.")
    var svgDirectory: String?

    @Option(name: .customLong("dot"), help: "Write NAME.dot (module graph, Graphviz) here.")
    var dotDirectory: String?

    func run() throws {
        let analyses = ModuleReport.analyzeFiles(files, options: { detection.options(task: $0.task) })
        let stems = ModuleReport.figureStems(files)
        var failed = 0
        for (i, a) in analyses.enumerated() {
            switch a.outcome {
            case .failure(let e):
                failed += 1
                FileHandle.standardError.write(Data("sculpt: error: \(e)\n".utf8))
                if json { print(ModuleReport.errorJSONLine(e, file: a.file)) }
            case .success(let (masks, result)):
                print(json ? ModuleReport.jsonLine(result, file: a.file) : (i > 0 ? "\n" : "") + ModuleReport.summary(result, file: a.file))
                do {
                    try ModuleReport.writeFigures(result, masks: masks, stem: stems[i], svgDirectory: svgDirectory, dotDirectory: dotDirectory)
                } catch {
                    failed += 1
                    FileHandle.standardError.write(Data("sculpt: error: \(a.file): cannot write figures: \(error.localizedDescription)\n".utf8))
                }
            }
        }
        if failed > 0 { throw ExitCode(1) }
    }
}
