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

/// Model-steps per second of the per-layer launches, of the fused path with models in vector lanes and
/// (up to 16 models) of its solo kernel, same run, for the Boolean experiments' smallest, a typical and
/// their largest shape.
@MainActor func benchFused() throws {
    let backend = try OpenCLBackend(device: device)
    let fused = OpenCLBackend.defaultFusedLayout(device), soloLimit = backend.fusedSoloLimit
    // soloLimit: the population sizes that take the solo kernel (0: none; .max: all).
    let paths: [(name: String, layout: FusedLayout?, soloLimit: Int)] = [
        ("per_layer", nil, 0), ("fused", fused, 0), ("solo", fused, fused.lanes > 1 ? .max : 0),
    ]
    let shapes: [(arch: [Int], batch: Int, data: Dataset, epochs: Int)] = [
        ([4, 24, 4], 8, xor.dataset(), 15),
        ([4, 24, 24, 16], 8, randomTable(inputs: 4, outputs: 16, seed: 1), 15),
        ([8, 60, 60, 60, 60, 16], 32, randomTable(inputs: 8, outputs: 16, seed: 2), 2),
    ]
    let populations = quick ? [1, 16, 256] : [1, 2, 4, 8, 16, 256, 1024, 4096]
    for shape in shapes {
        let arch = try Architecture(shape.arch)
        func population(_ P: Int, epochs: Int) throws -> Population<OpenCLBackend> {
            try Population(
                backend: backend, arch: arch, data: shape.data, options: TrainingOptions(epochs: epochs, batchSize: shape.batch),
                models: (0..<P).map { ModelSpec(seed: UInt64($0), learningRate: 0.01) })
        }
        // Validate: the fused path gives the per-layer networks and losses bit for bit where the
        // per-layer path runs its small-layer kernels, and to rounding where validation chunks put a
        // layer on the tiled products (another summation order).
        var outcomes: [[Float]] = []
        var perLayerTiled = false
        for path in paths {
            backend.fusedLayout = path.layout
            backend.fusedSoloLimit = path.soloLimit
            let pop = try population(5, epochs: 2)
            let r = try pop.train(active: [Bool](repeating: true, count: 5))
            if path.layout == nil { perLayerTiled = (0..<arch.depth).contains { pop.isTiled($0) } }
            let ran = try pop.usesFusedPath()
            precondition(ran == (path.layout != nil), "\(path.name) did not run on \(arch)")
            outcomes.append(try (0..<5).flatMap { try pop.weights(of: $0) } + r.flatMap { $0!.epochLoss.map(Float.init) })
        }
        for (k, path) in paths.enumerated().dropFirst() {
            let worst = zip(outcomes[k], outcomes[0]).map { abs($0 - $1) / max(abs($1), 1e-3) }.max()!
            // fatalError, not precondition: release builds print its message.
            if !perLayerTiled && outcomes[k] != outcomes[0] {
                fatalError("fused and per-layer training differ on \(arch)")
            }
            if !(worst <= 1e-3) { fatalError("\(path.name) and per-layer training differ on \(arch) (relative difference \(worst))") }
        }
        let steps = (shape.data.count + shape.batch - 1) / shape.batch
        let fit = Population.maxModels(
            backend: backend, arch: arch, data: shape.data, options: TrainingOptions(epochs: shape.epochs, batchSize: shape.batch))
        for P in populations where P <= fit {
            var rate: [String: Double] = [:]
            for path in paths where path.name != "solo" || (P <= 16 && path.soloLimit > 0) {
                backend.fusedLayout = path.layout
                backend.fusedSoloLimit = path.soloLimit
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
                rate[path.name] = Double(P * steps * shape.epochs) / median(times)
            }
            let (layer, fu) = (rate["per_layer"]!, rate["fused"]!)
            // The matrix products' share of the work, to set against `sculpt-bench peak`.
            let flops = matrixFlopsPerStep(arch: arch, batch: shape.batch, validationRows: shape.data.count)
            var fields: [String: Any] = [
                "arch": "\(arch)", "batch": shape.batch, "P": P, "epochs": shape.epochs, "layout": "\(fused.lanes) lanes",
                "per_layer_model_steps_per_s": layer, "fused_model_steps_per_s": fu, "speedup": fu / layer,
                "matrix_flops_per_step": flops, "per_layer_gflops": layer * flops / 1e9, "fused_gflops": fu * flops / 1e9,
            ]
            var line = String(
                format: "%@ batch %d P = %4d: per-layer %.0f, fused %.0f (%.1f×; %.1f GFLOP/s in products)", "\(arch)", shape.batch, P, layer, fu,
                fu / layer, fu * flops / 1e9)
            if let solo = rate["solo"] {
                fields["solo_model_steps_per_s"] = solo
                line += String(format: ", solo %.0f (%.1f× per-layer, %.1f× fused)", solo, solo / layer, solo / fu)
            }
            report("fused-throughput", fields, line + " model-steps/s")
        }
    }
    backend.fusedLayout = fused
    backend.fusedSoloLimit = soloLimit
}
