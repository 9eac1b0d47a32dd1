@testable import Training
import OpenCLBackend
import ReferenceBackend
import SculptCore
import TestSupport
import XCTest

// The fused small-network path (Kernels/fused.cl) against the per-layer launches it replaces, which
// are its specification, and against the plain-Swift reference.

final class FusedTrainingTests: XCTestCase {
    /// What a training reports for one model: the snapshot's epoch, correct outputs and epochs run
    /// (what decisions read), and its loss.
    struct Outcome: Equatable {
        var decision: String
        var loss: Double
    }

    /// A training case: rows, options, models with some weights pruned and some models resting.
    struct Case {
        var arch: [Int] = [5, 7, 6, 3]
        var rows = 21, validationRows = 0, P = 7
        var options = TrainingOptions(epochs: 4, batchSize: 8, noise: 0.3)
        var active: [Bool] = [true, true, false, true, true, true, true]
        var earlyStop: EarlyStop?
        var keepBest = true
        var softmax = false

        func data(rows: Int, seed: UInt64) throws -> Dataset {
            var r = TestRandom(seed)
            let a = try Architecture(arch)
            let inputs = r.floats(rows * a.inputs).map { $0 > 0.2 ? 1 : 0 } as [Float]
            var targets = r.bits(rows * a.outputs)
            if softmax {
                targets = (0..<rows).flatMap { i in (0..<a.outputs).map { Float($0 == (i * 7 + 3) % a.outputs ? 1 : 0) } }
            }
            return Dataset(inputs: inputs, targets: targets, inputWidth: a.inputs, outputWidth: a.outputs)
        }

        /// Trains twice (two sessions) and returns each model's parameters, losses and results.
        func train<B: ComputeBackend>(_ backend: B) throws -> (params: [[Float]], losses: [[Double]], results: [Outcome?], fused: Bool) {
            let a = try Architecture(arch)
            var opts = options
            if softmax { opts.loss = .softmaxCrossEntropy }
            let pop = try Population(
                backend: backend, arch: a, data: try data(rows: rows, seed: 11),
                validation: validationRows > 0 ? try data(rows: validationRows, seed: 12) : nil, options: opts,
                models: (0..<P).map { ModelSpec(seed: UInt64(40 + $0), learningRate: 0.01 + 0.005 * Float($0 % 3)) })
            var r = TestRandom(3)
            for p in 0..<P where p % 2 == 1 { try pop.setMasks(of: p, r.mask(a.weightCount, density: 0.6)) }
            var losses: [[Double]] = [], results: [Outcome?] = []
            for _ in 0..<2 {
                let out = try pop.train(active: active, earlyStop: earlyStop, keepBest: keepBest)
                losses += out.map { $0?.epochLoss ?? [] }
                results += out.map { $0.map { Outcome(decision: "epoch \($0.bestEpoch) correct \($0.correctBits) of \($0.epochLoss.count) epochs", loss: $0.loss) } }
            }
            let params = try (0..<P).map { try pop.weights(of: $0) + pop.biases(of: $0) }
            return (params, losses, results, try pop.usesFusedPath())
        }
    }

    /// The CPU default (models in vector lanes), several work-items per group, the GPU layout, and the
    /// solo kernel (one model per work-item, its rows or units in the lanes) over the trained models,
    /// with just as many slots.
    func paths(trained: Int) -> [(layout: FusedLayout, soloLimit: Int)] {
        let device = try! TestDevice.require()
        let cpu = OpenCLBackend.defaultFusedLayout(device), vector = FusedLayout(lanes: max(cpu.lanes, 4), group: max(cpu.group, 4))
        return [(cpu, 0), (FusedLayout(lanes: 4, group: 8), 0), (FusedLayout(lanes: 1, group: 4), 0), (vector, trained)]
    }

