import Analysis
import Foundation
import SculptCore

extension ModuleReport {
    /// A decimal meta value at six significant digits (`93.06666666666666` → `93.0667`); anything else
    /// (integers, names, lists) as written. The masks file keeps the full value.
    static func shortNumber(_ v: String) -> String {
        guard v.contains("."), let x = Double(v), x.isFinite else { return v }
        return String(format: "%g", x)
    }

    /// The network figure of docs/method.md §6.6 as SVG: condensed units by layer (inputs at the bottom,
    /// outputs at the top), grouped by module within each layer, one coloured box per module and
    /// layer (viridis darkened by 1/1.65), every surviving edge, and a title with the task, the
    /// original architecture and the density. `meta` (seed, P_u, P_e, …) goes into the subtitle. With
    /// `weights` (per weight layer, edge → weight), edges are blue when positive and red when negative,
    /// their width growing with |w|; without, all grey.
    public static func networkSVG(_ r: DetectionResult, meta: [String: String] = [:], weights: [[MaskFile.Edge: Float]]? = nil) -> String {
        let L = r.depth
        let widths = r.condensedArch
        let maxWidth = max(widths.max() ?? 1, 1)
        let dx = max(3.0, min(36.0, 1400.0 / Double(maxWidth)))
        let radius = max(1.0, min(9.0, dx / 3))
        let dy = 110.0
        let left = 90.0, right = 30.0, bottom = 40.0
        let plotWidth = Double(maxWidth - 1) * dx + 2 * (radius + 8)
        let width = left + max(plotWidth, 420) + right
        // The subtitle wraps at its commas to the figure's width (about 6 px per character at 11 px).
        var subtitle = "condensed \(list(r.condensedArch)), \(r.edgeCount) edges, \(r.modules.count) module\(r.modules.count == 1 ? "" : "s")"
        if !meta.isEmpty { subtitle += ", " + meta.keys.sorted().map { "\($0) = \(Self.shortNumber(meta[$0]!))" }.joined(separator: ", ") }
        let subtitleLines = wrap(subtitle, width: Int((width - 20) / 6.2))
        let top = 66.0 + 14.0 * Double(subtitleLines.count)
        let height = top + Double(L) * dy + bottom
        let centre = left + max(plotWidth, 420) / 2
        let M = r.modules.count

        // Position: units sorted by (module, original index) within their layer, centred.
        var pos: [UnitRef: (x: Double, y: Double)] = [:]
        var order: [[UnitRef]] = []
        for l in 0...L {
            let units = r.graph.kept[l].map { UnitRef(l, $0) }.sorted { (r.moduleOf[l][$0.unit]!, $0.unit) < (r.moduleOf[l][$1.unit]!, $1.unit) }
            order.append(units)
            let y = top + Double(L - l) * dy
            let x0 = centre - Double(units.count - 1) * dx / 2
            for (i, u) in units.enumerated() { pos[u] = (x0 + Double(i) * dx, y) }
        }
        var s = svgHeader(width: width, height: height)
        let title = "Modularity " + (r.task ?? "(no task)") + " — Arch \(list(r.arch)) — Density \(fmt(100 * r.density, 2)) %"
        s += text(title, x: width / 2, y: 28, size: 16, anchor: "middle", weight: "bold")
        for (k, line) in subtitleLines.enumerated() { s += text(line, x: width / 2, y: 48 + 14 * Double(k), size: 11, anchor: "middle") }
        for l in 0...L {
            let name = l == 0 ? "inputs" : l == L ? "outputs" : "hidden \(l)"
            s += text(name, x: 12, y: top + Double(L - l) * dy + 4, size: 11, anchor: "start")
        }
        // Boxes: one per (module, layer).
        s += "<g id=\"modules\">\n"
        for l in 0...L {
            var span: [Int: (lo: Double, hi: Double)] = [:]
            for u in order[l] {
                let m = r.moduleOf[l][u.unit]!, x = pos[u]!.x
                span[m] = (min(span[m]?.lo ?? x, x), max(span[m]?.hi ?? x, x))
            }
            for m in span.keys.sorted() {
                let (lo, hi) = span[m]!
                let pad = radius + 4
                let y = top + Double(L - l) * dy
                let c = moduleColour(m, of: M)
                s +=
                    "<rect x=\"\(f(lo - pad))\" y=\"\(f(y - pad))\" width=\"\(f(hi - lo + 2 * pad))\" height=\"\(f(2 * pad))\" "
                    + "rx=\"4\" fill=\"\(c)\" fill-opacity=\"0.35\" stroke=\"\(c)\" stroke-width=\"1.5\"><title>M\(m)</title></rect>\n"
                // The module's id, visible (not only as a tooltip), at the box's left end: above it, or
                // below it on the output row, whose unit names sit above.
                s += text("M\(m)", x: lo - pad, y: l == L ? y + pad + 10 : y - pad - 3, size: 9, anchor: "start", weight: "bold")
            }
        }
        s += "</g>\n<g id=\"edges\" stroke=\"#555555\" stroke-opacity=\"0.55\" stroke-width=\"\(f(max(0.3, min(1.2, radius / 5))))\">\n"
        let largest = Double(weights?.flatMap { $0.values.map { abs($0) } }.max() ?? 0)
        for (l, layer) in r.condensedEdges.enumerated() {
            for e in layer {
                let a = pos[UnitRef(l, e.source)]!, b = pos[UnitRef(l + 1, e.target)]!
                var style = ""
                if let w = weights?[l][MaskFile.Edge(e.source, e.target)], largest > 0 {
                    let width = 0.4 + 2.2 * abs(Double(w)) / largest
                    style = " stroke=\"\(w < 0 ? "#d92d20" : "#1570ef")\" stroke-width=\"\(f(width))\""
                }
                s += "<line x1=\"\(f(a.x))\" y1=\"\(f(a.y))\" x2=\"\(f(b.x))\" y2=\"\(f(b.y))\"\(style)/>\n"
            }
        }
        s += "</g>\n<g id=\"units\" stroke=\"#222222\" stroke-width=\"0.8\">\n"
        for l in 0...L {
            for u in order[l] {
                let p = pos[u]!
                let c = moduleColour(r.moduleOf[l][u.unit]!, of: M)
                s +=
                    "<circle cx=\"\(f(p.x))\" cy=\"\(f(p.y))\" r=\"\(f(radius))\" fill=\"\(c)\"><title>\(escape(r.name(u))) (M\(r.moduleOf[l][u.unit]!))</title></circle>\n"
                if dx >= 24 {
                    s += text(r.name(u), x: p.x, y: p.y + (l == L ? -radius - 6 : radius + 12), size: 8, anchor: "middle")
                }
            }
        }
        s += "</g>\n</svg>\n"
        return s
    }

