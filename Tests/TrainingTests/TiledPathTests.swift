@testable import Training
import OpenCLBackend
import ReferenceBackend
import SculptCore
import TestSupport
import XCTest

/// The tiled large-layer path (Kernels/gemm.cl) computes the same training as the small-layer path.
final class TiledPathTests: XCTestCase {
    func data(_ n0: Int, _ m: Int, rows: Int) -> Dataset {
        var r = TestRandom(11)
        return Dataset(inputs: r.floats(rows * n0).map { $0 > 0 ? 1 : 0 }, targets: r.bits(rows * m), inputWidth: n0, outputWidth: m)
    }

    /// Gradients of one batch through both paths on the reference backend (exercises the strides the
    /// training code passes to gemm) agree.
    func testTiledAndSmallPathsGiveTheSameGradients() throws {
        let arch = try Architecture([13, 20, 9, 3])
        func grads(tiled: Bool) throws -> [Float] {
            let pop = try Population(
                backend: ReferenceBackend(), arch: arch, data: data(13, 3, rows: 24),
                options: TrainingOptions(epochs: 1, batchSize: 7, noise: 0), models: [0, 1].map { ModelSpec(seed: $0, learningRate: 0.1) })
            pop.tiledThreshold = tiled ? 0 : Int.max
            XCTAssertEqual((0..<arch.depth).map(pop.isTiled), [Bool](repeating: tiled, count: arch.depth))
            try pop.setActive([true, true])
            var r = TestRandom(3)
            try pop.backend.write(r.floats(pop.capacity * 13 * 2), to: pop.acts[0], offset: 0)
            try pop.backend.write(r.bits(pop.capacity * 3 * 2), to: pop.y, offset: 0)
            try pop.forward(rows: 7, input: pop.acts[0], inStride: pop.capacity * 13, inOff: 0)
            try pop.backend.bceGrad(
                P: 2, m: 3, B: pop.capacity, Bt: 7, scale: 1 / 21, yStride: pop.capacity * 3, yOff: 0, saturate: false,
                z: pop.acts[3], y: pop.y, active: pop.activeBuf, dz: pop.deltas[3])
            try pop.backward(rows: 7)
            return try pop.backend.read(pop.gW, offset: 0, count: 2 * pop.WT) + pop.backend.read(pop.gb, offset: 0, count: 2 * pop.BT)
                + pop.unitScores(active: [true, true]).flatMap { $0 }
        }
        let small = try grads(tiled: false), tiled = try grads(tiled: true)
        XCTAssertNil(mismatches(tiled, small, atol: 1e-6, rtol: 1e-5))
        XCTAssert(small.contains { abs($0) > 1e-3 })
    }

    /// A network whose layers take the tiled path trains the same on the device as in the reference.
    func testLargeLayersTrainTheSameOnBothBackends() throws {
        let arch = try Architecture([64, 70, 64, 5])
        let opts = TrainingOptions(epochs: 2, batchSize: 64, noise: 0.1)
        let models = [ModelSpec(seed: 7, learningRate: 0.01)]
        let d = data(64, 5, rows: 128)
        let ref = try Population(backend: ReferenceBackend(), arch: arch, data: d, options: opts, models: models)
        let r = try ref.train(active: [true])[0]!
        // Both ways of running the large products: the kernels, and OpenBLAS on the mapped buffers.
        for path in [OpenCLBackend.GemmPath.opencl, .blas, .clblast] {
            let backend = try OpenCLBackend(device: try TestDevice.require(), path: path)
            backend.libraryGemmMinimum = 0
            let dev = try Population(backend: backend, arch: arch, data: d, options: opts, models: models)
            XCTAssertEqual((0..<3).map(dev.isTiled), [true, true, false], "the first two layers take the tiled path")
            let g = try dev.train(active: [true])[0]!
            XCTAssertEqual(backend.libraryProducts > 0, path != .opencl, "\(path): products ran elsewhere")
            XCTAssertNil(
                mismatches(g.epochLoss.map(Float.init), r.epochLoss.map(Float.init), atol: 1e-6, rtol: 1e-3), "\(path): \(g.epochLoss) vs \(r.epochLoss)")
        }
    }
}
