@testable import Training
import OpenCLBackend
import ReferenceBackend
import SculptCore
import TestSupport
import XCTest

// The sparse first layer (Kernels/sparse.cl) against its reference, against the dense route it
// replaces, and inside training.

/// The sparse layout of layer 0's masks (at offset 0 of each model's `WT` weights), built here
/// independently of `Population.refreshSparseInput`: per model its slots, per unit its columns and slots.
func sparseLayout(_ mask: [Float], P: Int, n0: Int, nOut: Int, WT: Int) -> (inputs: [UInt32], cols: [UInt32], slots: [UInt32], K: Int, U: Int) {
    let rows = (0..<P).map { p in (0..<nOut).map { j in (0..<n0).filter { mask[p * WT + j * n0 + $0] != 0 } } }
    let used = rows.map { r in (0..<n0).filter { i in r.contains { $0.contains(i) } } }
    let K = max(1, rows.flatMap { $0.map(\.count) }.max() ?? 0), U = max(1, used.map(\.count).max() ?? 0)
    var inputs = [UInt32](repeating: .max, count: P * U)
    var cols = [UInt32](repeating: .max, count: P * nOut * K), slots = cols
    for p in 0..<P {
        for (u, i) in used[p].enumerated() { inputs[p * U + u] = UInt32(i) }
        for j in 0..<nOut {
            for (k, i) in rows[p][j].enumerated() {
                cols[(p * nOut + j) * K + k] = UInt32(i)
                slots[(p * nOut + j) * K + k] = UInt32(used[p].firstIndex(of: i)!)
            }
        }
    }
    return (inputs, cols, slots, K, U)
}

/// One layer-0 case: inputs, weights at a density, rows through a row order with noise or directly.
struct SparseLayerCase: KernelCase {
    let P, n0, nOut, N, B, Bt, start: Int, density: Double, sigma: Float, usePerm: Bool, seed: UInt64
    var name: String { "sparse layer 0 P \(P) n0 \(n0) nOut \(nOut) Bt \(Bt) density \(density) σ \(sigma) perm \(usePerm)" }

    /// Outputs of the sparse kernels, or (`dense`) of batch_gather + the dense.cl kernels on the same
    /// inputs (dense: only the live weights' gradients are compared; the others are set to 0 in both).
    func outputs<Backend: ComputeBackend>(_ h: Harness<Backend>, dense: Bool) throws -> [[Float]] {
        var r = TestRandom(seed)
        let WT = n0 * nOut + 6, BT = nOut + 2
        let mask = r.mask(P * WT, density: density)
        let W = zip(r.floats(P * WT), mask).map { $0 * $1 }
        let bias = r.floats(P * BT)
        let data = r.floats(N * n0)
        let inStride = usePerm ? 0 : B * n0 + 3, inOff = usePerm ? 0 : 2
        let direct = r.floats(P * inStride + inOff + B * n0 + 1)
        var perm: [UInt32] = []
        for p in 0..<P { perm += Training_epochOrder(N, UInt64(p) + seed) }
        let keys = (0..<P).flatMap { p -> [UInt32] in
            let k = Philox.key(seed: UInt64(p * 17 + 1), purpose: .inputNoise); return [k.0, k.1]
        }
        let session: [UInt32] = (0..<P).map { UInt32($0 % 3 + 1) }
        let active: [UInt32] = (0..<P).map { $0 % 5 == 4 ? 0 : 1 }
        let dOut = r.floats(P * B * nOut)
        let (inputs, cols, slots, K, U) = sparseLayout(mask, P: P, n0: n0, nOut: nOut, WT: WT)
        let out = try h.f([Float](repeating: -1, count: P * B * nOut))
        let gW = try h.f([Float](repeating: 0, count: P * WT))
        let input = try h.f(usePerm ? data : direct), wb = try h.f(W), act = try h.u(active), db = try h.f(dOut)
        let (pb, kb, sb) = (try h.u(perm), try h.u(keys), try h.u(session))
        if dense {
            // The dense route: the batch gathered (or the direct rows), then dense.cl.
            var x = input, xStride = inStride, xOff = inOff
            if usePerm {
                x = try h.f([Float](repeating: 0, count: P * B * n0))
                try h.b.batchGather(
                    P: P, n0: n0, m: 1, N: N, B: B, Bt: Bt, start: start, epoch: 2, sigma: sigma, data: input,
                    targets: try h.f([Float](repeating: 0, count: N)), perm: pb, keys: kb, session: sb, active: act,
                    x: x, y: try h.f([Float](repeating: 0, count: P * B)))
                (xStride, xOff) = (B * n0, 0)
            }
            try h.b.denseForward(
                P: P, nIn: n0, nOut: nOut, B: B, Bt: Bt, inStride: xStride, inOff: xOff, WT: WT, wOff: 0, BT: BT, bOff: 0, relu: true,
                input: x, W: wb, bias: try h.f(bias), active: act, out: out)
            try h.b.denseBackwardWeights(
                P: P, nIn: n0, nOut: nOut, B: B, Bt: Bt, inStride: xStride, inOff: xOff, WT: WT, wOff: 0, BT: BT, bOff: 0,
                input: x, dOut: db, active: act, gW: gW, gb: try h.f([Float](repeating: 0, count: P * BT)))
        } else {
            let xs = try h.f([Float](repeating: 0, count: P * B * U))
            try h.b.sparseInputGather(
                P: P, n0: n0, U: U, N: N, B: B, Bt: Bt, start: start, epoch: 2, sigma: sigma, usePerm: usePerm,
                inStride: inStride, inOff: inOff, input: input, perm: pb, keys: kb, session: sb, inputs: try h.u(inputs), active: act, xs: xs)
            let (cb, sl) = (try h.u(cols), try h.u(slots))
            try h.b.sparseInputForward(
                P: P, n0: n0, nOut: nOut, K: K, U: U, B: B, Bt: Bt, WT: WT, wOff: 0, BT: BT, bOff: 0, relu: true,
                xs: xs, cols: cb, slots: sl, W: wb, bias: try h.f(bias), active: act, out: out)
            try h.b.sparseInputBackwardWeights(
                P: P, n0: n0, nOut: nOut, K: K, U: U, B: B, Bt: Bt, WT: WT, wOff: 0, xs: xs, cols: cb, slots: sl, dOut: db, active: act, gW: gW)
        }
        let g = try h.read(gW, P * WT)
        let live = g.enumerated().map { e, v in e < P * WT && mask[e] == 0 ? 0 : v }
        return [try h.read(out, P * B * nOut), live]
    }

