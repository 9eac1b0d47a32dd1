import ArgumentParser
import Clusterability
import Foundation
import SculptCore

/// `sculpt cluster`: clusterability of pruned networks (docs/clusterability.md).
extension ClusterReport.Method: ExpressibleByArgument {}

struct ClusterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cluster",
        abstract: "Spectral n-cut or Leiden/Louvain modularity of masks files, against shuffle nulls.",
        discussion: """
            Each FILE is a sculpt-masks/1 file; edge weight |w| when it stores weights, else 1. Prints the \
            statistic (n-cut: lower is more modular; Q: higher), each null's mean, std, p and z, and the \
            cluster sizes per layer. A malformed file gives one error line and the others are still analysed; \
            the exit status is then 1. JSON format: docs/clusterability.md.
            """
    )

    @Argument(help: "sculpt-masks/1 files.")
    var files: [String] = []

    @Option(help: "spectral (n-cut), leiden or louvain (modularity Q).")
    var method: ClusterReport.Method = .spectral

    // .unconditional: "--k -3" reaches the range check instead of reading as a missing value.
    @Option(parsing: .unconditional, help: "Clusters for spectral clustering (the papers: 4, or 12).")
    var k = 4

    @Option(help: "Comma-separated distinct null models: layer, layer-nonzero, or none.", transform: NullList.parse)
    var null = NullList(models: [.layer, .layerNonzero])

    @Option(help: "Shuffles per null model.")
    var shuffles = 200

    @Option(help: "Seed of every random choice (k-means++, shuffles, igraph restarts).")
    var seed: UInt64 = 0

    @Option(help: "Seeded igraph runs per graph (leiden, louvain); the best Q is kept.")
    var restarts = 5

    @Option(help: "Modularity resolution γ.")
    var resolution = 1.0

    @Option(help: "Worker threads for the shuffles (default: all cores); results do not depend on it.")
    var threads: Int?

    @Flag(help: "Weight 1 per surviving edge even when the file stores weights.")
    var binary = false

    @Flag(help: "Print one JSON document (format sculpt-cluster/1) instead of text.")
    var json = false

    @Option(help: "Write each labelled graph as GraphML into this directory.")
    var graphml: String?

    @Option(help: "Write each labelled graph as Graphviz DOT into this directory.")
    var dot: String?

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("give at least one masks file") }
        guard k >= 1 else { throw ValidationError("--k must be ≥ 1") }
        guard shuffles >= 0 else { throw ValidationError("--shuffles must be ≥ 0") }
        guard restarts >= 1 else { throw ValidationError("--restarts must be ≥ 1") }
        guard resolution > 0, resolution <= 1e6 else {
            throw ValidationError("--resolution must be > 0 and at most 1e6 (larger makes every vertex its own community), got \(resolution)")
        }
        if let threads, threads < 1 { throw ValidationError("--threads must be ≥ 1") }
    }

    func run() throws {
        var job = ClusterJob()
        (job.method, job.k, job.shuffles, job.nulls, job.seed) = (method, k, shuffles, null.models, seed)
        (job.options.binary, job.options.threads, job.options.communityRestarts, job.options.resolution) = (binary, threads, restarts, resolution)
        (job.graphMLDirectory, job.dotDirectory) = (graphml, dot)
        var results: [ClusterRecord.Result] = [], errors: [ClusterRecord.FileError] = []
        let stems = ClusterJob.stems(files)
        for (file, stem) in zip(files, stems) {
            do {
                let report = try job.run(file: file, stem: stem)
                if json { results.append(report.record(file: file)) } else { print(report.text(title: file)) }
            } catch {
                errors.append(.init(file: file, error: ClusterJob.describe(error, file: file)))
                FileHandle.standardError.write(Data("sculpt: error: \(ClusterJob.describe(error, file: file))\n".utf8))
            }
        }
        if json { print(try RecordCoding.line(ClusterRecord(results: results, errors: errors))) }
        if !errors.isEmpty { throw ExitCode(1) }
    }
}

/// `--null layer,layer-nonzero`: distinct null models, or `none`.
struct NullList: ParsedArgument {
    var models: [NullModel]
    static func parse(_ argument: String) throws -> NullList { NullList(models: try validating { try NullModel.list(argument) }) }
    var defaultValueDescription: String { models.isEmpty ? "none" : models.map(\.rawValue).joined(separator: ",") }
}