    /// The module DAG as Graphviz DOT: one node per module (inputs, hidden count, outputs), edges
    /// labelled with their unit-edge counts, modules of one level on one rank, inputs at the bottom.
    public static func moduleGraphDOT(_ r: DetectionResult) -> String {
        let M = r.modules.count
        var s = "digraph modules {\n  rankdir=BT;\n"
        s += "  label=\"\(dotEscape((r.task ?? "modules") + " " + list(r.arch) + ", condensed " + list(r.condensedArch)))\";\n"
        s += "  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", fontcolor=\"white\"];\n"
        for m in r.hierarchy.modules {
            s += "  M\(m.index) [label=\"\(dotEscape(moduleLabel(r, m)))\", fillcolor=\"\(moduleColour(m.index, of: M))\"];\n"
        }
        for e in r.moduleGraph { s += "  M\(e.from) -> M\(e.to) [label=\"\(e.count)\"];\n" }
        for level in r.hierarchy.levels where level.count > 1 {
            s += "  { rank=same; " + level.map { "M\($0);" }.joined(separator: " ") + " }\n"
        }
        s += "}\n"
        return s
    }

    /// The module DAG drawn as SVG without Graphviz: levels from the bottom (level 0) up, modules of a
    /// level side by side in index order, arrows labelled with unit-edge counts.
    public static func moduleGraphSVG(_ r: DetectionResult) -> String {
        let h = r.hierarchy
        let M = r.modules.count
        let boxW = 150.0, boxH = 40.0, gapX = 30.0, gapY = 80.0
        let widest = max(h.levels.map(\.count).max() ?? 1, 1)
        let title = "Module graph — " + (r.task ?? "(no task)") + " — Arch \(list(r.arch)), \(M) module\(M == 1 ? "" : "s")"
        // Wide enough for the boxes and for the title (about 8 px per character at 14 px, bold).
        let width = max(Double(widest) * (boxW + gapX) + gapX, 400, Double(title.count) * 8 + 40)
        let height = 70 + Double(max(h.levels.count, 1)) * (boxH + gapY) + 10
        var centre: [Int: (x: Double, y: Double)] = [:]
        for (lv, mods) in h.levels.enumerated() {
            let y = height - 40 - Double(lv) * (boxH + gapY) - boxH / 2
            let rowW = Double(mods.count) * boxW + Double(mods.count - 1) * gapX
            for (i, m) in mods.enumerated() { centre[m] = (width / 2 - rowW / 2 + boxW / 2 + Double(i) * (boxW + gapX), y) }
        }
        var s = svgHeader(width: width, height: height)
        s +=
            "<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\">"
            + "<path d=\"M 0 0 L 10 5 L 0 10 z\" fill=\"#444444\"/></marker></defs>\n"
        s += text(title, x: width / 2, y: 26, size: 14, anchor: "middle", weight: "bold")
        s += "<g id=\"module-edges\" stroke=\"#444444\" stroke-width=\"1.3\">\n"
        for e in r.moduleGraph {
            guard let a = centre[e.from], let b = centre[e.to] else { continue }
            // From the top (or bottom) edge of one box to the facing edge of the other.
            let up = b.y < a.y
            let y1 = a.y + (up ? -boxH / 2 : boxH / 2), y2 = b.y + (up ? boxH / 2 : -boxH / 2)
            s += "<line x1=\"\(f(a.x))\" y1=\"\(f(y1))\" x2=\"\(f(b.x))\" y2=\"\(f(y2))\" marker-end=\"url(#arrow)\"/>\n"
            // The count 40 % of the way from the source, on a white halo, so that labels of edges
            // that cross near their middles do not sit on one another.
            let lx = a.x + (b.x - a.x) * 0.4, ly = y1 + (y2 - y1) * 0.4
            s +=
                "<text x=\"\(f(lx + 4))\" y=\"\(f(ly + 3))\" font-size=\"10\" stroke=\"#ffffff\" stroke-width=\"3\" paint-order=\"stroke\" "
                + "fill=\"#222222\">\(e.count)</text>\n"
        }
        s += "</g>\n<g id=\"module-nodes\">\n"
        for m in h.modules {
            guard let c = centre[m.index] else { continue }
            s +=
                "<rect x=\"\(f(c.x - boxW / 2))\" y=\"\(f(c.y - boxH / 2))\" width=\"\(f(boxW))\" height=\"\(f(boxH))\" rx=\"8\" "
                + "fill=\"\(moduleColour(m.index, of: M))\"/>\n"
            let parts = moduleLabel(r, m).split(separator: "\n").map(String.init)
            s += text(parts[0], x: c.x, y: c.y - 3, size: 12, anchor: "middle", weight: "bold", fill: "#ffffff")
            if parts.count > 1 { s += text(parts[1], x: c.x, y: c.y + 12, size: 9, anchor: "middle", fill: "#ffffff") }
        }
        s += "</g>\n</svg>\n"
        return s
    }