    func run<Backend: ComputeBackend>(_ h: Harness<Backend>) throws -> [[Float]] { try outputs(h, dense: false) }
}

final class SparseInputTests: XCTestCase {
    static let cases: [SparseLayerCase] = {
        var out: [SparseLayerCase] = []
        var seed: UInt64 = 40
        for (P, n0, nOut, N, B, Bt, start) in [(1, 1, 1, 1, 1, 1, 0), (3, 93, 7, 40, 16, 13, 20), (6, 17, 5, 24, 8, 8, 16)] {
            for density in [0.0, 0.05, 0.5, 1.0] {
                for (sigma, usePerm): (Float, Bool) in [(0, true), (0.1, true), (0, false)] {
                    seed += 1
                    out.append(
                        SparseLayerCase(
                            P: P, n0: n0, nOut: nOut, N: N, B: B, Bt: Bt, start: start, density: density, sigma: sigma, usePerm: usePerm, seed: seed))
                }
            }
        }
        return out
    }()

    func testKernelsMatchTheReference() throws {
        // Box–Muller may differ by an ulp between libm and the device (as for batch_gather).
        for c in Self.cases { try assertBackendsAgree(c, atol: sumAtol, rtol: sumRtol) }
    }

    /// On each backend the sparse route gives the dense route's numbers exactly: the products it
    /// skips are exact zeros, and the order of the rest is the same.
    func testSparseEqualsDenseOnEachBackend() throws {
        for c in Self.cases {
            for (name, dense, sparse) in [
                ("reference", try c.outputs(Harness(b: ReferenceBackend()), dense: true), try c.outputs(Harness(b: ReferenceBackend()), dense: false)),
                ("opencl", try c.outputs(Harness(b: try openCLBackend()), dense: true), try c.outputs(Harness(b: try openCLBackend()), dense: false)),
            ] {
                XCTAssertEqual(dense, sparse, "\(name): \(c.name)")
            }
        }
    }

    func data(_ n0: Int, _ m: Int, rows: Int, seed: UInt64) -> Dataset {
        var r = TestRandom(seed)
        return Dataset(inputs: r.floats(rows * n0).map { $0 > 0.3 ? 1 : 0 }, targets: r.bits(rows * m), inputWidth: n0, outputWidth: m)
    }

    /// Trains a population whose models have sparse first layers (at different densities, one of
    /// them dense) with the route off and on; returns weights, biases and per-epoch losses.
    func trainSparseModels<B: ComputeBackend>(
        _ backend: B, crossover: Double, arch: Architecture, options: TrainingOptions, setCrossover: (Double) -> Void
    ) throws -> (params: [Float], losses: [Double], sparse: [Bool]) {
        setCrossover(crossover)
        let models = [3, 4, 5].map { ModelSpec(seed: UInt64($0), learningRate: 0.02) }
        let pop = try Population(backend: backend, arch: arch, data: data(arch.inputs, arch.outputs, rows: 40, seed: 5), options: options, models: models)
        pop.sparseInputMinimumWeights = 0
        var r = TestRandom(8)
        for (p, density) in [0.03, 0.2, 1.0].enumerated() {
            var m = try pop.masks(of: p)
            for i in 0..<(arch.inputs * arch.widths[1]) { m[i] = r.mask(1, density: density)[0] }
            m[0] = 1  // at least one live weight in layer 0
            try pop.setMasks(of: p, m)
        }
        let results = try pop.train(active: [true, true, true])
        let params = try (0..<3).flatMap { try pop.weights(of: $0) + pop.biases(of: $0) }
        return (params, results.flatMap { $0!.epochLoss }, pop.sparseInput?.models ?? [false, false, false])
    }

