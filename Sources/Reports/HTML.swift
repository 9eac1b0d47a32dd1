import Foundation
import SculptCore

/// Small pieces of self-contained HTML (inline CSS and SVG, no scripts, no network) for reports.
/// Everything is written as well-formed XHTML-style markup, so an XML parser can check it.
public enum HTML {
    /// Text escaped for element content and attribute values.
    public static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.count)
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }

    /// A whole page: `title`, a short stylesheet, and `body` (already HTML).
    public static func page(title: String, body: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title>\(escape(title))</title>
        <style>
        body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2em auto; max-width: 1200px; color: #222; padding: 0 1em; }
        h1 { font-size: 1.5em; } h2 { font-size: 1.2em; margin-top: 2em; border-bottom: 1px solid #ccc; } h3 { font-size: 1em; }
        table { border-collapse: collapse; margin: 0.5em 0; } td, th { border: 1px solid #ddd; padding: 0.2em 0.6em; text-align: left; vertical-align: top; }
        th { background: #f4f4f4; } .pass { color: #1a7f37; font-weight: 600; } .fail { color: #b42318; font-weight: 600; }
        .figure { overflow-x: auto; border: 1px solid #eee; margin: 0.5em 0; } .figure svg { max-width: 100%; height: auto; }
        .note { color: #555; font-size: 0.9em; } code { background: #f6f6f6; padding: 0 0.2em; }
        @media print { .figure { overflow: visible; } h2 { page-break-before: auto; } }
        </style>
        </head>
        <body>
        \(body)
        </body>
        </html>

        """
    }

    /// Writes a report page as `report.html` into `directory` (atomically) and returns its path.
    @discardableResult
    public static func writeReport(_ page: String, into directory: String) throws -> String {
        let path = RunDirectory(path: directory).file("report.html")
        try AtomicFile.write(Data(page.utf8), to: path)
        return path
    }

    /// A table with a header row (none when every header is empty); cells are HTML.
    public static func table(_ header: [String], _ rows: [[String]]) -> String {
        let head = header.allSatisfy(\.isEmpty) ? "" : "<tr>" + header.map { "<th>\(escape($0))</th>" }.joined() + "</tr>"
        let body = rows.map { "<tr>" + $0.map { "<td>\($0)</td>" }.joined() + "</tr>" }.joined(separator: "\n")
        return "<table>\n\(head)\n\(body)\n</table>"
    }

    /// An SVG document's markup without its XML declaration, to embed inline.
    public static func inlineSVG(_ svg: String) -> String {
        guard let start = svg.range(of: "<svg") else { return "" }
        return String(svg[start.lowerBound...])
    }

    /// One point of a scatter chart.
    public struct Point: Sendable {
        public var x: Double, y: Double
        /// Filled (true) or hollow marker.
        public var filled: Bool
        /// Marker colour (CSS).
        public var color: String
        public var label: String
        public init(x: Double, y: Double, filled: Bool, color: String, label: String) {
            self.x = x
            self.y = y
            self.filled = filled
            self.color = color
            self.label = label
        }
    }

    /// A scatter chart as inline SVG: axes with ticks, optional log-scale x, an optional horizontal
    /// line (e.g. an accuracy threshold), a hover title per point.
    public static func scatter(
        _ points: [Point], xLabel: String, yLabel: String, logX: Bool = false, hLine: (y: Double, label: String)? = nil,
        width: Int = 520, height: Int = 300
    ) -> String {
        let (left, right, top, bottom) = (60.0, 20.0, 20.0, 45.0)
        let w = Double(width) - left - right, h = Double(height) - top - bottom
        let xs = points.map { logX ? log10(max($0.x, 1e-9)) : $0.x }
        var ys = points.map(\.y)
        if let l = hLine { ys.append(l.y) }
        var (x0, x1) = (xs.min() ?? 0, xs.max() ?? 1), (y0, y1) = (ys.min() ?? 0, ys.max() ?? 1)
        if x1 - x0 < 1e-9 { (x0, x1) = (x0 - 1, x1 + 1) }
        if y1 - y0 < 1e-9 { (y0, y1) = (y0 - 1, y1 + 1) }
        let padX = (x1 - x0) * 0.05, padY = (y1 - y0) * 0.08
        (x0, x1, y0, y1) = (x0 - padX, x1 + padX, y0 - padY, y1 + padY)
        func px(_ x: Double) -> Double { left + (x - x0) / (x1 - x0) * w }
        func py(_ y: Double) -> Double { top + (1 - (y - y0) / (y1 - y0)) * h }
        func f(_ v: Double) -> String { String(format: "%.1f", v) }
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\" font-size=\"11\">"
        s += "<rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(w))\" height=\"\(f(h))\" fill=\"#fafafa\" stroke=\"#999\"/>"
        // Enough decimals that neighbouring ticks differ.
        func decimals(_ span: Double) -> Int { max(0, min(6, Int((-log10(span / 4)).rounded(.up)) + 1)) }
        let yDecimals = decimals(y1 - y0), xDecimals = decimals(x1 - x0)
        for k in 0...4 {
            let yv = y0 + (y1 - y0) * Double(k) / 4
            s += "<text x=\"\(f(left - 4))\" y=\"\(f(py(yv) + 4))\" text-anchor=\"end\">\(escape(String(format: "%.\(yDecimals)f", yv)))</text>"
        }
        let xTicks: [(at: Double, text: String)] =
            if logX, let round = logTicks(from: x0, to: x1) { round.map { ($0, tick(pow(10, $0))) } } else {
                (0...4).map { k in
                    let xv = x0 + (x1 - x0) * Double(k) / 4
                    return (xv, logX ? tick(pow(10, xv)) : String(format: "%.\(xDecimals)f", xv))
                }
            }
        for t in xTicks {
            s += "<text x=\"\(f(px(t.at)))\" y=\"\(f(top + h + 14))\" text-anchor=\"middle\">\(escape(t.text))</text>"
        }
        s += "<text x=\"\(f(left + w / 2))\" y=\"\(f(Double(height) - 8))\" text-anchor=\"middle\">\(escape(xLabel))</text>"
        s += "<text x=\"14\" y=\"\(f(top + h / 2))\" text-anchor=\"middle\" transform=\"rotate(-90 14 \(f(top + h / 2)))\">\(escape(yLabel))</text>"
        if let l = hLine {
            s += "<line x1=\"\(f(left))\" x2=\"\(f(left + w))\" y1=\"\(f(py(l.y)))\" y2=\"\(f(py(l.y)))\" stroke=\"#b42318\" stroke-dasharray=\"4 3\"/>"
            let at = lineLabelPlace(
                label: l.label, lineY: py(l.y), plot: (left, top, w, h), points: zip(points, xs).map { (px($1), py($0.y)) })
            s += "<text x=\"\(f(at.x))\" y=\"\(f(at.y))\" text-anchor=\"\(at.anchor)\" fill=\"#b42318\">\(escape(l.label))</text>"
        }
        for (p, x) in zip(points, xs) {
            let fill = p.filled ? p.color : "white"
            s +=
                "<circle cx=\"\(f(px(x)))\" cy=\"\(f(py(p.y)))\" r=\"4\" fill=\"\(fill)\" stroke=\"\(p.color)\" stroke-width=\"1.5\"><title>\(escape(p.label))</title></circle>"
        }
        return s + "</svg>"
    }

    /// A histogram of `values` as inline SVG (about √n bins), with a vertical `marker` line (e.g. an
    /// observed statistic) drawn even when it lies outside the values' range.
    public static func histogram(_ values: [Double], marker: (x: Double, label: String)?, xLabel: String, width: Int = 420, height: Int = 220) -> String {
        let (left, right, top, bottom) = (40.0, 15.0, 20.0, 40.0)
        let w = Double(width) - left - right, h = Double(height) - top - bottom
        var lo = values.min() ?? 0, hi = values.max() ?? 1
        if let m = marker { (lo, hi) = (min(lo, m.x), max(hi, m.x)) }
        if hi - lo < 1e-12 { (lo, hi) = (lo - 0.5, hi + 0.5) }
        let pad = (hi - lo) * 0.05
        (lo, hi) = (lo - pad, hi + pad)
        let bins = max(5, min(40, Int(Double(values.count).squareRoot())))
        var counts = [Int](repeating: 0, count: bins)
        for v in values { counts[min(bins - 1, max(0, Int((v - lo) / (hi - lo) * Double(bins))))] += 1 }
        let top1 = Double(max(counts.max() ?? 1, 1))
        func px(_ x: Double) -> Double { left + (x - lo) / (hi - lo) * w }
        func f(_ v: Double) -> String { String(format: "%.1f", v) }
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\" font-size=\"11\">"
        s += "<rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(w))\" height=\"\(f(h))\" fill=\"#fafafa\" stroke=\"#999\"/>"
        let bw = w / Double(bins)
        for (i, c) in counts.enumerated() where c > 0 {
            let bh = Double(c) / top1 * h
            s += "<rect x=\"\(f(left + Double(i) * bw))\" y=\"\(f(top + h - bh))\" width=\"\(f(max(bw - 1, 0.5)))\" height=\"\(f(bh))\" fill=\"#98a2b3\"/>"
        }
        let decimals = max(0, min(6, Int((-log10((hi - lo) / 4)).rounded(.up)) + 1))
        for k in 0...4 {
            let xv = lo + (hi - lo) * Double(k) / 4
            s += "<text x=\"\(f(px(xv)))\" y=\"\(f(top + h + 14))\" text-anchor=\"middle\">\(String(format: "%.\(decimals)f", xv))</text>"
        }
        s += "<text x=\"\(f(left - 4))\" y=\"\(f(top + 8))\" text-anchor=\"end\">\(Int(top1))</text>"
        s += "<text x=\"\(f(left + w / 2))\" y=\"\(f(Double(height) - 8))\" text-anchor=\"middle\">\(escape(xLabel))</text>"
        if let m = marker {
            s += "<line x1=\"\(f(px(m.x)))\" x2=\"\(f(px(m.x)))\" y1=\"\(f(top))\" y2=\"\(f(top + h))\" stroke=\"#b42318\" stroke-width=\"2\"/>"
            // The label on the side with room: left of the line when it is near the right edge.
            let right = px(m.x) > left + 0.65 * w
            s += "<text x=\"\(f(px(m.x) + (right ? -4 : 4)))\" y=\"\(f(top + 12))\" text-anchor=\"\(right ? "end" : "start")\" fill=\"#b42318\">\(escape(m.label))</text>"
        }
        return s + "</svg>"
    }

    /// Where a horizontal line's label goes: at the right or left end of the line, above or below it,
    /// whichever of the four covers the fewest points (ties in that order, so an empty plot keeps
    /// the label at the right, above the line). Text is about 6.2 px per character at font size 11.
    static func lineLabelPlace(
        label: String, lineY: Double, plot: (left: Double, top: Double, w: Double, h: Double), points: [(x: Double, y: Double)]
    ) -> (x: Double, y: Double, anchor: String) {
        let width = 6.2 * Double(label.count), r = 4.0
        let candidates: [(x: Double, y: Double, anchor: String)] = [
            (plot.left + plot.w - 4, lineY - 4, "end"), (plot.left + plot.w - 4, lineY + 13, "end"),
            (plot.left + 4, lineY - 4, "start"), (plot.left + 4, lineY + 13, "start"),
        ]
        func covered(_ c: (x: Double, y: Double, anchor: String)) -> Int {
            let x0 = c.anchor == "end" ? c.x - width : c.x, x1 = x0 + width
            let y0 = c.y - 10, y1 = c.y + 2
            return points.filter { $0.x + r >= x0 && $0.x - r <= x1 && $0.y + r >= y0 && $0.y - r <= y1 }.count
        }
        let counts = candidates.map(covered)
        return candidates[counts.firstIndex(of: counts.min()!)!]
    }

    /// Round positions (log10 of 1, 2 or 5 × a power of ten) for a log axis spanning `lo…hi` in log10;
    /// nil when fewer than two fall inside. With many decades only the powers of ten are kept.
    static func logTicks(from lo: Double, to hi: Double) -> [Double]? {
        guard hi > lo, (hi - lo).isFinite else { return nil }
        let all = (Int(lo.rounded(.down))...Int(hi.rounded(.up))).flatMap { e in [1.0, 2, 5].map { log10($0) + Double(e) } }
        var inside = all.filter { $0 >= lo - 1e-9 && $0 <= hi + 1e-9 }
        if inside.count > 7 { inside = inside.filter { abs($0 - $0.rounded()) < 1e-9 } }
        if inside.count > 7 {
            let step = (inside.count + 5) / 6
            inside = inside.enumerated().filter { $0.offset % step == 0 }.map(\.element)
        }
        return inside.count >= 2 ? inside : nil
    }

    /// Short tick text: 3 significant digits.
    static func tick(_ v: Double) -> String {
        if v != 0 && (abs(v) < 0.01 || abs(v) >= 1e5) { return String(format: "%.2g", v) }
        return String(format: "%.3g", v)
    }
}
