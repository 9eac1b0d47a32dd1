import Foundation
import Reports
import SculptCore

/// `report.html` of a `sculpt run` directory: one self-contained page (inline SVG and CSS, nothing
/// fetched) with the run's settings and, per model, its numbers, the judge's verdicts, every pruning
/// round tried (accepted or rejected, accuracy against what was pruned), the pruned network with its
/// modules and the module graph.
public enum RunReport {
    /// The page for the run in `directory`.
    /// - Throws: `RecordError` for a missing or unreadable `run.json` or history file.
    public static func html(directory: String) throws -> String {
        let dir = RunDirectory(path: directory)
        let run = try dir.read(RunRecord.self, "run.json")
        let c = run.config
        var body = "<h1>sculpt run: \(HTML.escape(run.task)) on \(HTML.escape(Architecture.text(run.arch)))</h1>\n"
        body += HTML.table(
            ["setting", "value"],
            [
                [
                    "training",
                    HTML.escape("lr \(c.learningRate), batch \(c.training.batchSize), \(c.training.epochs) epochs per (re)training, loss \(c.training.loss.rawValue)"),
                ],
                [
                    "pruning",
                    HTML.escape(
                        "accuracy threshold \(c.accuracyThreshold) %, edge norm \(c.edgeNormalization.rawValue), step rule \(c.stepRule), cleanup \(run.cleanup ? "on" : "off")"
                    ),
                ],
                ["models", HTML.escape("\(run.models.count) (\(c.chains == nil ? "seeds × P_u × P_e" : "the chains given"))")],
                ["device", HTML.escape(run.environment.device)],
                ["wall time", HTML.escape(String(format: "%.1f s", run.seconds))],
            ])
        body += "\n<h2>Models</h2>\n"
        body += HTML.table(
            ["model", "edges (density)", "validation", "test", "condensed", "modules", "judge"],
            run.models.map { m in
                [
                    "<a href=\"#\(HTML.escape(m.id))\">\(HTML.escape(m.id))</a>", HTML.escape("\(m.edges) (\(String(format: "%.3g", 100 * m.density)) %)"),
                    HTML.escape(String(format: "%.2f %%", m.accuracy)), HTML.escape(m.testAccuracy.map { String(format: "%.2f %%", $0) } ?? "—"),
                    HTML.escape(Architecture.text(m.condensedArch)), "\(m.modules)", verdict(m.judgeSuccess),
                ]
            })
        for m in run.models {
            body += try section(m, run: run, dir: dir)
        }
        body +=
            "\n<p class=\"note\">Written by sculpt \(HTML.escape(BuildInfo.version)) from the files in this directory (run.json, models/*/history.json, models/*/modules.svg).</p>"
        return HTML.page(title: "sculpt run: \(run.task)", body: body)
    }

    /// Writes `report.html` into `directory` (atomically) and returns its path.
    @discardableResult
    public static func write(directory: String) throws -> String { try HTML.writeReport(try html(directory: directory), into: directory) }

    static func verdict(_ success: Bool?) -> String {
        switch success {
        case true?: return "<span class=\"pass\">success</span>"
        case false?: return "<span class=\"fail\">fail</span>"
        case nil: return "—"
        }
    }

