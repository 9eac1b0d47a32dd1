import Foundation
@testable import Pruning
import ReferenceBackend
import SculptCore
import TestSupport
import Training
import XCTest

/// `--edge-norm spread`: the sources' standard deviations against a hand computation and a brute-force
/// one, and the pruning rule on the device against the host's scores.
final class ActivationSpreadTests: XCTestCase {
    /// [2, 2, 1]: h0 = relu(x0 − x1), h1 = relu(2·x1 + 1 − 1) = relu(2·x1) (bias −1 +1 folded below).
    func testHandWorkedNetwork() throws {
        let arch = try Architecture([2, 2, 1])
        let weights: [Float] = [1, -1, 0, 2, 5, 7]  // layer 0 [[1, -1], [0, 2]], layer 1 [[5, 7]]
        let biases: [Float] = [0, -1, 0]
        let x: [Float] = [0, 0, 1, 0, 0, 1, 1, 1]  // rows (0,0) (1,0) (0,1) (1,1)
        let data = Dataset(inputs: x, targets: [0, 0, 0, 0], inputWidth: 2, outputWidth: 1)
        let s = ActivationSpread.standardDeviations(arch: arch, weights: weights, biases: biases, data: data)
        // inputs: each column 0,1,0,1 / 0,0,1,1 → σ = 0.5; h0 = relu(x0 − x1) = 0,1,0,0 → σ = √(3)/4;
        // h1 = relu(2·x1 − 1) = 0,0,1,1 → σ = 0.5.
        XCTAssertEqual(s.count, 2)
        XCTAssertEqual(s[0], [0.5, 0.5])
        XCTAssertEqual(s[1][0], 3.0.squareRoot() / 4, accuracy: 1e-15)
        XCTAssertEqual(s[1][1], 0.5, accuracy: 1e-15)
        let scores = ActivationSpread.scores(arch: arch, weights: weights) { l, i in s[l][i] }
        XCTAssertEqual(scores[0], 0.5)
        XCTAssertEqual(scores[2], 0, "a pruned weight scores 0")
        XCTAssertEqual(scores[4], 5 * 3.0.squareRoot() / 4, accuracy: 1e-12)
    }

    /// Random masked networks and awkward sizes against a two-pass computation in plain loops.
    func testAgainstTwoPassOnRandomNetworks() throws {
        var r = TestRandom(17)
        for widths in [[3, 5, 2], [7, 1, 4, 3], [5, 9, 6, 6, 1]] {
            let arch = try Architecture(widths)
            let w = r.floats(arch.weightCount).enumerated().map { $0.offset % 3 == 0 ? 0 : $0.element }
            let b = r.floats(arch.biasCount)
            let rows = 37
            let data = Dataset(
                inputs: r.floats(rows * widths[0]), targets: [Float](repeating: 0, count: rows * widths.last!), inputWidth: widths[0], outputWidth: widths.last!)
            let got = ActivationSpread.standardDeviations(arch: arch, weights: w, biases: b, data: data)
            // Two passes: every activation kept, then mean and variance.
            var acts: [[[Double]]] = [(0..<rows).map { n in (0..<widths[0]).map { Double(data.inputs[n * widths[0] + $0]) } }]
            var bo = 0
            for l in 0..<(arch.depth - 1) {
                let nIn = widths[l], nOut = widths[l + 1], off = arch.weightOffset(l)
                acts.append(
                    acts[l].map { a in
                        (0..<nOut).map { j in max(0, (0..<nIn).reduce(Double(b[bo + j])) { $0 + Double(w[off + j * nIn + $1]) * a[$1] }) }
                    })
                bo += nOut
            }
            for l in 0..<arch.depth {
                for u in 0..<widths[l] {
                    let v = acts[l].map { $0[u] }, m = v.reduce(0, +) / Double(rows)
                    let sd = (v.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(rows)).squareRoot()
                    XCTAssertEqual(got[l][u], sd, accuracy: 1e-9 * max(1, sd), "\(widths) layer \(l) unit \(u)")
                }
            }
        }
    }