    /// Compares every fused path's training with the per-layer launches on the same device.
    func check(_ c: Case, file: StaticString = #filePath, line: UInt = #line) throws {
        let backend = try openCLBackend()
        backend.fusedLayout = nil
        let perLayer = try c.train(backend)
        XCTAssertFalse(perLayer.fused, file: file, line: line)
        for (layout, soloLimit) in paths(trained: c.active.filter { $0 }.count) {
            backend.fusedLayout = layout
            backend.fusedSoloLimit = soloLimit
            let fused = try c.train(backend)
            let path = "\(layout)" + (soloLimit > 0 ? ", solo" : "")
            XCTAssertTrue(fused.fused, file: file, line: line)
            // The same operations in the same order (mathfn.cl's functions round alike in vector
            // lanes): the same numbers, bit for bit.
            XCTAssertEqual(fused.results, perLayer.results, path, file: file, line: line)
            XCTAssertEqual(fused.losses, perLayer.losses, path, file: file, line: line)
            for p in 0..<c.P { XCTAssertEqual(fused.params[p], perLayer.params[p], "\(path) model \(p)", file: file, line: line) }
        }
    }

    func testBCEWithNoiseDropoutAndWeightDecay() throws {
        var c = Case()
        c.options.dropout = 0.25
        c.options.weightDecay = 0.01
        try check(c)
    }

    /// The reference implementation's options: saturating BCE gradient, and one validation batch so
    /// that its best-epoch rule compares accuracy only.
    func testReferenceLossOptions() throws {
        var c = Case()
        c.options.bceGradient = .probabilities
        c.options.snapshotLoss = .reference
        c.options.batchSize = c.rows
        c.options.epochs = 9
        try check(c)
    }

    func testSoftmaxWithAValidationSetAndLastEpochs() throws {
        var c = Case(arch: [6, 9, 4], rows: 19, validationRows: 13, P: 5, active: [true, false, true, true, true])
        c.softmax = true
        c.keepBest = false
        c.options.batchSize = 4
        try check(c)
    }

    func testEarlyStoppingAndDeeperNetworks() throws {
        var c = Case(arch: [4, 5, 5, 5, 2], rows: 16, P: 18, active: [Bool](repeating: true, count: 18))
        c.options.epochs = 12
        c.earlyStop = EarlyStop(accuracyThreshold: 60, patience: 2)
        try check(c)
    }

    /// Layers wider than a vector and batches longer than one (several row and input blocks, a short
    /// last batch), softmax with a validation set, dropout and noise.
    func testWideLayersAndLongBatches() throws {
        var c = Case(arch: [11, 37, 19, 5], rows: 93, validationRows: 41, P: 3, active: [true, true, true])
        c.softmax = true
        c.options.batchSize = 40
        c.options.dropout = 0.2
        c.options.epochs = 3
        try check(c)
    }

    /// The solo kernel takes a training of at most `fusedSoloLimit` models; more go to the lanes.
    func testSoloKernelChoice() throws {
        let backend = try openCLBackend()
        backend.fusedLayout = FusedLayout(lanes: 8, group: 8)
        backend.fusedSoloLimit = 2
        let c = Case()
        let pop = try Population(
            backend: backend, arch: try Architecture(c.arch), data: try c.data(rows: c.rows, seed: 1), options: c.options,
            models: (0..<4).map { ModelSpec(seed: UInt64($0), learningRate: 0.01) })
        XCTAssertTrue(pop.usesSoloKernel(active: [true, false, false, true]))
        XCTAssertFalse(pop.usesSoloKernel(active: [true, true, false, true]))
        backend.fusedLayout = FusedLayout(lanes: 1, group: 4)
        XCTAssertFalse(pop.usesSoloKernel(active: [true, false, false, false]), "one model per work-item already")
    }

    /// The fused path against the plain-Swift reference (rounding of exp and the like only).
    func testAgreesWithTheReference() throws {
        var c = Case()
        c.options.dropout = 0.1
        let fused = try c.train(try openCLBackend())
        let reference = try c.train(ReferenceBackend())
        XCTAssertTrue(fused.fused)
        XCTAssertFalse(reference.fused)
        for p in 0..<c.P { XCTAssertNil(mismatches(fused.params[p], reference.params[p], atol: 1e-4, rtol: 1e-3), "model \(p)") }
    }

