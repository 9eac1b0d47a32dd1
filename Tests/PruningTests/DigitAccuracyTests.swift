import Pruning
import SculptCore
import XCTest

/// Per-pair accuracy of the two-digit tasks, on networks whose outputs are known by construction.
final class DigitAccuracyTests: XCTestCase {
    /// A one-layer network passing its inputs through (identity weights), with `masks`.
    func identity(_ n: Int, dropping dropped: Int? = nil) throws -> (Architecture, [[Float]], [Float], [[Float]]) {
        let w = (0..<(n * n)).map { $0 / n == $0 % n ? Float(1) : 0 }
        var mask = [Float](repeating: 1, count: n * n)
        if let d = dropped { mask[d * n + d] = 0 }
        return (try Architecture([n, n]), [w], [Float](repeating: 0, count: n), [mask])
    }

    func oneHot(_ a: Int, _ b: Int) -> [Float] { (0..<20).map { $0 == a || $0 == 10 + b ? 1 : 0 } }

    func testPairsCountEachDigitByTheArgmaxOfItsHalf() throws {
        let (arch, w, b, m) = try identity(20)
        // Predictions (inputs, passed through) against truths: right/right, wrong/right, right/wrong, right/right.
        let predicted = [(3, 4), (5, 4), (1, 9), (0, 0)], truth = [(3, 4), (6, 4), (1, 8), (0, 0)]
        let data = Dataset(
            inputs: predicted.flatMap { oneHot($0.0, $0.1) }, targets: truth.flatMap { oneHot($0.0, $0.1) }, inputWidth: 20, outputWidth: 20)
        let acc = try XCTUnwrap(DigitAccuracy.measure(task: "mnist-pairs", arch: arch, weights: w, biases: b, masks: m, data: data))
        XCTAssertEqual(acc, DigitAccuracy(left: 75, right: 75, both: 50))
        XCTAssertEqual(acc.text, "left 75.0%, right 75.0%, both 50.0%")
        // A pruned edge counts: without 3→3 the first pair's left half is all zeros, so argmax says 0.
        let (_, _, _, pruned) = try identity(20, dropping: 3)
        let after = try XCTUnwrap(DigitAccuracy.measure(task: "mnist-pairs", arch: arch, weights: w, biases: b, masks: pruned, data: data))
        XCTAssertEqual(after, DigitAccuracy(left: 50, right: 75, both: 25))
    }

    func testXorCountsPairsWithEveryBitRight() throws {
        let (arch, w, b, m) = try identity(3)
        // Logits > 0 mean 1: [1,−1,1] → 101 (right), [1,1,−1] → 110 (one bit wrong against 111).
        let data = Dataset(inputs: [1, -1, 1, 1, 1, -1], targets: [1, 0, 1, 1, 1, 1], inputWidth: 3, outputWidth: 3)
        let acc = try XCTUnwrap(DigitAccuracy.measure(task: "mnist-xor", arch: arch, weights: w, biases: b, masks: m, data: data))
        XCTAssertEqual(acc, DigitAccuracy(both: 50))
        XCTAssertNil(DigitAccuracy.measure(task: "xor-pairs", arch: arch, weights: w, biases: b, masks: m, data: data), "not a two-digit task")
    }
}
