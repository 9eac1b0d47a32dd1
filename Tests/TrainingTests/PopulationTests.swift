import SculptCore
import Training
import OpenCLBackend
import ReferenceBackend
import TestSupport
import XCTest

final class PopulationTests: XCTestCase {
    /// 20 Adam steps (xor-pairs: 16 rows, batch 8, 10 epochs) give the same validation losses on both
    /// backends. Tolerance: noise differs by ~1 ulp (libm vs device log/cos) and sums are Double vs
    /// Float, so trajectories drift apart by ~1e-5 relative over 20 steps; 1e-3 leaves margin while a
    /// wrong gradient or update changes losses by far more.
    func testTwentyAdamStepsAgreeAcrossBackends() throws {
        let arch = try Architecture([4, 24, 4])
        let opts = TrainingOptions(epochs: 10, batchSize: 8)
        let models = [0, 1].map { ModelSpec(seed: $0, learningRate: 0.05) }
        let ref = try Population(backend: ReferenceBackend(), arch: arch, data: xorPairsData(), options: opts, models: models)
        let dev = try Population(backend: try openCLBackend(), arch: arch, data: xorPairsData(), options: opts, models: models)
        let r = try ref.train(active: [true, true]).map { $0! }
        let d = try dev.train(active: [true, true]).map { $0! }
        for p in 0..<2 {
            let rl = r[p].epochLoss.map(Float.init), dl = d[p].epochLoss.map(Float.init)
            XCTAssertNil(mismatches(dl, rl, atol: 1e-6, rtol: 1e-3), "model \(p) losses \(dl) vs \(rl)")
            XCTAssertEqual(r[p].epochAccuracy, d[p].epochAccuracy, "model \(p)")
        }
        XCTAssertNotEqual(r[0].epochLoss.first, r[0].epochLoss.last, "training changed the loss")
    }

    /// A model's result does not depend on its population: seed 5 trained inside a population of 64
    /// (other seeds and learning rates, some models inactive) equals seed 5 trained alone, bit for bit.
    func testModelInsidePopulationEqualsModelAlone() throws {
        let backend = try openCLBackend()
        let arch = try Architecture([4, 24, 4])
        let opts = TrainingOptions(epochs: 4, batchSize: 8)
        let target = ModelSpec(seed: 5, learningRate: 0.05)
        var models: [ModelSpec] = (0..<64).map { (p: Int) -> ModelSpec in
            ModelSpec(seed: UInt64(1000 + p), learningRate: 0.01 * Float(p % 7 + 1))
        }
        models[37] = target
        let big = try Population(backend: backend, arch: arch, data: xorPairsData(), options: opts, models: models)
        let alone = try Population(backend: backend, arch: arch, data: xorPairsData(), options: opts, models: [target])
        let active = (0..<64).map { $0 % 9 != 0 }
        let rb = try big.train(active: active)
        let ra = try alone.train(active: [true])
        XCTAssertEqual(rb[37], ra[0])
        XCTAssertEqual(try big.weights(of: 37), try alone.weights(of: 0))
        XCTAssertEqual(try big.biases(of: 37), try alone.biases(of: 0))
        XCTAssertNil(rb[0], "inactive models are not trained")
    }

    func testBadConfigurationsAreRejectedWithAClearMessage() throws {
        let data = xorPairsData()
        func message(_ arch: [Int], _ opts: TrainingOptions, lr: Float = 0.1) -> String {
            do {
                _ = try Population(
                    backend: ReferenceBackend(), arch: try Architecture(arch), data: data, options: opts,
                    models: [ModelSpec(seed: 0, learningRate: lr)])
                return "accepted"
            } catch { return "\(error)" }
        }
        XCTAssert(message([3, 24, 4], TrainingOptions(epochs: 1, batchSize: 8)).contains("3 inputs but the task has 4"))
        XCTAssert(message([4, 24, 2], TrainingOptions(epochs: 1, batchSize: 8)).contains("2 outputs but the task has 4"))
        XCTAssert(message([4, 24, 4], TrainingOptions(epochs: 1, batchSize: 17)).contains("larger than the data (16 rows)"))
        XCTAssert(message([4, 24, 4], TrainingOptions(epochs: 0, batchSize: 8)).contains("epochs must be between 1 and"))
        XCTAssert(message([4, 24, 4], TrainingOptions(epochs: 1, batchSize: 0)).contains("batch size must be at least 1"))
        XCTAssert(message([4, 24, 4], TrainingOptions(epochs: 1, batchSize: 8), lr: 0).contains("learning rate must be a positive"))
        XCTAssertThrowsError(try Architecture([4, 0, 4])) { XCTAssert("\($0)".contains("layer 1 has width 0")) }
    }
}

final class EarlyStopTests: XCTestCase {
    /// With early stopping, a model that reaches the threshold stops after `patience` epochs in which
    /// its snapshot's accuracy did not rise, holds its snapshot, and models that do not reach the
    /// threshold train the full budget.
    func testEarlyStopEndsTrainingAndKeepsTheSnapshot() throws {
        let backend = try openCLBackend()
        let pop = try Population(
            backend: backend, arch: try Architecture([4, 24, 4]), data: xorPairsData(),
            options: TrainingOptions(epochs: 40, batchSize: 8), models: [0, 1, 2, 5].map { ModelSpec(seed: $0, learningRate: 0.05) })
        let results = try pop.train(active: [true, true, true, true], earlyStop: EarlyStop(accuracyThreshold: 100, patience: 3)).map { $0! }
        let held = try pop.validationMetrics(active: [true, true, true, true]).map { $0! }
        for (p, r) in results.enumerated() {
            XCTAssertEqual(held[p].accuracy, r.accuracy, "model \(p) holds its snapshot")
            if r.accuracy == 100 {
                XCTAssertLessThan(r.epochLoss.count, 40, "model \(p) stopped early")
                let firstFull = r.epochAccuracy.firstIndex(of: 100)! + 1
                XCTAssertEqual(r.epochLoss.count, firstFull + 3, "stopped 3 epochs after first reaching 100%")
            } else {
                XCTAssertEqual(r.epochLoss.count, 40)
            }
        }
        XCTAssert(results.contains { $0.accuracy == 100 })
    }
}

final class DeviceMemoryTests: XCTestCase {
    /// A population that cannot fit the device is refused before anything is allocated, with the
    /// bytes needed and available in the message.
    func testTooLargeForTheDeviceGivesTheBytes() throws {
        let backend = try openCLBackend()
        let mem = try XCTUnwrap(backend.memory)
        let data = Dataset(inputs: [Float](repeating: 0, count: 64 * 8), targets: [Float](repeating: 0, count: 8 * 2), inputWidth: 64, outputWidth: 2)
        // One model more than the device's budget holds (sized from the device, whose memory differs
        // between machines): 64×50,000×2 weights each, with Adam state and snapshots.
        let arch = try Architecture([64, 50_000, 2]), options = TrainingOptions(epochs: 1, batchSize: 8)
        let fit = Population.maxModels(backend: backend, arch: arch, data: data, options: options)
        XCTAssertLessThan(fit, Population<OpenCLBackend>.modelLimit, "the device's memory, not the model cap, must bind")
        let models = (0...fit).map { ModelSpec(seed: UInt64($0), learningRate: 0.1) }
        XCTAssertThrowsError(
            try Population(backend: backend, arch: arch, data: data, options: options, models: models)
        ) { error in
            let text = "\(error)"
            XCTAssert(text.contains("bytes of device memory") && text.contains("\(mem.total) bytes"), text)
        }
    }
}