    /// Layers large enough for the tiled products, a sparse first layer, or a step hook keep the
    /// per-layer launches.
    func testLargeLayersKeepThePerLayerPath() throws {
        let backend = try openCLBackend()
        let data = try Case(arch: [40, 200, 40, 2]).data(rows: 64, seed: 1)
        let pop = try Population(
            backend: backend, arch: try Architecture([40, 200, 40, 2]), data: data, options: TrainingOptions(epochs: 1, batchSize: 64),
            models: [ModelSpec(seed: 1, learningRate: 0.01)])
        XCTAssertTrue(pop.isTiled(0))
        XCTAssertFalse(try pop.usesFusedPath())
    }

    /// Networks deeper than the kernel's private width table train per layer; one at the limit fused.
    func testDepthLimit() throws {
        let backend = try openCLBackend()
        for (depth, fused) in [(FusedLayout.maximumDepth, true), (FusedLayout.maximumDepth + 1, false)] {
            let arch = try Architecture([3] + [Int](repeating: 4, count: depth - 1) + [2])
            let pop = try Population(
                backend: backend, arch: arch, data: try Case(arch: arch.widths).data(rows: 8, seed: 2),
                options: TrainingOptions(epochs: 1, batchSize: 4), models: [ModelSpec(seed: 1, learningRate: 0.01)])
            XCTAssertEqual(try pop.usesFusedPath(), fused, "depth \(depth)")
            XCTAssertNotNil(try pop.train(active: [true])[0], "depth \(depth) trains")
        }
    }
}

/// The device's row orders (`fused_shuffle`) are the host's `Initialization.epochOrder`, for
/// awkward row counts, several epochs and sessions.
final class FusedShuffleTests: XCTestCase {
    func testDeviceOrdersAreTheHostOrders() throws {
        let backend = try openCLBackend()
        for N in [1, 2, 7, 93, 300] {
            let seeds: [UInt64] = [0, 5, 1 << 40 | 3], sessions: [UInt32] = [1, 2, 7]
            let P = seeds.count, epochs = 3, epoch0 = 4
            let keys = try backend.makeUInts(2 * P, label: "keys"), session = try backend.makeUInts(P, label: "sessions")
            try backend.write(
                seeds.flatMap { s -> [UInt32] in
                    let k = Philox.key(seed: s, purpose: .shuffle); return [k.0, k.1]
                }, to: keys, offset: 0)
            try backend.write(sessions, to: session, offset: 0)
            let perm = try backend.makeUInts(epochs * P * N + 1, label: "orders")
            try backend.write([0xDEAD_BEEF], to: perm, offset: epochs * P * N)
            // Model 1 rests: its rows keep what they held.
            try backend.write([UInt32](repeating: 7, count: epochs * P * N), to: perm, offset: 0)
            let active = try backend.makeUInts(P, label: "active")
            try backend.write([1, 0, 1], to: active, offset: 0)
            try backend.fusedShuffle(P: P, N: N, epoch0: epoch0, epochs: epochs, keys: keys, session: session, active: active, perm: perm)
            let got = try backend.read(perm, offset: 0, count: epochs * P * N + 1)
            for e in 0..<epochs {
                for p in 0..<P {
                    let want =
                        p == 1
                        ? [UInt32](repeating: 7, count: N) : Initialization.epochOrder(rows: N, seed: seeds[p], session: sessions[p], epoch: epoch0 + e)
                    XCTAssertEqual(Array(got[(e * P + p) * N..<(e * P + p + 1) * N]), want, "N \(N) epoch \(epoch0 + e) model \(p)")
                }
            }
            XCTAssertEqual(got.last, 0xDEAD_BEEF, "canary past the orders")
        }
    }
}
