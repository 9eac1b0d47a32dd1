import Foundation
import SculptCore

/// `sculpt cluster` on many masks files: each analysed on its own, one failure never stops the rest.
public struct ClusterJob: Sendable {
    public var method: ClusterReport.Method = .spectral
    public var k = 4
    public var shuffles = 200
    public var nulls: [NullModel] = NullModel.allCases
    public var seed: UInt64 = 0
    public var options = ClusterOptions()
    /// Write each labelled graph as GraphML / Graphviz DOT into these directories.
    public var graphMLDirectory: String? = nil
    public var dotDirectory: String? = nil

    public init() {}

    /// The report of one file, with its exports written under `stem` (default: `stem(file)`; give
    /// `stems(files)[i]` when exporting many files, so no two share a name).
    /// - Throws: `MaskFileError` for a malformed file, `ClusterabilityError`, or the file system's error.
    public func run(file: String, stem exportStem: String? = nil) throws -> ClusterReport {
        let masks = try MaskFile(contentsOf: file)
        let report: ClusterReport
        switch method {
        case .spectral:
            report = try Clusterability.spectral(masks: masks, k: k, shuffles: shuffles, nulls: nulls, seed: seed, options: options)
        case .leiden, .louvain:
            report = try Clusterability.communities(
                masks: masks, algorithm: method == .leiden ? .leiden : .louvain,
                shuffles: shuffles, nulls: nulls, seed: seed, options: options)
        }
        let weights = LayeredWeights(masks: masks, binary: options.binary)
        let stem = (exportStem ?? Self.stem(file)) + "." + method.rawValue
        if let d = graphMLDirectory { try AtomicFile.write(report.graphML(weights: weights), to: d + "/" + stem + ".graphml") }
        if let d = dotDirectory { try AtomicFile.write(report.dot(weights: weights), to: d + "/" + stem + ".dot") }
        return report
    }

    /// A file name for exports that stays unique across paths: the path without extension, non-alphanumerics → `_`.
    public static func stem(_ path: String) -> String {
        let noExt = (path as NSString).deletingPathExtension
        let s = String(noExt.unicodeScalars.map { CharacterSet.alphanumerics.contains($0) || $0 == "-" ? Character($0) : "_" })
        return s.trimmingCharacters(in: CharacterSet(charactersIn: "_"))
    }

    /// Export names for `files`, unique even where flattened paths meet.
    public static func stems(_ files: [String]) -> [String] { ExportNames.unique(files.map(stem)) }

    /// One line naming the file and what is wrong with it.
    public static func describe(_ error: Error, file: String) -> String {
        (error as? MaskFileError)?.description ?? "\(file): \(error)"
    }
}
