import Foundation
import Pruning
import Reports
import SculptCore

/// `report.html` of a sweep directory: the success tables as heat maps, the `(P_u, P_e)` each seed
/// selected, the selected networks' density and accuracy per task, and a link to every selected
/// network's figure. One self-contained page, made from `sweep.json` and `results.jsonl`.
public enum SweepReport {
    /// - Throws: `RecordError` for an unreadable `sweep.json` or results row.
    public static func html(directory: String) throws -> String {
        let dir = RunDirectory(path: directory)
        let state = try dir.read(SweepState.self, "sweep.json")
        let text = (try? String(contentsOfFile: dir.file("results.jsonl"), encoding: .utf8)) ?? ""
        let rows = try text.split(separator: "\n").map { try RecordCoding.decoder().decode(SweepRow.self, from: Data($0.utf8)) }
        let table = SweepRunner.successTable(rows)
        let selected = rows.filter(\.selected)
        var body = "<h1>sculpt sweep: \(HTML.escape(state.name))</h1>\n"
        body += HTML.table(
            ["", ""],
            [
                [
                    "jobs",
                    HTML.escape(
                        "\(state.jobs.count) in the manifest\(state.shard.map { ", this directory runs part \($0.index) of \($0.count)" } ?? ""); \(Set(rows.map(\.job)).count) finished"
                    ),
                ],
                ["selections", HTML.escape("\(rows.count) (task × architecture × seed), \(selected.count) met the accuracy threshold")],
                ["device", HTML.escape(state.environment.device)],
            ])
        body +=
            "\n<h2>Success rates</h2>\n<p class=\"note\">Each cell: the fraction of runs (widths × seeds) of a task and depth that the judge passed, with the counts; darker is higher. As the paper counts, a run passes when any of its equally sparse networks (the ties of the selection) passes; \"selected_network\" counts only the one network the tie order selects. In the overall table, \"paper\" is the rate the Neural Sculpting paper plots for that cell (docs/method.md §7.3; for hierarchy-U its \"all modules for depth\").</p>\n"
        for criterion in table.criteria {
            body += "<h3>\(HTML.escape(criterion))</h3>\n"
            body += HTML.table(
                ["task"] + table.depths.map { "\($0) hidden" },
                table.tasks.map { task in
                    [HTML.escape(task)]
                        + table.depths.map { d in
                            guard let c = table.cell(criterion, task, d) else { return "—" }
                            let paper = criterion == "success" ? PaperRates.success(task: task, hiddenLayers: d).map { String(format: " · paper %.2f", $0) } ?? "" : ""
                            return heat(c.rate) + HTML.escape(String(format: "%.2f (%d/%d)", c.rate, c.passed, c.total) + paper) + "</span>"
                        }
                })
        }
        body +=
            "\n<h2>Selected (P_u, P_e)</h2>\n<p class=\"note\">One point per selected network; filled: the judge passed it. Hover for the job and seed.</p>\n<div class=\"figure\">"
        body += HTML.scatter(
            selected.compactMap { r -> HTML.Point? in
                guard let u = r.unitStep, let e = r.edgeStep else { return nil }
                return HTML.Point(
                    x: u, y: e, filled: r.judgeSuccess == true, color: "#1570ef", label: "\(r.job) seed \(r.seed): P_u \(percentText(u)), P_e \(percentText(e))")
            }, xLabel: "P_u (%)", yLabel: "P_e (%)")
        body += "</div>\n<h2>Density and accuracy of the selected networks</h2>\n<div class=\"figure\">"
        let tasks = table.tasks
        body += HTML.scatter(
            selected.compactMap { r -> HTML.Point? in
                guard let d = r.density, let t = tasks.firstIndex(of: r.task) else { return nil }
                return HTML.Point(
                    x: 100 * d, y: Double(t), filled: r.judgeSuccess == true, color: "#6941c6",
                    label:
                        "\(r.task) \(r.job) seed \(r.seed): density \(String(format: "%.3g", 100 * d)) %, accuracy \(r.accuracy.map { String(format: "%.2f", $0) } ?? "?") %"
                )
            }, xLabel: "density (%, log scale)", yLabel: "task (0 = \(tasks.first ?? "?"))", logX: true)
        body += HTML.scatter(
            selected.compactMap { r -> HTML.Point? in
                guard let d = r.density, let a = r.accuracy else { return nil }
                return HTML.Point(x: 100 * d, y: a, filled: r.judgeSuccess == true, color: "#1a7f37", label: "\(r.job) seed \(r.seed)")
            }, xLabel: "density (%, log scale)", yLabel: "validation accuracy (%)", logX: true)
        body += "</div>\n<h2>Selected networks</h2>\n"
        body += HTML.table(
            ["job", "seed", "P_u, P_e", "edges (density)", "accuracy", "judge", "tied networks", "figure"],
            rows.map { r in
                let figure = "jobs/\(r.job)/s\(r.seed)/modules.svg"
                return [
                    HTML.escape(r.job), "\(r.seed)", HTML.escape([r.unitStep, r.edgeStep].map { $0.map(percentText) ?? "—" }.joined(separator: ", ")),
                    HTML.escape(r.edges.map { "\($0) (\(String(format: "%.3g", 100 * (r.density ?? 0))) %)" } ?? (r.note ?? "—")),
                    HTML.escape(accuracyText(r)),
                    r.judgeSuccess.map { $0 ? "<span class=\"pass\">success</span>" : "<span class=\"fail\">fail</span>" } ?? "—",
                    tiesText(r),
                    dir.exists(figure) ? "<a href=\"\(HTML.escape(figure))\">modules.svg</a>" : "—",
                ]
            })
        return HTML.page(title: "sculpt sweep: \(state.name)", body: body)
    }

    /// Validation accuracy per bit, then what vision rows add: held-out test accuracy per bit and the
    /// accuracy per image pair (per-bit accuracy alone hides networks that recognise few digits).
    static func accuracyText(_ r: SweepRow) -> String {
        guard let a = r.accuracy else { return "—" }
        var parts = [String(format: "%.2f %%", a)]
        if let t = r.testAccuracy { parts.append(String(format: "test %.2f %%", t)) }
        if let v = r.validationDigits { parts.append("per pair: \(v.text)") }
        if let t = r.testDigits { parts.append("test: \(t.text)") }
        return parts.joined(separator: "; ")
    }

    /// How many networks tie with the selected one, and whether any of them passed ("—" without ties).
    static func tiesText(_ r: SweepRow) -> String {
        guard let n = r.tiedNetworks, n > 1 else { return "—" }
        guard let any = r.tiedJudgeSuccess else { return "\(n)" }
        return "\(n), " + (any ? "<span class=\"pass\">one passes</span>" : "<span class=\"fail\">none passes</span>")
    }

    /// Writes `report.html` into `directory` (atomically) and returns its path.
    @discardableResult
    public static func write(directory: String) throws -> String { try HTML.writeReport(try html(directory: directory), into: directory) }

    /// Opens a cell whose background darkens with `rate` (0…1).
    static func heat(_ rate: Double) -> String {
        let alpha = 0.08 + 0.6 * min(max(rate, 0), 1)
        return "<span style=\"display:block;background:rgba(21,112,239,\(String(format: "%.2f", alpha)));padding:0.1em 0.3em\">"
    }
}