    /// An input lit in one row of 64 carries a large weight: magnitude keeps it, spread prunes it first;
    /// the device masks are exactly the host rule's, on both backends.
    func testRarelyLitInputIsPrunedFirst() throws {
        let arch = try Architecture([4, 6, 2])
        var r = TestRandom(23)
        var x: [Float] = []
        for n in 0..<1024 { x += [Float(n % 2), Float((n / 2) % 2), r.floats(1)[0], n == 5 ? 1 : 0] }
        let data = Dataset(inputs: x, targets: (0..<2048).map { Float($0 % 2) }, inputWidth: 4, outputWidth: 2)
        // Every other first-layer weight at least 0.5 in size, so its score is at least 0.25; the rare
        // input's weights are the largest (2), but its σ is about 0.031, so they score about 0.0625.
        var w = r.floats(arch.weightCount).map { ($0 < 0 ? -1 : 1) * (0.5 + abs($0) * 0.5) }
        for j in 0..<6 { w[j * 4 + 3] = j % 2 == 0 ? 2 : -2 }
        let targets: [Double] = [20, 40]
        func run<B: ComputeBackend>(_ backend: B, _ norm: EdgeNormalization) throws -> [[Float]] {
            let pop = try Population(
                backend: backend, arch: arch, data: data, options: TrainingOptions(epochs: 1, batchSize: 8),
                models: targets.indices.map { ModelSpec(seed: UInt64($0), learningRate: 0.1) })
            for p in targets.indices { try pop.setWeights(of: p, w) }
            let pruner = try PopulationPruner(population: pop)
            pruner.spreadData = data
            try pruner.pruneEdges([true, true], targets: targets, normalization: norm)
            return try targets.indices.map { try pop.masks(of: $0) }
        }
        let dev = try run(try openCLBackend(), .spread), ref = try run(ReferenceBackend(), .spread)
        XCTAssertEqual(dev, ref)
        let sigma = ActivationSpread.standardDeviations(arch: arch, weights: w, biases: [Float](repeating: 0, count: arch.biasCount), data: data)
        let scores = ActivationSpread.scores(arch: arch, weights: w) { l, i in sigma[l][i] }
        for (p, t) in targets.enumerated() {
            let theta = Percentile.value(scores, percent: t)
            XCTAssertEqual(dev[p], scores.map { $0 > theta ? 1 : 0 }, "model \(p) at \(t) %")
            // In the first layer the rare input's edges go before any other input's.
            let rare = (0..<6).map { $0 * 4 + 3 }, others = (0..<24).filter { $0 % 4 != 3 }
            if others.contains(where: { dev[p][$0] == 0 }) {
                XCTAssertTrue(rare.allSatisfy { dev[p][$0] == 0 }, "model \(p): another input lost an edge before the rare one")
            }
            XCTAssertTrue(rare.contains { dev[p][$0] == 0 }, "model \(p): the rare input lost an edge at \(t) %")
        }
        let magnitude = try run(ReferenceBackend(), .none)
        XCTAssertTrue((0..<6).allSatisfy { magnitude[0][$0 * 4 + 3] == 1 }, "magnitude keeps them")
    }

    func testSpreadWithoutDataIsAnError() throws {
        let pop = try Population(
            backend: ReferenceBackend(), arch: try Architecture([4, 6, 4]), data: xorPairsData(),
            options: TrainingOptions(epochs: 1, batchSize: 8), models: [ModelSpec(seed: 0, learningRate: 0.1)])
        XCTAssertThrowsError(try PopulationPruner(population: pop).pruneEdges([true], targets: [20], normalization: .spread)) {
            XCTAssertTrue("\($0)".contains("spread"), "\($0)")
        }
    }
}
