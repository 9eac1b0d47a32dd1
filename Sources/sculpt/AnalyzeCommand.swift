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
        let stems = Self.stems(files)
        var failed = 0
        var first = true
        for (i, a) in analyses.enumerated() {
            switch a.outcome {
            case .failure(let e):
                failed += 1
                FileHandle.standardError.write(Data("sculpt analyze: error: \(e)\n".utf8))
                if json { print(ModuleReport.errorJSONLine(e, file: a.file)) }
            case .success(let (masks, result)):
                if json {
                    print(ModuleReport.jsonLine(result, file: a.file))
                } else {
                    if !first { print("") }
                    print(ModuleReport.summary(result, file: a.file))
                }
                first = false
                do {
                    if let dir = svgDirectory {
                        let base = (dir as NSString).appendingPathComponent(stems[i])
                        try AtomicFile.write(ModuleReport.networkSVG(result, meta: masks.meta), to: base + ".svg")
                        try AtomicFile.write(ModuleReport.moduleGraphSVG(result), to: base + "-dag.svg")
                    }
                    if let dir = dotDirectory {
                        try AtomicFile.write(ModuleReport.moduleGraphDOT(result), to: (dir as NSString).appendingPathComponent(stems[i]) + ".dot")
                    }
                } catch {
                    failed += 1
                    FileHandle.standardError.write(Data("sculpt analyze: error: \(a.file): cannot write figures: \(error.localizedDescription)\n".utf8))
                }
            }
        }
        if failed > 0 { throw ExitCode(1) }
    }

    /// Figure names: each file's name without `.json`; where two files share a name, their whole
    /// paths with `/` turned into `_`, so no figure overwrites another.
    static func stems(_ files: [String]) -> [String] {
        func base(_ p: String) -> String {
            let name = (p as NSString).lastPathComponent
            return name.hasSuffix(".json") ? String(name.dropLast(5)) : name
        }
        var seen: [String: Int] = [:]
        for p in files { seen[base(p), default: 0] += 1 }
        return files.map { p in
            let b = base(p)
            guard seen[b]! > 1 else { return b }
            let path = p.hasSuffix(".json") ? String(p.dropLast(5)) : p
            return path.split(separator: "/").filter { $0 != "." && $0 != ".." }.joined(separator: "_")
        }
    }
}
