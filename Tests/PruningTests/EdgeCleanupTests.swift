@testable import Pruning
import SculptCore
import TestSupport
import XCTest

/// `--cleanup` (EdgeCleanup): which edges go, the bias fold, and the incremental evaluation.
final class EdgeCleanupTests: XCTestCase {
    /// Seeded uniform values in [-1, 1) from Philox.
    private func uniforms(_ n: Int, seed: UInt64) -> [Float] {
        let key = Philox.key(seed: seed, purpose: .initialWeights)
        return (0..<n).map { i in
            let r = Philox.block(counter: (UInt32(i), 0, 0, 0), key: key)
            return 2 * Philox.unitFloat(r.0) - 1
        }
    }

    /// `[2,3,2]`: output k is `x_k > 0`. Hidden 0 = relu(4·x0), hidden 1 = relu(4·x1), hidden 2 has no
    /// inputs and a bias of 5 (always 5: a constant). Output 0 = 3·h0 + 0.5·h2 − 4 (the 0.5·h2 edge
    /// only carries 2.5, a bias in disguise) + 0.4·h1 (noise: x1 says nothing about y0); output 1 =
    /// 3·h1 − 1.5. The cleanup must remove exactly the constant and the noise edge, fold 2.5 and
    /// 0.4·mean(h1) into output 0's bias, and leave the two informative edges.
    func testRemovesConstantAndNoiseEdgesAndKeepsTheInformativeOnes() {
        let arch = try! Architecture([2, 3, 2])
        let weights: [[Float]] = [[4, 0, 0, 4, 0, 0], [3, 0.4, 0.5, 0, 3, 0]]
        let masks: [[Float]] = [[1, 0, 0, 1, 0, 0], [1, 1, 1, 0, 1, 0]]
        let biases: [Float] = [0, 0, 5, -4, -1.5]
        func data(_ seed: UInt64, _ n: Int) -> Dataset {
            let x = uniforms(2 * n, seed: seed)
            let y = x.map { Float($0 > 0 ? 1 : 0) }
            return Dataset(inputs: x, targets: y, inputWidth: 2, outputWidth: 2)
        }
        let train = data(1, 4000), validation = data(2, 1000)
        let r = EdgeCleanup.run(
            arch: arch, weights: weights, biases: biases, masks: masks, train: train,
            validation: validation, threshold: 50)
        XCTAssertEqual(Set(r.removed.map { [$0.layer, $0.target, $0.source] }), [[1, 0, 2], [1, 0, 1]])
        XCTAssertEqual(r.masks[0], masks[0], "the first layer is untouched")
        XCTAssertEqual(r.masks[1], [1, 0, 0, 0, 1, 0])
        // The fold: 0.5 · 5 from the constant unit, 0.4 · mean relu(4·x1) over the training split.
        let meanH1 = (0..<train.count).reduce(0.0) { $0 + Double(max(0, 4 * train.inputs[2 * $1 + 1])) } / Double(train.count)
        XCTAssertEqual(Double(r.biases[3]), -4 + 2.5 + 0.4 * meanH1, accuracy: 1e-5)
        XCTAssertEqual(r.biases[4], -1.5, "output 1 lost nothing")
        XCTAssertLessThan(r.lossAfter, r.lossBefore, "dropping the noise edge lowers the loss")
        XCTAssertGreaterThanOrEqual(r.accuracyAfter, r.accuracyBefore)
    }

    /// The incremental score of every edge equals a full evaluation of the network without it, on a
    /// random three-layer network with awkward widths and random masks.
    func testIncrementalRemovalMatchesFullEvaluation() {
        let arch = try! Architecture([5, 7, 6, 3])
        var weights: [[Float]] = [], masks: [[Float]] = []
        for l in 0..<arch.depth {
            let n = arch.widths[l] * arch.widths[l + 1]
            weights.append(uniforms(n, seed: 10 + UInt64(l)).map { 1.5 * $0 })
            masks.append(uniforms(n, seed: 20 + UInt64(l)).map { $0 > -0.3 ? 1 : 0 })
        }
        let biases = uniforms(arch.biasCount, seed: 30).map { 0.5 * $0 }
        let x = uniforms(5 * 97, seed: 40)
        let y = uniforms(3 * 97, seed: 41).map { Float($0 > 0 ? 1 : 0) }
        let d = Dataset(inputs: x, targets: y, inputWidth: 5, outputWidth: 3)
        let cols = Columns(d, inputs: [Bool](repeating: true, count: 5))
        let net = SparseNet(arch: arch, weights: weights, biases: biases, masks: masks)
        let state = net.evaluate(cols)
        let means = net.means(cols)
        let edges = net.edges()
        XCTAssertGreaterThan(edges.count, 40)
        for e in edges {
            let fold = means[e.layer][e.source]
            let fast = net.tryRemoving(e, fold: fold, state: state, data: cols)
            var cut = net
            cut.remove(e, fold: fold)
            let full = cut.evaluate(cols)
            XCTAssertEqual(fast.lossSum, full.lossSum, accuracy: 1e-9 * max(1, full.lossSum), "edge \(e)")
            XCTAssertEqual(fast.accuracy, full.accuracy, "edge \(e)")
        }
    }

    /// The accuracy floor holds and removing nothing is a valid outcome: a network whose every edge
    /// is needed keeps all of them.
    func testAnAllInformativeNetworkKeepsEveryEdge() {
        let arch = try! Architecture([2, 2, 2])
        let weights: [[Float]] = [[4, 0, 0, 4], [3, 0, 0, 3]]
        let masks: [[Float]] = [[1, 0, 0, 1], [1, 0, 0, 1]]
        let x = uniforms(2 * 500, seed: 7)
        let d = Dataset(inputs: x, targets: x.map { Float($0 > 0 ? 1 : 0) }, inputWidth: 2, outputWidth: 2)
        let r = EdgeCleanup.run(
            arch: arch, weights: weights, biases: [0, 0, -1.5, -1.5], masks: masks, train: d,
            validation: d, threshold: 90)
        XCTAssert(r.removed.isEmpty)
        XCTAssertEqual(r.masks, masks)
        XCTAssertEqual(r.biases, [0, 0, -1.5, -1.5])
        XCTAssertEqual(r.passes, 1)
    }
}
