import ArgumentParser
import Foundation
import Pruning
import Reports
import SculptCore

struct CleanupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cleanup",
        abstract: "Apply the loss-based edge cleanup (sculpt run --cleanup) to a finished run, into a new run directory.",
        discussion: """
            For every model of a directory written by `sculpt run` without --cleanup, removes each surviving \
            edge whose removal (its mean contribution folded into the bias) does not raise the validation \
            loss while accuracy stays at the threshold (docs/vision.md "Cleanup"; not in the paper), then \
            detects the modules and judges again. Writes a run directory of the same layout (run.json, \
            models/<id>/…, report.html), leaving the original untouched. The task's data are loaded as \
            the run recorded them. BCE tasks only.
            Example: sculpt cleanup runs/run-mnist-pairs-… --out runs/mnist-pairs-cleaned
            """
    )

    @Argument(help: ArgumentHelp("A directory written by `sculpt run`.", valueName: "RUN"))
    var runDirectory: String

    @Option(help: "Run directory to write; must not exist or be empty.")
    var out: String

    @Option(name: .customLong("accuracy-threshold"), help: "Keep validation accuracy (per bit, %) at least this (default: the run's threshold).")
    var accuracyThreshold: Double?

    @Flag(help: "Print one JSON document on stdout instead of text.")
    var json = false

    @Flag(name: .customLong("no-report"), help: "Do not write report.html.")
    var noReport = false

    func run() throws {
        let source = RunDirectory(path: runDirectory)
        guard FileManager.default.fileExists(atPath: source.file("run.json")) else {
            throw ValidationError("\(runDirectory) holds no run.json; give a directory written by `sculpt run`")
        }
        let record = try source.read(RunRecord.self, "run.json")
        let dir = try RunDirectory.make(out: out, command: "cleanup", task: record.task)
        let progress = ProgressLine()
        do {
            let cleaned = try RunCleanup.run(source: source, out: dir, threshold: accuracyThreshold) { k, n, id in
                progress.update("\(ProgressLine.bar(k, n)) cleanup of \(id) (\(k + 1)/\(n))")
            }
            if !noReport { try RunReport.write(directory: dir.path) }
            progress.done()
            print(json ? try RecordCoding.line(cleaned, runDirectory: dir.path) : cleaned.text(directory: dir.path))
        } catch {
            progress.done()
            try? FileManager.default.removeItem(atPath: dir.path)  // nothing half-written is left
            throw error
        }
    }
}