    static func section(_ m: ModelSummary, run: RunRecord, dir: RunDirectory) throws -> String {
        var s = "\n<h2 id=\"\(HTML.escape(m.id))\">\(HTML.escape(m.id))</h2>\n"
        var rows = [
            ["seed, P_u, P_e", HTML.escape("\(m.seed), \(percentText(m.unitStep)) %, \(percentText(m.edgeStep)) %")],
            ["rounds", HTML.escape("unit \(m.unitRoundsAccepted)/\(m.unitRoundsTried) accepted, edge \(m.edgeRoundsAccepted)/\(m.edgeRoundsTried) accepted")],
            [
                "network",
                HTML.escape(
                    "\(m.hiddenUnits) hidden units, \(m.edges) of \(m.weights) weights (\(String(format: "%.3g", 100 * m.density)) %), condensed \(Architecture.text(m.condensedArch))"
                ),
            ],
            [
                "accuracy",
                HTML.escape(
                    String(format: "dense %.2f %%, pruned %.2f %% (validation)", m.denseAccuracy, m.accuracy)
                        + (m.testAccuracy.map { String(format: ", %.2f %% (test)", $0) } ?? "")),
            ],
        ]
        if let v = m.validationDigits { rows.append(["per pair", HTML.escape("validation: \(v.text)" + (m.testDigits.map { "; test: \($0.text)" } ?? ""))]) }
        if let c = m.cleanup {
            rows.append([
                "cleanup",
                HTML.escape(
                    String(
                        format: "removed %d edge(s) in %d pass(es); validation loss %.5f → %.5f, accuracy %.2f → %.2f %%", c.removedEdges, c.passes,
                        c.lossBefore, c.lossAfter, c.hostAccuracyBefore, c.hostAccuracyAfter)),
            ])
        }
        if let j = m.judge {
            rows.append(["judge", verdict(m.judgeSuccess) + " — " + j.keys.sorted().map { "\(HTML.escape($0)) \(j[$0]! ? "✓" : "✗")" }.joined(separator: ", ")])
        }
        if let note = m.note { rows.append(["note", HTML.escape(note)]) }
        s += HTML.table(["", ""], rows)
        let history = try dir.read(HistoryRecord.self, "models/\(m.id)/history.json")
        s +=
            "\n<h3>Pruning rounds</h3>\n<p class=\"note\">Filled: accepted; hollow: rejected (validation accuracy below the threshold). Hover a point for its round.</p>\n"
        let threshold = (y: run.config.accuracyThreshold, label: "threshold \(percentText(run.config.accuracyThreshold)) %")
        let units = history.unitAttempts.filter(\.tried).compactMap { a -> HTML.Point? in
            a.accuracy.map {
                HTML.Point(
                    x: a.target, y: $0, filled: a.accepted, color: "#6941c6",
                    label: "unit round \(a.iteration): \(percentText(a.target)) % of units, \(String(format: "%.2f", $0)) %")
            }
        }
        let edges = history.edgeAttempts.filter(\.tried).compactMap { a -> HTML.Point? in
            a.accuracy.map {
                HTML.Point(
                    x: max(100 - a.target, 1e-6), y: $0, filled: a.accepted, color: "#1570ef",
                    label: "edge round \(a.iteration): \(String(format: "%.4g", 100 - a.target)) % of weights left, \(String(format: "%.2f", $0)) %")
            }
        }
        s += "<div class=\"figure\">"
        if !units.isEmpty { s += HTML.scatter(units, xLabel: "hidden units pruned (%)", yLabel: "validation accuracy (%)", hLine: threshold) }
        if !edges.isEmpty { s += HTML.scatter(edges, xLabel: "weights left (%, log scale)", yLabel: "validation accuracy (%)", logX: true, hLine: threshold) }
        if units.isEmpty && edges.isEmpty { s += "<p class=\"note\">No pruning round was tried.</p>" }
        s += "</div>\n"
        // Image tasks: which pixels each module reads.
        if let data = try? Data(contentsOf: URL(fileURLWithPath: dir.file("models/\(m.id)/modules.json"))),
            let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any], let modules = json["modules"] as? [[[Int]]],
            let map = ModuleReport.pixelMapSVG(modules: modules, inputs: run.arch[0])
        {
            s += "<h3>Pixels read by each module</h3>\n<div class=\"figure\">\(map)</div>\n"
        }
        for (title, file) in [("Pruned network and modules", "modules.svg"), ("Module graph", "modules-dag.svg")] where dir.exists("models/\(m.id)/\(file)") {
            let svg = try String(contentsOfFile: dir.file("models/\(m.id)/\(file)"), encoding: .utf8)
            s += "<h3>\(title)</h3>\n<div class=\"figure\">\(HTML.inlineSVG(svg))</div>\n"
        }
        return s
    }
}
