import Foundation
import SculptCore

/// Success rates of a sweep in the layout of docs/method.md §7.3: one table per judge criterion (plus the
/// overall verdict), rows = tasks in sweep order, columns = number of hidden layers; each cell is the
/// fraction of (width × seed) rows of that task and depth whose criterion passed.
public struct SuccessTable: Equatable, Sendable {
    /// One judged selection: its task, depth and verdicts (criterion name → passed; "success" = overall).
    public struct Row: Equatable, Sendable {
        public var task: String
        public var hiddenLayers: Int
        public var verdicts: [String: Bool]
        public init(task: String, hiddenLayers: Int, verdicts: [String: Bool]) {
            self.task = task
            self.hiddenLayers = hiddenLayers
            self.verdicts = verdicts
        }
    }

    public struct Cell: Equatable, Sendable {
        public var passed: Int
        public var total: Int
        public var rate: Double { total == 0 ? 0 : Double(passed) / Double(total) }
        public init(passed: Int, total: Int) { self.passed = passed; self.total = total }
    }

    /// Criterion names, "success" first, then the others in first-seen order.
    public let criteria: [String]
    public let tasks: [String]
    public let depths: [Int]
    /// cells[criterion][task][depth]
    public let cells: [String: [String: [Int: Cell]]]

    public init(rows: [Row]) {
        var criteria: [String] = ["success"]
        var tasks: [String] = []
        var depths = Set<Int>()
        var cells: [String: [String: [Int: Cell]]] = [:]
        for r in rows {
            if !tasks.contains(r.task) { tasks.append(r.task) }
            depths.insert(r.hiddenLayers)
            for name in r.verdicts.keys.sorted() where !criteria.contains(name) { criteria.append(name) }
        }
        for r in rows {
            for name in criteria {
                // A row without this criterion (another family) is not counted in its table.
                guard let passed = r.verdicts[name] else { continue }
                var cell = cells[name, default: [:]][r.task, default: [:]][r.hiddenLayers] ?? Cell(passed: 0, total: 0)
                cell.total += 1
                if passed { cell.passed += 1 }
                cells[name, default: [:]][r.task, default: [:]][r.hiddenLayers] = cell
            }
        }
        self.criteria = criteria.filter { cells[$0] != nil }
        self.tasks = tasks
        self.depths = depths.sorted()
        self.cells = cells
    }

    public func cell(_ criterion: String, _ task: String, _ depth: Int) -> Cell? { cells[criterion]?[task]?[depth] }

    /// The 95 % Wilson score interval of `passed` successes in `total` runs (z = 1.96): unlike the
    /// normal approximation it stays inside [0, 1] and is not empty at 0/n or n/n.
    public static func wilsonInterval(passed k: Int, total n: Int, z: Double = 1.959964) -> (low: Double, high: Double) {
        guard n > 0 else { return (0, 1) }
        let p = Double(k) / Double(n), n = Double(n), z2 = z * z
        let denominator = 1 + z2 / n
        let center = (p + z2 / (2 * n)) / denominator
        let half = z * (p * (1 - p) / n + z2 / (4 * n * n)).squareRoot() / denominator
        return (max(0, center - half), min(1, center + half))
    }

    /// Markdown: one table per criterion; "–" where no row was judged. With `paper` (the rate the
    /// paper plots for a task and number of hidden layers, nil where it plots none), a last table
    /// lists every overall cell beside the paper's rate with its 95 % interval.
    public func markdown(title: String, paper: ((String, Int) -> Double?)? = nil) -> String {
        var s = "# \(title)\n\nFraction of (width × seed) runs judged successful, by task and number of hidden layers.\n"
        if criteria.contains("selected_network") {
            s += "A run passes, as the paper counts, when any of its equally sparse networks passes; `selected_network` counts the selected network alone.\n"
        }
        for name in criteria {
            let taskRows = tasks.filter { t in depths.contains { cell(name, t, $0) != nil } }
            guard !taskRows.isEmpty else { continue }
            s += "\n## \(name)\n\n| task | " + depths.map { "\($0) hidden" }.joined(separator: " | ") + " |\n"
            s += "|---|" + depths.map { _ in "---:|" }.joined() + "\n"
            for t in taskRows {
                s +=
                    "| \(t) | "
                    + depths.map { d in
                        cell(name, t, d).map { String(format: "%.2f (%d/%d)", $0.rate, $0.passed, $0.total) } ?? "–"
                    }.joined(separator: " | ") + " |\n"
            }
        }
        if let paper { s += paperComparison(paper) }
        return s
    }

    /// The overall verdict of every cell where the paper plots a rate: runs, rate, 95 % Wilson
    /// interval, the paper's rate, and whether the interval excludes it.
    func paperComparison(_ paper: (String, Int) -> Double?) -> String {
        var lines: [String] = []
        for t in tasks {
            for d in depths {
                guard let c = cell("success", t, d), let rate = paper(t, d) else { continue }
                let (lo, hi) = Self.wilsonInterval(passed: c.passed, total: c.total)
                let outside = rate < lo - 1e-9 || rate > hi + 1e-9
                lines.append(
                    String(
                        format: "| %@ | %d | %d/%d | %.2f | %.2f–%.2f | %.2f | %@ |", t, d, c.passed, c.total, c.rate, lo, hi, rate, outside ? "**outside**" : "inside"))
            }
        }
        guard !lines.isEmpty else { return "" }
        return "\n## success against the paper\n\nEach cell's overall success rate with its 95 % Wilson interval, beside the rate the paper plots; "
            + "**outside** marks an interval that excludes the paper's value.\n\n"
            + "| task | hidden layers | runs passed | rate | 95 % interval | paper | the paper's rate is |\n|---|---:|---:|---:|---|---:|---|\n"
            + lines.joined(separator: "\n") + "\n"
    }

    /// `success.json`: every table, by criterion, task and number of hidden layers.
    public var record: SuccessRecord {
        var tables: [String: [String: [String: SuccessRecord.Cell]]] = [:]
        for name in criteria {
            var byTask: [String: [String: SuccessRecord.Cell]] = [:]
            for t in tasks {
                var byDepth: [String: SuccessRecord.Cell] = [:]
                for d in depths {
                    if let c = cell(name, t, d) { byDepth["\(d)"] = .init(passed: c.passed, total: c.total, rate: c.rate) }
                }
                if !byDepth.isEmpty { byTask[t] = byDepth }
            }
            tables[name] = byTask
        }
        return SuccessRecord(criteria: criteria, tasks: tasks, hiddenLayers: depths, tables: tables)
    }
}

/// `success.json`.
public struct SuccessRecord: VersionedRecord, Sendable {
    public static let formatTag = "sculpt-success/1"
    public var format = formatTag
    public var criteria: [String]
    public var tasks: [String]
    public var hiddenLayers: [Int]
    /// criterion → task → number of hidden layers (as text) → cell.
    public var tables: [String: [String: [String: Cell]]]

    public struct Cell: Codable, Sendable, Equatable {
        public var passed: Int
        public var total: Int
        public var rate: Double
    }
}
