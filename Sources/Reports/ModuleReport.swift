import Analysis
import Foundation
import SculptCore

/// Reports of module detection: the `sculpt-modules/1` JSON (docs/analysis.md), a readable summary,
/// the network figure (SVG) and the module DAG (DOT and SVG). The pipeline calls `analyze` and then
/// `write` once per model; `sculpt analyze` uses `analyzeFiles` and the single writers.
public enum ModuleReport {
    public static let formatTag = "sculpt-modules/1"

    /// Detection of docs/method.md §6 plus the docs/method.md §7.1 judge when `masks.task` names a built-in family.
    public static func analyze(_ masks: MaskFile, options: DetectionOptions = DetectionOptions()) -> DetectionResult {
        ModuleDetection.detect(masks, options: options)
    }

    /// The outcome for one masks file: the masks and their result, or why the file was rejected.
    public struct FileAnalysis {
        public let file: String
        public let outcome: Result<(masks: MaskFile, result: DetectionResult), MaskFileError>
    }

    /// Reads and analyses every file, in parallel, keeping the order of `paths`. A malformed file
    /// yields its `MaskFileError` (with the path and the field) and does not stop the others.
    public static func analyzeFiles(_ paths: [String], options: DetectionOptions = DetectionOptions()) -> [FileAnalysis] {
        analyzeFiles(paths, options: { _ in options })
    }

    /// As above, with the settings chosen per file (e.g. from its task).
    public static func analyzeFiles(_ paths: [String], options: @escaping @Sendable (MaskFile) -> DetectionOptions) -> [FileAnalysis] {
        let results = ResultBox(count: paths.count)
        DispatchQueue.concurrentPerform(iterations: paths.count) { i in
            let outcome: Result<(masks: MaskFile, result: DetectionResult), MaskFileError>
            do {
                let masks = try MaskFile(contentsOf: paths[i])
                outcome = .success((masks, analyze(masks, options: options(masks))))
            } catch let e as MaskFileError {
                outcome = .failure(e)
            } catch {
                outcome = .failure(MaskFileError(file: paths[i], field: nil, problem: "\(error)"))
            }
            results.set(i, FileAnalysis(file: paths[i], outcome: outcome))
        }
        return results.values.map { $0! }
    }

    /// Writes `<stem>.json` (sculpt-modules/1), `<stem>.svg` (network figure), `<stem>.dot` and
    /// `<stem>-dag.svg` (module DAG) into `directory`, each atomically. Returns the paths written.
    /// - Throws: the file system's error.
    @discardableResult
    public static func write(
        _ result: DetectionResult, masks: MaskFile, file: String? = nil,
        to directory: String, stem: String = "modules"
    ) throws -> [String] {
        let base = (directory as NSString).appendingPathComponent(stem)
        let paths = [base + ".json", base + ".svg", base + ".dot", base + "-dag.svg"]
        try AtomicFile.write(try RecordCoding.fileData(record(result, file: file)), to: paths[0])
        try AtomicFile.write(networkSVG(result, meta: masks.meta, weights: edgeWeights(masks)), to: paths[1])
        try AtomicFile.write(moduleGraphDOT(result), to: paths[2])
        try AtomicFile.write(moduleGraphSVG(result), to: paths[3])
        return paths
    }

    /// Each layer's edge → weight of a masks file that holds weights.
    static func edgeWeights(_ masks: MaskFile) -> [[MaskFile.Edge: Float]]? {
        masks.weights.map { w in masks.edges.enumerated().map { l, es in Dictionary(zip(es, w[l]), uniquingKeysWith: { a, _ in a }) } }
    }

    /// `sculpt analyze --svg/--dot`: `STEM.svg` (network) and `STEM-dag.svg` (module graph) into
    /// `svgDirectory`, `STEM.dot` into `dotDirectory`, each when given.
    public static func writeFigures(_ result: DetectionResult, masks: MaskFile, stem: String, svgDirectory: String?, dotDirectory: String?) throws {
        if let dir = svgDirectory {
            let base = (dir as NSString).appendingPathComponent(stem)
            try AtomicFile.write(networkSVG(result, meta: masks.meta, weights: edgeWeights(masks)), to: base + ".svg")
            try AtomicFile.write(moduleGraphSVG(result), to: base + "-dag.svg")
        }
        if let dir = dotDirectory {
            try AtomicFile.write(moduleGraphDOT(result), to: (dir as NSString).appendingPathComponent(stem) + ".dot")
        }
    }

    /// Figure names: each file's name without `.json`; where two files share a name, their whole
    /// paths with `/` turned into `_`, so no figure overwrites another.
    public static func figureStems(_ files: [String]) -> [String] {
        func base(_ p: String) -> String {
            let name = (p as NSString).lastPathComponent
            return name.hasSuffix(".json") ? String(name.dropLast(5)) : name
        }
        var seen: [String: Int] = [:]
        for p in files { seen[base(p), default: 0] += 1 }
        let preferred = files.map { p -> String in
            let b = base(p)
            guard seen[b]! > 1 else { return b }
            let path = p.hasSuffix(".json") ? String(p.dropLast(5)) : p
            return path.split(separator: "/").filter { $0 != "." && $0 != ".." }.joined(separator: "_")
        }
        // A flattened path can still meet another file's name (a/x.json and a_x.json): number them.
        return ExportNames.unique(preferred)
    }

    /// One JSON line (no newline) for the `--json` output.
    public static func jsonLine(_ result: DetectionResult, file: String?) -> String {
        // Every value is an integer, a finite number, a string or a bool: encoding cannot fail.
        try! RecordCoding.line(record(result, file: file))
    }

    /// The `--json` line for a file that could not be analysed.
    public static func errorJSONLine(_ error: MaskFileError, file: String) -> String {
        try! RecordCoding.line(ModulesErrorRecord(file: file, field: error.field, error: error.problem))
    }
}

/// Thread-safe slots for `concurrentPerform` results.
private final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var values: [ModuleReport.FileAnalysis?]
    init(count: Int) { values = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ v: ModuleReport.FileAnalysis) { lock.lock(); values[i] = v; lock.unlock() }
}

// MARK: - Unit names shared by the summary and the figures

extension DetectionResult {
    /// `x3` for inputs, `y1` for outputs, `h12` for hidden units of a one-hidden-layer net and
    /// `h2.12` (layer 2, unit 12) otherwise.
    func name(_ u: UnitRef) -> String {
        if u.layer == 0 { return "x\(u.unit)" }
        if u.layer == depth { return "y\(u.unit)" }
        return depth == 2 ? "h\(u.unit)" : "h\(u.layer).\(u.unit)"
    }
}