    // MARK: - Helpers

    /// "M2\nx0,x1 · 3 hidden · y0" (long lists shortened).
    static func moduleLabel(_ r: DetectionResult, _ m: Hierarchy.Module) -> String {
        func names(_ prefix: String, _ xs: [Int]) -> String? {
            guard !xs.isEmpty else { return nil }
            return xs.count <= 4 ? xs.map { "\(prefix)\($0)" }.joined(separator: ",") : "\(xs.count) \(prefix == "x" ? "inputs" : "outputs")"
        }
        let parts = [names("x", m.inputs), m.hiddenUnits > 0 ? "\(m.hiddenUnits) hidden" : nil, names("y", m.outputs)].compactMap { $0 }
        return "M\(m.index)\n" + parts.joined(separator: " · ")
    }

    static func svgHeader(width: Double, height: Double) -> String {
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(f(width))\" height=\"\(f(height))\" viewBox=\"0 0 \(f(width)) \(f(height))\" "
            + "font-family=\"Helvetica, Arial, sans-serif\">\n<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n"
    }

    static func text(
        _ t: String, x: Double, y: Double, size: Double, anchor: String, weight: String = "normal",
        fill: String = "#111111"
    ) -> String {
        "<text x=\"\(f(x))\" y=\"\(f(y))\" font-size=\"\(f(size))\" text-anchor=\"\(anchor)\" font-weight=\"\(weight)\" fill=\"\(fill)\">\(escape(t))</text>\n"
    }

    static func f(_ x: Double) -> String { fmt(x, 2) }

    /// Markup escaping, as every report page does it.
    static func escape(_ s: String) -> String { HTML.escape(s) }

