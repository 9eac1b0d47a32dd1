@testable import Pruning
import SculptCore
import TestSupport
import XCTest

final class PruningRuleTests: XCTestCase {
    /// `--chains` text: seed:P_u:P_e triples; malformed or repeated triples are named.
    func testChainListParsing() throws {
        XCTAssertEqual(
            try Chain.list(parsing: "0:10:0.5, 1:10:2,5:50:0.5"),
            [Chain(seed: 0, unitStep: 10, edgeStep: 0.5), Chain(seed: 1, unitStep: 10, edgeStep: 2), Chain(seed: 5, unitStep: 50, edgeStep: 0.5)])
        XCTAssertEqual(Chain(seed: 2, unitStep: 45, edgeStep: 0.5).text, "2:45:0.5")
        for (bad, says) in [
            ("0:10", "'0:10' is not seed:P_u:P_e"), ("0:10:x", "'0:10:x'"), ("-1:10:1", "'-1:10:1'"), ("0:10:1,", "'' is not"), ("0:10:1,0:10:1", "given twice"),
        ] {
            XCTAssertThrowsError(try Chain.list(parsing: bad), bad) { XCTAssert("\($0)".contains(says), "\($0)") }
        }
        XCTAssertEqual(
            UnitModelPlan.plan(try Chain.list(parsing: "0:10:0.5,1:10:2,0:10:1")),
            [UnitModelPlan(seed: 0, unitStep: 10, edgeSteps: [0.5, 1]), UnitModelPlan(seed: 1, unitStep: 10, edgeSteps: [2])])
    }

    /// Golden values from numpy 2.4 `np.percentile(float64 array, q)` (default linear method).
    func testPercentileMatchesNumpyIncludingTiesAndZeros() {
        let cases: [([Double], Double, Double)] = [
            ([0, 0, 0, 1, 2, 2, 3], 50, 1.0),
            ([1, 2, 3, 4], 70, 3.0999999999999996),
            ((0..<24).map(Double.init), 70, 16.099999999999998),
            ([1, 1, 1, 1], 50, 1.0),
            ([0, 0, 0, 0, 0.5, 0.25, 0.25, 1.0], 62.5, 0.25),
            ([3, 1, 2], 100, 3.0),
            ([3, 1, 2], 0, 1.0),
            ([5, 0, 0, 2, 2, 2, 7, 1], 81.25, 4.0625),
        ]
        for (values, q, expected) in cases {
            XCTAssertEqual(Percentile.value(values, percent: q), expected, "percentile \(q) of \(values)")
        }
    }

    /// Worked example of `EdgeNormalization.mean`: layer A [0, 1, 3] (surviving mean 2), layer B
    /// [10, 30] (mean 20); ratios [0, ½, 1½ | ½, 1½]. At 50 % θ = ½, so A keeps |w| > 1 and B keeps
    /// |w| > 10; at 20 % θ = lerp(0, ½, 0.8) = 0.4, thresholds 0.8 and 8. The raw rule at 50 % (θ = 3)
    /// would keep only layer B.
    func testLayerMeanThresholdsWorkedExample() {
        let w: [Float] = [0, 1, -3, 10, -30], layers = [0..<3, 3..<5]
        XCTAssertEqual(EdgeNormalization.meanThresholds(weights: w, layers: layers, percent: 50), [1, 10])
        let t20 = EdgeNormalization.meanThresholds(weights: w, layers: layers, percent: 20)
        XCTAssertEqual(t20[0], 0.8, accuracy: 1e-6)
        XCTAssertEqual(t20[1], 8, accuracy: 1e-5)
        XCTAssertEqual(Percentile.value(w.map { Double(abs($0)) }, percent: 50), 3)
        // A layer with no surviving weight gets scale 1, and its zeros rank lowest.
        // Ratios [0, 0 | ⅔, 4⁄3], θ = lerp(0, ⅔, ½) = ⅓: thresholds ⅓ and 1.
        let empty = EdgeNormalization.meanThresholds(weights: [0, 0, 2, 4], layers: [0..<2, 2..<4], percent: 50)
        XCTAssertEqual(empty[0], 1.0 / 3, accuracy: 1e-6)
        XCTAssertEqual(empty[1], 1, accuracy: 1e-6)
    }

    func testSurvivorsAreStrictlyAboveTheThreshold() {
        // Ties at the threshold are removed: 4 equal scores at 50% remove all of them (docs/method.md §3.2).
        XCTAssertEqual(Percentile.survivors([1, 1, 1, 1], percent: 50), [false, false, false, false])
        // Zeros (already pruned units) count in the percentile: θ(62.5%) = 0.25, so only 0.5 and 1 survive.
        XCTAssertEqual(
            Percentile.survivors([0, 0, 0, 0, 0.5, 0.25, 0.25, 1], percent: 62.5),
            [false, false, false, false, true, false, false, true])
        // H = 24 distinct scores at 70%: θ at rank 16.1, so 7 units survive (docs/method.md §3.1–3.2).
        XCTAssertEqual(Percentile.survivors((1...24).map(Float.init), percent: 70).filter { $0 }.count, 7)
    }

