@testable import Pruning
import SculptCore
@testable import Training
import TestSupport
import XCTest

final class SelectionTests: XCTestCase {
    func outcome(pu: Double, pe: Double, edges: Int, accuracy: Double) -> ModelOutcome {
        let r = TrainingResult(bestEpoch: 1, accuracy: accuracy, loss: 0, correctBits: 0, totalBits: 1, epochLoss: [], epochAccuracy: [])
        return ModelOutcome(
            seed: 0, unitStep: pu, edgeStep: pe, dense: r, unitAttempts: [], unitAccepted: true, hiddenUnitsAfterUnitPruning: 4,
            base: r, edgeAttempts: [], edgeAccepted: true, accuracy: accuracy, edges: edges, weightCount: 192,
            masks: [], weights: [], biases: [])
    }

    func testSparsestMeetingTheThresholdWinsWithDocumentedTieBreaks() {
        let runs = [
            outcome(pu: 70, pe: 2.5, edges: 18, accuracy: 100),
            outcome(pu: 65, pe: 1.0, edges: 16, accuracy: 100),
            outcome(pu: 70, pe: 0.5, edges: 16, accuracy: 100),  // same edges: larger P_u wins
            outcome(pu: 70, pe: 1.5, edges: 16, accuracy: 100),  // same edges and P_u: larger P_e wins
            outcome(pu: 60, pe: 2.5, edges: 12, accuracy: 98.4),  // sparser but below the threshold
        ]
        for order in [runs, runs.reversed(), [runs[3], runs[0], runs[4], runs[1], runs[2]]] {
            let s = Selection.sparsest(order, threshold: 100)!
            XCTAssertEqual([s.unitStep, s.edgeStep, Double(s.edges)], [70, 1.5, 16])
        }
        XCTAssertEqual(Selection.sparsest(runs, threshold: 98)!.edges, 12)
        XCTAssertNil(Selection.sparsest([runs[4]], threshold: 100), "nothing meets the threshold")
        // Equal edges: the higher accuracy wins before the steps are compared.
        let acc = [outcome(pu: 70, pe: 2.5, edges: 20, accuracy: 99), outcome(pu: 5, pe: 0.5, edges: 20, accuracy: 99.5)]
        XCTAssertEqual(Selection.sparsest(acc, threshold: 90)!.unitStep, 5)
    }

    func testEveryTiedSparsestNetworkInTieOrder() {
        let runs = [
            outcome(pu: 70, pe: 2.5, edges: 18, accuracy: 100),
            outcome(pu: 65, pe: 1.0, edges: 16, accuracy: 100),
            outcome(pu: 70, pe: 0.5, edges: 16, accuracy: 100),
            outcome(pu: 70, pe: 1.5, edges: 16, accuracy: 100),
            outcome(pu: 60, pe: 2.5, edges: 12, accuracy: 98.4),
        ]
        for order in [runs, runs.reversed()] {
            let ties = Selection.tiedSparsest(order, threshold: 100)
            XCTAssertEqual(ties.map { [$0.unitStep, $0.edgeStep] }, [[70, 1.5], [70, 0.5], [65, 1.0]], "the 18-edge run is not tied")
            XCTAssertEqual(ties.first?.edgeStep, Selection.sparsest(order, threshold: 100)?.edgeStep, "sparsest is the first tie")
        }
        XCTAssertEqual(Selection.tiedSparsest(runs, threshold: 98).count, 1)
        XCTAssertTrue(Selection.tiedSparsest([runs[4]], threshold: 100).isEmpty)
    }
}