    /// Training with the route equals training without it, on the small-layer kernels exactly, with
    /// noise and dropout; the route is each model's own choice.
    func testTrainingWithTheSparseRouteEqualsDenseTraining() throws {
        let arch = try Architecture([29, 6, 5, 3])
        var options = TrainingOptions(epochs: 3, batchSize: 8, noise: 0.1)
        options.dropout = 0.2
        let backend = try openCLBackend()
        let dense = try trainSparseModels(backend, crossover: 0, arch: arch, options: options) { backend.sparseInputCrossover = $0 }
        // Longest rows of about 1, 6–10 and 29 live weights of 29, times 6 units: only the first two fit 3 · 29.
        let sparse = try trainSparseModels(backend, crossover: 3, arch: arch, options: options) { backend.sparseInputCrossover = $0 }
        XCTAssertEqual(dense.sparse, [false, false, false])
        XCTAssertEqual(sparse.sparse, [true, true, false], "the two sparse models take the route, the dense one does not")
        XCTAssertEqual(sparse.params, dense.params)
        XCTAssertEqual(sparse.losses, dense.losses)
        let ref = ReferenceBackend()
        let refDense = try trainSparseModels(ref, crossover: 0, arch: arch, options: options) { ref.sparseInputCrossover = $0 }
        let refSparse = try trainSparseModels(ref, crossover: 100, arch: arch, options: options) { ref.sparseInputCrossover = $0 }
        XCTAssertEqual(refSparse.sparse, [true, true, true])
        XCTAssertEqual(refSparse.params, refDense.params)
        XCTAssertNil(mismatches(sparse.params, refSparse.params, atol: 1e-4, rtol: 1e-3))
    }

    /// A first layer large enough for the tiled or library products trains within rounding of the
    /// sparse route, which replaces them.
    func testSparseRouteAgreesWithLargeLayerProducts() throws {
        let arch = try Architecture([300, 40, 3])
        let options = TrainingOptions(epochs: 2, batchSize: 32, noise: 0)
        for path in [OpenCLBackend.GemmPath.opencl, .blas] {
            let backend = try OpenCLBackend(device: try TestDevice.require(), path: path)
            backend.libraryGemmMinimum = 0
            let dense = try trainSparseModels(backend, crossover: 0, arch: arch, options: options) { backend.sparseInputCrossover = $0 }
            let sparse = try trainSparseModels(backend, crossover: 20, arch: arch, options: options) { backend.sparseInputCrossover = $0 }
            XCTAssertEqual(sparse.sparse, [true, true, false])
            XCTAssertNil(mismatches(sparse.params, dense.params, atol: 1e-5, rtol: 1e-3), "\(path)")
            XCTAssertNil(mismatches(sparse.losses.map(Float.init), dense.losses.map(Float.init), atol: 1e-6, rtol: 1e-4), "\(path)")
        }
    }

    /// Small first layers (the Boolean tasks') never take the route, however sparse.
    func testSmallFirstLayersStayDense() throws {
        let backend = try openCLBackend()
        backend.sparseInputCrossover = 100
        let pop = try Population(
            backend: backend, arch: try Architecture([8, 60, 4]), data: data(8, 4, rows: 16, seed: 2), options: TrainingOptions(epochs: 1, batchSize: 4),
            models: [ModelSpec(seed: 1, learningRate: 0.1)])
        var m = try pop.masks(of: 0)
        for i in 1..<(8 * 60) { m[i] = 0 }
        try pop.setMasks(of: 0, m)
        _ = try pop.train(active: [true])
        XCTAssertNil(pop.sparseInput)
        pop.sparseInputMinimumWeights = 0
        _ = try pop.train(active: [true])
        XCTAssertEqual(pop.sparseInput?.models, [true])
    }

    /// Validation and unit scores read the current masks: pruning between calls changes the route.
    func testRouteFollowsTheMasks() throws {
        let backend = try openCLBackend()
        backend.sparseInputCrossover = 0.5
        let arch = try Architecture([50, 4, 2])
        let pop = try Population(
            backend: backend, arch: arch, data: data(50, 2, rows: 16, seed: 1), options: TrainingOptions(epochs: 1, batchSize: 4),
            models: [ModelSpec(seed: 1, learningRate: 0.1)])
        pop.sparseInputMinimumWeights = 0
        _ = try pop.validationMetrics(active: [true])
        XCTAssertNil(pop.sparseInput, "a dense first layer takes the dense route")
        var m = try pop.masks(of: 0)
        for i in 0..<200 where i % 50 > 4 { m[i] = 0 }
        try pop.setMasks(of: 0, m)
        let before = try pop.unitScores(active: [true])
        XCTAssertEqual(pop.sparseInput?.models, [true])
        XCTAssertEqual(pop.sparseInput?.K, 5)
        XCTAssertEqual(pop.sparseInput?.U, 5)
        backend.sparseInputCrossover = 0
        let dense = try pop.unitScores(active: [true])
        XCTAssertNil(pop.sparseInput)
        XCTAssertEqual(before, dense)
    }
}
