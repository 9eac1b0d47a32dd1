@testable import Training
import ReferenceBackend
import SculptCore
import TestSupport
import XCTest

/// The reference backward pass against central finite differences of the mean BCE.
final class GradientTests: XCTestCase {
    func testReferenceGradientsMatchFiniteDifferences() throws {
        let arch = try Architecture([5, 7, 6, 3])
        let B = 4
        var r = TestRandom(42)
        // Data is only used for shapes here: the batch is written straight into acts[0] and y.
        let data = Dataset(inputs: r.floats(8 * 5), targets: r.bits(8 * 3), inputWidth: 5, outputWidth: 3)
        let backend = ReferenceBackend()
        let pop = try Population(
            backend: backend, arch: arch, data: data, options: TrainingOptions(epochs: 1, batchSize: B, noise: 0),
            models: [ModelSpec(seed: 3, learningRate: 0.1)])
        try pop.setActive([true])
        // Nonzero biases so every bias gradient is exercised.
        try pop.setWeights(of: 0, try pop.weights(of: 0), biases: r.floats(arch.biasCount, scale: 0.3))
        let cap = pop.capacity
        let x = r.floats(B * 5), y = r.bits(B * 3)
        try backend.write(x, to: pop.acts[0], offset: 0)
        try backend.write(y, to: pop.y, offset: 0)

        func loss() throws -> Double {
            try pop.forward(rows: B, input: pop.acts[0], inStride: cap * 5, inOff: 0)
            let z = try backend.read(pop.acts[arch.depth], offset: 0, count: B * 3)
            var s = 0.0
            for e in 0..<(B * 3) {
                let v = Double(z[e]), t = Double(y[e])
                s += max(v, 0) - v * t + log1p(exp(-abs(v)))
            }
            return s / Double(B * 3)
        }
        _ = try loss()
        try backend.bceGrad(
            P: 1, m: 3, B: cap, Bt: B, scale: 1 / Float(B * 3), yStride: cap * 3, yOff: 0, saturate: false, z: pop.acts[arch.depth], y: pop.y, active: pop.activeBuf,
            dz: pop.deltas[arch.depth])
        try pop.backward(rows: B)
        let gW = try backend.read(pop.gW, offset: 0, count: arch.weightCount)
        let gb = try backend.read(pop.gb, offset: 0, count: arch.biasCount)

        // Central differences with h = 1e-3 in Float weights: truncation O(h²) plus rounding
        // ~1e-7/h; a ReLU kink inside ±h would break one entry, so allow 1e-4 absolute (the worst seen is ~6e-6).
        let h: Float = 1e-3
        var w = try pop.weights(of: 0), b = try pop.biases(of: 0)
        var worst = 0.0
        for k in 0..<w.count {
            let saved = w[k]
            w[k] = saved + h; try pop.setWeights(of: 0, w); let up = try loss()
            w[k] = saved - h; try pop.setWeights(of: 0, w); let down = try loss()
            w[k] = saved; try pop.setWeights(of: 0, w)
            let fd = (up - down) / Double(2 * h)
            worst = max(worst, abs(fd - Double(gW[k])))
            XCTAssertEqual(Double(gW[k]), fd, accuracy: 1e-4, "weight \(k)")
        }
        for k in 0..<b.count {
            let saved = b[k]
            b[k] = saved + h; try pop.setWeights(of: 0, w, biases: b); let up = try loss()
            b[k] = saved - h; try pop.setWeights(of: 0, w, biases: b); let down = try loss()
            b[k] = saved; try pop.setWeights(of: 0, w, biases: b)
            let fd = (up - down) / Double(2 * h)
            XCTAssertEqual(Double(gb[k]), fd, accuracy: 1e-4, "bias \(k)")
        }
        XCTAssert(gW.contains { abs($0) > 1e-3 }, "gradients are not all ~0, so the check means something")
        print("worst |fd − analytic| over weights:", worst)
    }
}
