@testable import Training
import ReferenceBackend
import SculptCore
import TestSupport
import XCTest

/// The reference backward pass against central finite differences for softmax cross-entropy and for
/// dropout with a fixed mask (the mask depends only on the model's Philox key and the step's
/// position, so every forward pass of the same step drops the same units).
final class SoftmaxDropoutGradientTests: XCTestCase {
    /// Checks every weight and bias gradient of one batch against central differences of `loss`.
    func checkGradients(loss kind: Loss, dropout: Float, file: StaticString = #filePath, line: UInt = #line) throws {
        let arch = try Architecture([5, 9, 8, 4])
        let B = 6, m = 4
        var r = TestRandom(77)
        var y = [Float](repeating: 0, count: B * m)
        if kind == .softmaxCrossEntropy { for b in 0..<B { y[b * m + (b * 3) % m] = 1 } } else { y = r.bits(B * m) }
        let data = Dataset(inputs: r.floats(8 * 5), targets: [Float](repeating: 0, count: 8 * m), inputWidth: 5, outputWidth: m)
        let backend = ReferenceBackend()
        let opts = TrainingOptions(epochs: 1, batchSize: B, noise: 0, loss: kind, dropout: dropout)
        let pop = try Population(backend: backend, arch: arch, data: data, options: opts, models: [ModelSpec(seed: 11, learningRate: 0.1)])
        try pop.setActive([true])
        try pop.setWeights(of: 0, try pop.weights(of: 0), biases: r.floats(arch.biasCount, scale: 0.3))
        let cap = pop.capacity
        try backend.write(r.floats(B * 5), to: pop.acts[0], offset: 0)
        try backend.write(y, to: pop.y, offset: 0)
        let step = dropout > 0 ? Population<ReferenceBackend>.DropoutStep(start: 6, epoch: 1) : nil

        // The mean loss of the batch, computed here in Double from the logits (independent of the kernels).
        func loss() throws -> Double {
            try pop.forward(rows: B, input: pop.acts[0], inStride: cap * 5, inOff: 0, dropout: step)
            let z = try backend.read(pop.acts[arch.depth], offset: 0, count: B * m).map(Double.init)
            var s = 0.0
            for b in 0..<B {
                let row = z[b * m..<(b + 1) * m]
                if kind == .softmaxCrossEntropy {
                    let M = row.max()!
                    let lse = M + log(row.reduce(0) { $0 + exp($1 - M) })
                    s += (0..<m).reduce(0) { $0 + Double(y[b * m + $1]) * (lse - row[b * m + $1]) }
                } else {
                    for k in 0..<m { let v = row[b * m + k], t = Double(y[b * m + k]); s += (max(v, 0) - v * t + log1p(exp(-abs(v)))) / Double(m) }
                }
            }
            return s / Double(B)
        }
        _ = try loss()
        try pop.lossGrad(rows: B, perSample: false, y: pop.y, yStride: cap * m, yOff: 0)
        try pop.backward(rows: B, dropout: step)
        let gW = try backend.read(pop.gW, offset: 0, count: arch.weightCount)
        let gb = try backend.read(pop.gb, offset: 0, count: arch.biasCount)
        if dropout > 0 {
            // The mask really drops units: some hidden activations are 0 with dropout and not without.
            try pop.forward(rows: B, input: pop.acts[0], inStride: cap * 5, inOff: 0, dropout: step)
            let dropped = try backend.read(pop.acts[1], offset: 0, count: B * 9)
            try pop.forward(rows: B, input: pop.acts[0], inStride: cap * 5, inOff: 0, dropout: nil)
            let plain = try backend.read(pop.acts[1], offset: 0, count: B * 9)
            XCTAssert(zip(dropped, plain).contains { $0 == 0 && $1 > 0 }, "dropout removed some active units", file: file, line: line)
            XCTAssert(zip(dropped, plain).contains { $0 > $1 && $1 > 0 }, "kept units are scaled up", file: file, line: line)
        }

        // Central differences with h = 1e-3 in Float weights (as GradientTests): 1e-4 absolute.
        let h: Float = 1e-3
        var w = try pop.weights(of: 0), b = try pop.biases(of: 0)
        for k in 0..<w.count {
            let saved = w[k]
            w[k] = saved + h; try pop.setWeights(of: 0, w); let up = try loss()
            w[k] = saved - h; try pop.setWeights(of: 0, w); let down = try loss()
            w[k] = saved; try pop.setWeights(of: 0, w)
            XCTAssertEqual(Double(gW[k]), (up - down) / Double(2 * h), accuracy: 1e-4, "\(kind) dropout \(dropout) weight \(k)", file: file, line: line)
        }
        for k in 0..<b.count {
            let saved = b[k]
            b[k] = saved + h; try pop.setWeights(of: 0, w, biases: b); let up = try loss()
            b[k] = saved - h; try pop.setWeights(of: 0, w, biases: b); let down = try loss()
            b[k] = saved; try pop.setWeights(of: 0, w, biases: b)
            XCTAssertEqual(Double(gb[k]), (up - down) / Double(2 * h), accuracy: 1e-4, "\(kind) dropout \(dropout) bias \(k)", file: file, line: line)
        }
        XCTAssert(gW.contains { abs($0) > 1e-3 }, "gradients are not all ~0", file: file, line: line)
    }

    func testSoftmaxCrossEntropyGradientsMatchFiniteDifferences() throws {
        try checkGradients(loss: .softmaxCrossEntropy, dropout: 0)
    }

    func testDropoutGradientsMatchFiniteDifferences() throws {
        try checkGradients(loss: .bce, dropout: 0.4)
        try checkGradients(loss: .softmaxCrossEntropy, dropout: 0.5)
    }
}
