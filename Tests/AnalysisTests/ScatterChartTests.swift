import XCTest
@testable import Reports

/// The pruning-round charts of report.html: round ticks on the log axis, and a threshold label that
/// moves off the points instead of covering them.
final class ScatterChartTests: XCTestCase {
    func testLogTicksAreRoundValues() throws {
        // 0.05 % … 100 % of the weights left: powers of ten only (six decades is too many for 1-2-5).
        let wide = try XCTUnwrap(HTML.logTicks(from: log10(0.05), to: log10(100)))
        XCTAssertEqual(wide.map { HTML.tick(pow(10, $0)) }, ["0.1", "1", "10", "100"])
        // 0.06 … 0.9: one decade, so 1-2-5 steps.
        let narrow = try XCTUnwrap(HTML.logTicks(from: log10(0.06), to: log10(0.9)))
        XCTAssertEqual(narrow.map { HTML.tick(pow(10, $0)) }, ["0.1", "0.2", "0.5"])
        // Too narrow for two round values: the caller falls back to evenly spaced ticks.
        XCTAssertNil(HTML.logTicks(from: log10(0.3), to: log10(0.45)))
        XCTAssertNil(HTML.logTicks(from: 1, to: 1))
    }

    func testManyDecadesAreThinnedToAtMostSevenTicks() throws {
        let ticks = try XCTUnwrap(HTML.logTicks(from: -9, to: 3))
        XCTAssertLessThanOrEqual(ticks.count, 7)
        XCTAssertGreaterThanOrEqual(ticks.count, 2)
        XCTAssertTrue(ticks.allSatisfy { abs($0 - $0.rounded()) < 1e-9 })
    }

    func testThresholdLabelAvoidsPoints() {
        let plot = (left: 60.0, top: 20.0, w: 440.0, h: 235.0)
        // No points: the label stays at the right end, above the line.
        let empty = HTML.lineLabelPlace(label: "threshold 98", lineY: 100, plot: plot, points: [])
        XCTAssertEqual(empty.anchor, "end")
        XCTAssertEqual(empty.y, 96)
        // Points just above the line at the right end: the label goes below it.
        let crowded = [(x: 480.0, y: 95.0), (x: 460.0, y: 93.0), (x: 440.0, y: 96.0)]
        let below = HTML.lineLabelPlace(label: "threshold 98", lineY: 100, plot: plot, points: crowded)
        XCTAssertEqual(below.anchor, "end")
        XCTAssertEqual(below.y, 113)
        // Points on both sides of the line at the right end: the label moves to the left end.
        let both = crowded + [(x: 480.0, y: 110.0), (x: 450.0, y: 108.0)]
        let left = HTML.lineLabelPlace(label: "threshold 98", lineY: 100, plot: plot, points: both)
        XCTAssertEqual(left.anchor, "start")
        XCTAssertEqual(left.x, 64)
    }

    func testScatterUsesRoundLogTicks() {
        let points = [0.08, 0.5, 3, 40, 100].map { HTML.Point(x: $0, y: 97, filled: true, color: "#333", label: "") }
        let svg = HTML.scatter(points, xLabel: "weights left (%)", yLabel: "accuracy (%)", logX: true, hLine: (98, "threshold 98"))
        for t in [">0.1<", ">1<", ">10<", ">100<"] { XCTAssertTrue(svg.contains(t), "missing tick \(t)") }
        XCTAssertTrue(svg.contains("threshold 98"))
    }
}