    /// docs/method.md §10 check 5: H = 24, P_u = 70, an oracle that accepts iff ≥ 4 hidden units remain
    /// (distinct positive scores) gives exactly the worked example of docs/method.md §3.1–3.2.
    func testUnitScheduleFollowsTheWorkedExample() {
        let scores = (1...24).map { Float($0) * 0.37 }
        var schedule = StepSchedule(gradient: 70, minStep: 100.0 / 24)
        var trace: [(target: Double, left: Int?, accepted: Bool)] = []
        var unitsLeft = 24
        while !schedule.finished {
            let t = schedule.nextTarget()
            if t >= 100 {
                trace.append((t, nil, false))
                schedule.record(target: t, accepted: false)
                continue
            }
            let left = Percentile.survivors(scores, percent: t).filter { $0 }.count
            let ok = left >= 4
            if ok { unitsLeft = left }
            trace.append((t, left, ok))
            schedule.record(target: t, accepted: ok)
        }
        let expected: [(Double, Int?, Bool)] = [
            (70, 7, true), (140, nil, false), (105, nil, false), (87.5, 3, false), (78.75, 5, true),
            (87.5, 3, false), (83.125, 4, true), (87.5, 3, false), (83.125 + 100.0 / 24, 3, false),
        ]
        XCTAssertEqual(trace.count, expected.count, "\(trace)")
        for (got, want) in zip(trace, expected) {
            XCTAssertEqual(got.target, want.0, accuracy: 1e-9)
            XCTAssertEqual(got.left, want.1)
            XCTAssertEqual(got.accepted, want.2)
        }
        XCTAssertEqual(trace.last!.target, 87.2917, accuracy: 1e-4)
        XCTAssertEqual(unitsLeft, 4)
        XCTAssertTrue(schedule.acceptedAny)
    }

    func testScheduleThatNeverAcceptsEndsWithNothingAccepted() {
        var s = StepSchedule(gradient: 2.5, base: 80, minStep: 1)
        var targets: [Double] = []
        while !s.finished {
            let t = s.nextTarget()
            targets.append(t)
            s.record(target: t, accepted: false)
        }
        // 82.5 (step 2.5 → 1.25), 81.25 (→ 1), 81 (step 1 = minStep: stop).
        XCTAssertEqual(targets, [82.5, 81.25, 81])
        XCTAssertFalse(s.acceptedAny)
        XCTAssertEqual(s.previous, 80)
    }
}

/// The opt-in step rules bound the rounds; the paper's rule is the default.
final class StepRuleTests: XCTestCase {
    /// Accepts until `limit` (percent), rejects above; returns the targets tried.
    func run(_ rule: StepRule, gradient: Double = 10, minStep: Double = 0.01, limit: Double = 37.3) -> [Double] {
        var s = StepSchedule(gradient: gradient, minStep: minStep, rule: rule)
        var tried: [Double] = []
        while !s.finished {
            let t = s.nextTarget()
            tried.append(t)
            s.record(target: t, accepted: t <= limit)
        }
        return tried
    }

    func testPaperRuleHalvesDownToTheSmallestStep() {
        let t = run(.paper)
        XCTAssertEqual(Array(t.prefix(5)), [10, 20, 30, 40, 35])
        XCTAssertEqual(StepSchedule(gradient: 1, minStep: 1).rule, .paper)
        // 10 → 5 → 2.5 → … → below 0.01: about ten halvings, each costing rounds.
        XCTAssertGreaterThan(t.count, 15)
    }

    func testFloorStopsEarlier() {
        let paper = run(.paper), floor = run(.floor(0.05))
        XCTAssertLessThan(floor.count, paper.count)
        // The step never falls below 5 % of what is left (100 − accepted).
        XCTAssertEqual(Array(floor.prefix(5)), [10, 20, 30, 40, 35])
        XCTAssertEqual(floor.last!, 35 + max(0.05 * 65, 0.01), accuracy: 1e-9)
    }

    func testRegrowDoublesBackAfterAcceptsInARow() {
        var s = StepSchedule(gradient: 8, minStep: 0.5, rule: .regrow(after: 2))
        XCTAssertEqual(s.nextTarget(), 8); s.record(target: 8, accepted: true)
        XCTAssertEqual(s.nextTarget(), 16); s.record(target: 16, accepted: false)  // step 8 → 4
        XCTAssertEqual(s.nextTarget(), 12); s.record(target: 12, accepted: true)
        XCTAssertEqual(s.nextTarget(), 16); s.record(target: 16, accepted: true)  // two in a row: step 4 → 8
        XCTAssertEqual(s.nextTarget(), 24)
    }

    func testParsingAndCoding() throws {
        XCTAssertEqual(try StepRule(parsing: "paper"), .paper)
        XCTAssertEqual(try StepRule(parsing: "floor:0.05"), .floor(0.05))
        XCTAssertEqual(try StepRule(parsing: "regrow:3"), .regrow(after: 3))
        for bad in ["", "floor", "floor:0", "floor:1", "regrow:0", "halve"] { XCTAssertThrowsError(try StepRule(parsing: bad), bad) }
        let data = try JSONEncoder().encode([StepRule.floor(0.05)])
        XCTAssertEqual(String(decoding: data, as: UTF8.self), #"["floor:0.05"]"#)
        XCTAssertEqual(try JSONDecoder().decode([StepRule].self, from: data), [.floor(0.05)])
    }
}
