import Analysis
import Foundation

extension ModuleReport {
    /// A readable multi-line summary of one result (what `sculpt analyze` prints without `--json`).
    public static func summary(_ r: DetectionResult, file: String?) -> String {
        var lines: [String] = []
        let head = file.map { "\($0): " } ?? ""
        lines.append(
            head + (r.task.map { "task \($0), " } ?? "") + "arch \(list(r.arch)), \(r.edgeCount) edges "
                + "(density \(fmt(100 * r.density, 2)) %), condensed \(list(r.condensedArch))")
        for d in r.layers {
            let what = d.layer == 0 ? "inputs" : d.layer == r.depth ? "outputs" : "hidden \(d.layer)"
            guard d.clustered else { lines.append("  layer \(d.layer) (\(what)): \(d.units) units, each its own cluster"); continue }
            var s = "  layer \(d.layer) (\(what)): \(d.units) unit\(d.units == 1 ? "" : "s")"
            if !d.modularity.isEmpty {
                let shown = d.modularity.prefix(8).map { "Q(\($0.k))=\(fmt($0.q, 4))" }
                s += ", " + shown.joined(separator: " ") + (d.modularity.count > 8 ? " …" : "")
            }
            if let kq = d.kQ { s += ", k_Q=\(kq)" }
            if d.testsConsulted, let sep = d.separate, let sin = d.single {
                s += "; separate \(sep.fires ? "fires" : "no") (k_ij=\(sep.kij), E=\(fmt(sep.expected, 3)), σ=\(fmt(sep.sigma, 4)))"
                s += ", single \(sin.fires ? "fires" : "no") (k_ij=\(sin.kij), E=\(fmt(sin.expected, 3)))"
                s += ", verdict " + (d.verdict.map { $0 == 1 ? "1" : "n=\($0)" } ?? "none")
            }
            lines.append(s + " → k=\(d.k)")
        }
        lines.append("  modules (\(r.modules.count)):")
        for (i, m) in r.modules.enumerated() {
            let info = r.hierarchy.modules[i]
            var byLayer: [[String]] = []
            for l in info.layers { byLayer.append(m.filter { $0.layer == l }.map { r.name($0) }) }
            let units = byLayer.map { names in names.count > 12 ? names.prefix(12).joined(separator: " ") + " …(+\(names.count - 12))" : names.joined(separator: " ") }
            lines.append("    M\(i) (level \(info.level)): " + units.joined(separator: " | "))
        }
        if r.moduleGraph.isEmpty {
            lines.append("  module graph: no edges")
        } else {
            let edges = r.moduleGraph.prefix(30).map { "M\($0.from)→M\($0.to) (\($0.count))" }
            lines.append("  module graph: " + edges.joined(separator: ", ") + (r.moduleGraph.count > 30 ? " …" : ""))
        }
        let h = r.hierarchy
        lines.append(
            "  hierarchy: \(h.levels.count) level\(h.levels.count == 1 ? "" : "s"); reused "
                + (h.reused.isEmpty ? "none" : h.reused.map { "M\($0)" }.joined(separator: " ")) + "; input-separable "
                + (h.inputSeparable.isEmpty ? "none" : h.inputSeparable.map { "M\($0)" }.joined(separator: " "))
                + (h.acyclic ? "" : "; the module graph has a cycle"))
        if let j = r.judge {
            if let mismatch = j.mismatch {
                lines.append("  judge \(j.task): not applicable (\(mismatch))")
            } else {
                lines.append("  judge \(j.task): " + (j.success ? "SUCCESS" : "FAILURE"))
                for c in j.criteria { lines.append("    \(c.passed ? "✓" : "✗") \(c.name): \(c.detail)") }
            }
        }
        return lines.joined(separator: "\n")
    }

    static func list(_ a: [Int]) -> String { "[" + a.map(String.init).joined(separator: ",") + "]" }

    static func fmt(_ x: Double, _ digits: Int) -> String {
        var s = String(format: "%.\(digits)f", x)
        if s.contains(".") {
            while s.hasSuffix("0") { s.removeLast() }
            if s.hasSuffix(".") { s.removeLast() }
        }
        return s == "-0" ? "0" : s
    }
}
