import Foundation
import OpenCLBackend
import SculptCore
import Tasks
import Training

// MARK: - Fused small networks

/// A Boolean table of every `n0`-bit input with seeded random targets (the shapes' throughput does not
/// depend on what the bits mean).
@MainActor func randomTable(inputs n0: Int, outputs m: Int, seed: UInt64) -> Dataset {
    var rng = PhiloxStream(seed: seed, purpose: .shuffle, stream: 0)
    let rows = 1 << n0
    let x = (0..<rows).flatMap { r in (0..<n0).map { Float((r >> $0) & 1) } }
    let y = (0..<rows * m).map { _ in Float(rng.nextUInt32() & 1) }
    return Dataset(inputs: x, targets: y, inputWidth: n0, outputWidth: m)
}

/// Model-steps per second of the per-layer launches and of the fused path, same run, for the
/// Boolean experiments' smallest, typical and largest shapes.
@MainActor func benchFused() throws {
    let backend = try OpenCLBackend(device: device)
    guard let layout = backend.fusedLayout else { throw FusedUnavailableError(backend.deviceDescription) }
    let shapes: [(arch: [Int], batch: Int, data: Dataset, epochs: Int)] = [
        ([4, 24, 4], 8, xor.dataset(), 15),
        ([4, 24, 24, 16], 8, randomTable(inputs: 4, outputs: 16, seed: 1), 15),
        ([8, 60, 60, 60, 60, 16], 32, randomTable(inputs: 8, outputs: 16, seed: 2), 2),
    ]
    let populations = quick ? [1, 16, 256] : [1, 16, 256, 1024, 4096]
    for shape in shapes {
        let arch = try Architecture(shape.arch)
        func population(_ P: Int, epochs: Int) throws -> Population<OpenCLBackend> {
            try Population(
                backend: backend, arch: arch, data: shape.data, options: TrainingOptions(epochs: epochs, batchSize: shape.batch),
                models: (0..<P).map { ModelSpec(seed: UInt64($0), learningRate: 0.01) })
        }
        // Validate: both paths give the same networks and metrics (to rounding: the vector lanes' exp,
        // log, sin and cos may differ from the scalar ones by an ulp).
        var outcomes: [[Float]] = []
        for fused in [false, true] {
            backend.fusedLayout = fused ? layout : nil
            let pop = try population(5, epochs: 2)
            let r = try pop.train(active: [Bool](repeating: true, count: 5))
            outcomes.append(try (0..<5).flatMap { try pop.weights(of: $0) } + r.flatMap { $0!.epochLoss.map(Float.init) })
        }
        let worst = zip(outcomes[0], outcomes[1]).map { abs($0 - $1) / max(abs($1), 1e-3) }.max()!
        precondition(worst <= 1e-3, "fused and per-layer training differ on \(arch) (relative difference \(worst))")
        let steps = (shape.data.count + shape.batch - 1) / shape.batch
        for P in populations {
            var rate: [Bool: Double] = [:]
            for fused in [false, true] {
                backend.fusedLayout = fused ? layout : nil
                let pop = try population(P, epochs: shape.epochs)
                let all = [Bool](repeating: true, count: P)
                _ = try pop.train(active: all)  // warm-up: kernel builds, buffers
                var times: [Double] = []
                for _ in 0..<(quick || P >= 1024 ? 1 : 3) {
                    let t0 = now()
                    _ = try pop.train(active: all)
                    try backend.finish()
                    times.append(now() - t0)
                }
                rate[fused] = Double(P * steps * shape.epochs) / median(times)
            }
            let speedup = rate[true]! / rate[false]!
            report(
                "fused-throughput",
                [
                    "arch": "\(arch)", "batch": shape.batch, "P": P, "epochs": shape.epochs, "layout": "\(layout)",
                    "per_layer_model_steps_per_s": rate[false]!, "fused_model_steps_per_s": rate[true]!, "speedup": speedup,
                ],
                String(format: "%@ batch %d P = %4d: per-layer %.0f, fused %.0f model-steps/s (%.1f×)", "\(arch)", shape.batch, P, rate[false]!, rate[true]!, speedup))
        }
    }
    backend.fusedLayout = layout
}