    static func dotEscape(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n")
    }

    /// Module `m` of `count`: viridis, darkened by 1/1.65 as in the paper's figures; modules are spread over the map by the
    /// golden ratio rather than in order, so that neighbouring module ids get distinct colours.
    static func moduleColour(_ m: Int, of count: Int) -> String {
        let t = count <= 1 ? 0.5 : count == 2 ? Double(m) : (Double(m) * 0.618_033_988_75).truncatingRemainder(dividingBy: 1)
        let (r, g, b) = viridis(t)
        func hex(_ v: Double) -> String { String(format: "%02x", Int((v / 1.65 * 255).rounded())) }
        return "#" + hex(r) + hex(g) + hex(b)
    }

    /// `text` split at ", " into lines of at most `width` characters (a longer item gets a line of its own).
    static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = [], line = ""
        for item in text.components(separatedBy: ", ") {
            let next = line.isEmpty ? item : line + ", " + item
            if next.count > width && !line.isEmpty {
                lines.append(line + ",")
                line = item
            } else {
                line = next
            }
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }

    /// Viridis by linear interpolation between 11 evenly spaced stops of the published colour map.
    static func viridis(_ t: Double) -> (Double, Double, Double) {
        let stops: [(Double, Double, Double)] = [
            (0.267, 0.005, 0.329), (0.283, 0.141, 0.458), (0.254, 0.265, 0.530), (0.207, 0.372, 0.553),
            (0.164, 0.471, 0.558), (0.128, 0.567, 0.551), (0.135, 0.659, 0.518), (0.267, 0.749, 0.441),
            (0.478, 0.821, 0.318), (0.741, 0.873, 0.150), (0.993, 0.906, 0.144),
        ]
        let x = min(max(t, 0), 1) * Double(stops.count - 1)
        let i = min(Int(x), stops.count - 2)
        let w = x - Double(i)
        let a = stops[i], b = stops[i + 1]
        return (a.0 + w * (b.0 - a.0), a.1 + w * (b.1 - a.1), a.2 + w * (b.2 - a.2))
    }
}

extension ModuleReport {
    /// For image tasks (784 inputs: one 28×28 image; 1568: the two-digit 28×56 canvas), which pixels each
    /// module reads: every kept input pixel in its module's colour, pruned pixels light grey, with a
    /// legend. `modules[m]` lists module m's `[layer, unit]` members. Nil for other input widths.
    public static func pixelMapSVG(modules: [[[Int]]], inputs: Int, scale: Int = 5) -> String? {
        guard inputs == 784 || inputs == 1568 else { return nil }
        let columns = inputs == 784 ? 28 : 56
        var owner = [Int?](repeating: nil, count: inputs)
        for (m, members) in modules.enumerated() {
            for u in members where u.count == 2 && u[0] == 0 && u[1] >= 0 && u[1] < inputs { owner[u[1]] = m }
        }
        let reading = modules.indices.filter { m in owner.contains(m) }
        let perRow = 3
        let legendHeight = 16 * ((reading.count + perRow - 1) / perRow)
        let width = columns * scale, height = 28 * scale + 8 + legendHeight
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\" font-size=\"10\">"
        for i in 0..<inputs {
            // Row-major canvas: input i is pixel (i / columns, i % columns); for pairs each row is 28
            // left-digit pixels, then 28 right-digit ones.
            let x = (i % columns) * scale, y = (i / columns) * scale
            let fill = owner[i].map { moduleColour($0, of: modules.count) } ?? "#eeeeee"
            s += "<rect x=\"\(x)\" y=\"\(y)\" width=\"\(scale)\" height=\"\(scale)\" fill=\"\(fill)\"/>"
        }
        if columns == 56 { s += "<line x1=\"\(28 * scale)\" y1=\"0\" x2=\"\(28 * scale)\" y2=\"\(28 * scale)\" stroke=\"#888\" stroke-width=\"1\"/>" }
        for (k, m) in reading.enumerated() {
            let x = (k % perRow) * (width / perRow), y = 28 * scale + 8 + (k / perRow) * 16
            s += "<rect x=\"\(x)\" y=\"\(y)\" width=\"10\" height=\"10\" fill=\"\(moduleColour(m, of: modules.count))\"/>"
            s += "<text x=\"\(x + 14)\" y=\"\(y + 9)\">M\(m) (\(owner.filter { $0 == m }.count) px)</text>"
        }
        return s + "</svg>"
    }
}
