import Foundation
import Reports
import SculptCore

/// `report.html` of a `sculpt clusterability` directory: the summary table, and per model the
/// histogram of each null's shuffled n-cuts with the observed n-cut marked and the clusters' make-up
/// by layer (made from
/// `conditions/*/result.json`; one self-contained page).
public enum ClusterabilityReport {
    /// Whether `directory` holds a clusterability run.
    public static func isRun(_ directory: String) -> Bool {
        FileManager.default.fileExists(atPath: directory + "/table.md") && FileManager.default.fileExists(atPath: directory + "/conditions")
    }

    /// - Throws: `RecordError` for an unreadable condition result.
    public static func html(directory: String) throws -> String {
        let dir = RunDirectory(path: directory)
        let conditions = ((try? FileManager.default.contentsOfDirectory(atPath: dir.file("conditions"))) ?? []).sorted()
            .filter { dir.exists("conditions/\($0)/result.json") }
        var body = "<h1>sculpt clusterability</h1>\n"
        body +=
            "<p class=\"note\">Spectral n-cut of each pruned network (lower: more clusterable) against two null models of shuffled weights: `layer` permutes each layer's weights, `layer-nonzero` only its non-zero ones. A model is significant when no shuffle is as clusterable (p at its minimum).</p>\n"
        var summary: [[String]] = []
        var sections = ""
        for c in conditions {
            let result = try dir.read(ClusterabilityConditionResult.self, "conditions/\(c)/result.json")
            let st = result.settings
            let minP = 1 / Double(st.shuffles + 1)
            let rows = result.rows
            func mean(_ f: (ClusterabilityRow) -> Double) -> Double { rows.isEmpty ? .nan : rows.map(f).reduce(0, +) / Double(rows.count) }
            summary.append([
                HTML.escape(c), "\(rows.count)", String(format: "%.3f", mean(\.nCut)),
                String(format: "%.3f (%d/%d significant)", mean(\.layerMean), rows.filter { $0.layerP <= minP + 1e-12 }.count, rows.count),
                String(format: "%.3f (%d/%d significant)", mean(\.nonzeroMean), rows.filter { $0.nonzeroP <= minP + 1e-12 }.count, rows.count),
                String(format: "%.1f %%", mean(\.testAccuracy)),
            ])
            sections += "\n<h2>\(HTML.escape(c))</h2>\n<p class=\"note\">\(HTML.escape(st.text))</p>\n"
            for r in rows {
                sections +=
                    "<h3>seed \(r.seed): n-cut \(String(format: "%.3f", r.nCut)), test accuracy \(String(format: "%.1f %%", r.testAccuracy))</h3>\n<div class=\"figure\">"
                for (name, values, p) in [("layer", r.layerNull, r.layerP), ("layer-nonzero", r.nonzeroNull, r.nonzeroP)] {
                    if let values, !values.isEmpty {
                        sections += HTML.histogram(
                            values, marker: (r.nCut, "observed \(String(format: "%.3f", r.nCut))"), xLabel: "n-cut of the \(name) null (p = \(String(format: "%.4f", p)))"
                        )
                    } else {
                        sections += "<p class=\"note\">\(name) null: shuffled values not kept in this result (written by an earlier version).</p>"
                    }
                }
                sections += "</div>\n"
                if let comp = r.composition, let layers = comp.first?.count {
                    // Which layers each cluster draws its units from.
                    sections += "<p class=\"note\">Units of each layer in each of the k = \(st.k) clusters:</p>\n"
                    sections += HTML.table(
                        ["cluster"] + (0..<layers).map { $0 == 0 ? "inputs" : $0 == layers - 1 ? "outputs" : "hidden \($0)" },
                        comp.enumerated().map { c, row in ["C\(c)"] + row.map { "\($0)" } })
                }
            }
        }
        body += HTML.table(["condition", "models", "n-cut (mean)", "layer null (mean)", "layer-nonzero null (mean)", "test accuracy"], summary)
        body += sections
        return HTML.page(title: "sculpt clusterability", body: body)
    }

    /// Writes `report.html` into `directory` (atomically) and returns its path.
    @discardableResult
    public static func write(directory: String) throws -> String { try HTML.writeReport(try html(directory: directory), into: directory) }
}
