// sculpt-bench: validates, then times; prints one JSON line per measurement (device, driver, commit,
// date) and a readable line on stderr. Usage: `sculpt-bench --help`.
// See Benchmarks/README.md. Never run under `swift test`.
import CLRuntime
import Foundation
import OpenCLBackend
import Pruning
import ReferenceBackend
import Reports
import SculptCore
import Tasks
import Training

let args = CommandLine.arguments.dropFirst()
let groups = ["all", "training", "large", "pipeline", "analysis", "cluster", "compaction", "sparse", "fused", "peak"]
let usage = """
    USAGE: sculpt-bench [\(groups.joined(separator: "|"))] [--quick]

    Validates each measured path against its reference, then times it (median of repeats). One JSON
    line per measurement on stdout (with device, driver, commit and date), a readable line on stderr.
    all (the default) runs training, large, pipeline and analysis; the others run only when named.
    --quick: fewer sizes and repeats. compaction and sparse need SCULPT_BENCH_MNIST (a folder with the four
    MNIST files). SCULPT_DEVICE picks the OpenCL device. Benchmarks/README.md describes each group.

    """
if args.contains("--help") || args.contains("-h") {
    print(usage, terminator: "")
    exit(0)
}
let unknown = args.filter { !groups.contains($0) && $0 != "--quick" }
let named = args.filter { groups.contains($0) }
if !unknown.isEmpty || named.count > 1 {
    let what = unknown.isEmpty ? "more than one group: \(named.joined(separator: ", "))" : "unknown argument \(unknown[0])"
    FileHandle.standardError.write(Data("sculpt-bench: \(what) (sculpt-bench --help)\n".utf8))
    exit(2)
}
let which = named.first ?? "all"
let quick = args.contains("--quick")

@MainActor func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
@MainActor func median(_ xs: [Double]) -> Double { let s = xs.sorted(); return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2 }

@MainActor func commit() -> String { BuildInfo.commit ?? "unknown" }

let device = try CLDevice.choose(ProcessInfo.processInfo.environment["SCULPT_DEVICE"])
let facts: [String: Any] = [
    "device": device.name, "driver": device.driverVersion, "platform": device.platformName,
    "commit": commit(), "date": ISO8601DateFormatter().string(from: Date()),
]

@MainActor func report(_ name: String, _ values: [String: Any], _ text: String) {
    var o = facts
    o["benchmark"] = name
    for (k, v) in values { o[k] = v }
    let data = try! JSONSerialization.data(withJSONObject: o, options: [.sortedKeys])
    print(String(decoding: data, as: UTF8.self))
    FileHandle.standardError.write(Data("\(name): \(text)\n".utf8))
}

let xor = try TaskCatalog.builtin("xor-pairs")
let xorArch = try Architecture([4, 24, 4])

// MARK: - Training throughput

/// Model-steps per second of one population of P models on xor-pairs [4,24,4], batch 8.
@MainActor func trainingThroughput(backend: OpenCLBackend, P: Int, epochs: Int, repeats: Int) throws -> (seconds: Double, modelSteps: Double) {
    let models = (0..<P).map { ModelSpec(seed: UInt64($0), learningRate: 0.05) }
    let pop = try Population(backend: backend, arch: xorArch, data: xor.dataset(), options: TrainingOptions(epochs: epochs, batchSize: 8), models: models)
    let all = [Bool](repeating: true, count: P)
    _ = try pop.train(active: all)  // warm-up: kernel compilation for these sizes
    var times: [Double] = []
    for _ in 0..<repeats {
        let t0 = now()
        _ = try pop.train(active: all)
        try backend.finish()
        times.append(now() - t0)
    }
    let steps = Double(P * epochs * 2)  // 16 rows / batch 8 = 2 steps per epoch
    return (median(times), steps / median(times))
}

@MainActor func benchTraining() throws {
    let backend = try OpenCLBackend(device: device)
    // Validate: the device's trajectory matches the reference (as the tests check) and training learns.
    let opts = TrainingOptions(epochs: 15, batchSize: 8)
    let models = [0, 1, 2, 5].map { ModelSpec(seed: $0, learningRate: 0.05) }
    let dev = try Population(backend: backend, arch: xorArch, data: xor.dataset(), options: opts, models: models).train(active: [true, true, true, true])
    let ref = try Population(backend: ReferenceBackend(), arch: xorArch, data: xor.dataset(), options: opts, models: models).train(active: [true, true, true, true])
    for p in 0..<4 {
        let d = dev[p]!.epochLoss, r = ref[p]!.epochLoss
        precondition(zip(d, r).allSatisfy { abs($0 - $1) <= 1e-3 * abs($1) + 1e-6 }, "device and reference losses differ: \(d) vs \(r)")
    }
    precondition(dev.filter { $0!.accuracy == 100 }.count >= 3, "xor-pairs did not learn: \(dev.map { $0!.accuracy })")

    let epochs = quick ? 5 : 15, repeats = quick ? 1 : 3
    var single = 0.0
    for P in [1, 16, 256, 1024] {
        let r = try trainingThroughput(backend: backend, P: P, epochs: epochs, repeats: repeats)
        if P == 1 { single = r.seconds }
        report(
            "train-throughput", ["P": P, "epochs": epochs, "seconds_median": r.seconds, "model_steps_per_s": r.modelSteps, "repeats": repeats],
            String(format: "P = %4d: %.4f s per %d epochs, %.0f model-steps/s", P, r.seconds, epochs, r.modelSteps))
    }
    // One population of 256 against 256 sequential single-model runs, each measured in full.
    let n = quick ? 32 : 256
    let t0 = now()
    for s in 0..<n {
        let pop = try Population(
            backend: backend, arch: xorArch, data: xor.dataset(), options: TrainingOptions(epochs: epochs, batchSize: 8),
            models: [ModelSpec(seed: UInt64(s), learningRate: 0.05)])
        _ = try pop.train(active: [true])
    }
    try backend.finish()
    let sequential = now() - t0
    let pop = try trainingThroughput(backend: backend, P: n, epochs: epochs, repeats: repeats)
    report(
        "population-vs-sequential",
        [
            "models": n, "sequential_seconds": sequential, "population_seconds": pop.seconds,
            "speedup": sequential / pop.seconds, "single_model_seconds": single,
        ],
        String(format: "%d models: sequential %.3f s, one population %.3f s, speed-up %.1f×", n, sequential, pop.seconds, sequential / pop.seconds))
}

// MARK: - Pipeline

@MainActor func benchPipeline() throws {
    let backend = try OpenCLBackend(device: device)
    let config = PipelineConfig(
        arch: xorArch, training: TrainingOptions(epochs: 15, batchSize: 8), learningRate: 0.05, seeds: [0, 1, 2, 5],
        unitSteps: [70], edgeSteps: [2.5], accuracyThreshold: 100)
    _ = try Pipeline.run(backend: backend, data: xor.dataset(), config: config)  // warm-up
    var times: [Double] = []
    var outcomes: [ModelOutcome] = []
    for _ in 0..<(quick ? 1 : 3) {
        let t0 = now()
        outcomes = try Pipeline.run(backend: backend, data: xor.dataset(), config: config)
        times.append(now() - t0)
    }
    precondition(outcomes.allSatisfy { $0.accuracy == 100 }, "every model keeps 100%")
    let sixteen = outcomes.filter { $0.edges == 16 }.count
    report(
        "pipeline-xor-pairs", ["seeds": 4, "seconds_median": median(times), "models_with_16_edges": sixteen],
        String(format: "xor-pairs [4,24,4], 4 seeds, P_u 70, P_e 2.5: %.2f s (median), %d/4 end with 16 edges", median(times), sixteen))
}

// MARK: - Analysis

@MainActor func benchAnalysis() throws {
    let large = AnalysisTiming.timeLargeNetwork()
    report("analysis-large", ["seconds_median": large.seconds, "detail": large.detail], large.description)
    let dir = NSTemporaryDirectory() + "sculpt-bench-\(getpid())"
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let many = try AnalysisTiming.timeManySmallFiles(count: 1000, directory: dir)
    report("analysis-1000-files", ["seconds_median": many.seconds], many.description)
}

// MARK: - Large networks

/// FLOPs of one training step at batch B: forward, backward to the weights, backward to the inputs
/// of every layer but the first (2 per multiply-add).
@MainActor func stepFlops(_ arch: Architecture, batch: Int) -> Double {
    let wt = Double(arch.weightCount)
    return 2 * Double(batch) * (2 * wt + wt - Double(arch.widths[0] * arch.widths[1]))
}

@MainActor func benchLarge() throws {
    // Every large-product path this device can take, side by side in one run.
    var paths: [OpenCLBackend.GemmPath] = device.type == .cpu ? [.opencl, .blas] : [.opencl]
    // SCULPT_BENCH_GEMM=blas (a comma list) times only those paths, e.g. to profile one of them.
    if let only = ProcessInfo.processInfo.environment["SCULPT_BENCH_GEMM"] {
        paths = only.split(separator: ",").compactMap { OpenCLBackend.GemmPath(rawValue: String($0)) }
    }
    let shapes: [([Int], Int)] =
        quick
        ? [([1568, 392, 392, 20], 256)]
        : [([1568, 1568, 1568, 1568, 1568, 20], 256), ([1568, 392, 392, 20], 512), ([1568, 784, 784, 784, 3], 256)]
    let peakGflops = ProcessInfo.processInfo.environment["SCULPT_PEAK_GFLOPS"].flatMap(Double.init)
    for path in paths {
        try benchLargeShapes(try OpenCLBackend(device: device, path: path), shapes: shapes, peakGflops: peakGflops)
    }
    try benchLargePeer(shapes: shapes)
}

/// Timed steps per shape: 7, or SCULPT_BENCH_STEPS (more steps make a profile of the step itself).
let timedSteps = ProcessInfo.processInfo.environment["SCULPT_BENCH_STEPS"].flatMap { Int($0) }.map { max(1, $0) } ?? 7

@MainActor func benchLargeShapes(_ backend: OpenCLBackend, shapes: [([Int], Int)], peakGflops: Double?) throws {
    for (widths, batch) in shapes {
        let arch = try Architecture(widths)
        var r = PhiloxStream(seed: 1, purpose: .clustering)
        let rows = batch * 2
        let data = Dataset(
            inputs: (0..<(rows * widths[0])).map { _ in Float(r.nextUInt32() & 255) / 255 },
            targets: (0..<(rows * widths.last!)).map { _ in Float(r.nextUInt32() & 1) },
            inputWidth: widths[0], outputWidth: widths.last!)
        let pop = try Population(
            // No input noise: the peer adds none, and the MNIST settings these shapes stand for use none.
            backend: backend, arch: arch, data: data, options: TrainingOptions(epochs: 1, batchSize: batch, noise: 0),
            models: [ModelSpec(seed: 3, learningRate: 1e-3)])
        try pop.setActive([true])
        // Validate: the step runs the tiled path and one step lowers nothing to NaN.
        precondition((0..<arch.depth).filter { pop.isTiled($0) }.count >= arch.depth - 1, "large layers take the tiled path")
        for s in 1...2 { try pop.miniBatch(start: 0, rows: batch, epoch: 0, step: s) }
        try backend.finish()
        let finite = try pop.weights(of: 0).allSatisfy { $0.isFinite }
        precondition(finite, "weights stay finite")
        var times: [Double] = []
        for s in 0..<(quick ? 3 : timedSteps) {
            let t0 = now()
            try pop.miniBatch(start: 0, rows: batch, epoch: 0, step: 3 + s)
            try backend.finish()
            times.append(now() - t0)
        }
        let t = median(times), gf = stepFlops(arch, batch: batch) / t / 1e9
        var values: [String: Any] = [
            "arch": widths, "batch": batch, "seconds_median": t, "gflops": gf, "variant": backend.gemmVariant.rawValue,
            "gemm": backend.gemmPath.rawValue, "matrix_products": backend.matrixProducts,
        ]
        var text = String(format: "%@ %@ batch %d: %.1f ms per step, %.1f GFLOP/s", backend.gemmPath.rawValue, arch.description, batch, t * 1000, gf)
        if let peak = peakGflops { values["fraction_of_peak"] = gf / peak; text += String(format: " (%.0f%% of %.0f peak)", 100 * gf / peak, peak) }
        if backend.gemmPath == .blas {
            // The same products as plain host sgemm calls: how close the step comes to the BLAS ceiling.
            let ceiling = HostSgemm.stepSeconds(widths: widths, batch: batch, threads: backend.blasThreads, repeats: quick ? 3 : 7)
            values["host_sgemm_seconds"] = ceiling
            values["fraction_of_host_sgemm"] = ceiling / t
            text += String(format: "; its products as plain sgemm: %.1f ms (step at %.0f%% of that speed)", ceiling * 1000, 100 * ceiling / t)
        }
        report("large-step", values, text)
    }
}

@MainActor func benchLargePeer(shapes: [([Int], Int)]) throws {
    // The peer, side by side in this run: the same steps in PyTorch on the CPU with the same threads.
    let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("peers/torch_step.py").path
    let threads = ProcessInfo.processInfo.environment["SCULPT_PEER_THREADS"] ?? String(ProcessInfo.processInfo.activeProcessorCount)
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["python3", script, "--threads", threads] + shapes.flatMap { ["--arch", $0.0.map(String.init).joined(separator: ","), "--batch", String($0.1)] }
    let pipe = Pipe()
    p.standardOutput = pipe
    do {
        try p.run()
        p.waitUntilExit()
        for line in String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).split(separator: "\n") {
            if let o = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] {
                report(
                    "large-step-peer", o,
                    (o["skipped"] as? String)
                        ?? String(
                            format: "PyTorch %@ %d threads %@ batch %d: %.1f ms per step, %.1f GFLOP/s",
                            (o["version"] as? String) ?? "?", (o["threads"] as? Int) ?? 0, "\((o["arch"] as? [Int]) ?? [])", (o["batch"] as? Int) ?? 0,
                            1000 * ((o["seconds_median"] as? Double) ?? 0), (o["gflops"] as? Double) ?? 0))
            }
        }
    } catch {
        report("large-step-peer", ["skipped": "cannot run python3: \(error)"], "peer skipped: cannot run python3")
    }
}

if which == "all" || which == "training" { try benchTraining() }
if which == "all" || which == "large" { try benchLarge() }
if which == "all" || which == "pipeline" { try benchPipeline() }
if which == "all" || which == "analysis" { try benchAnalysis() }
if which == "compaction" { try benchCompaction() }
if which == "sparse" { try benchSparseCrossover() }
if which == "fused" { try benchFused() }
if which == "peak" { try benchPeak() }
if which == "cluster" { ClusterBench.run { FileHandle.standardError.write(Data(($0 + "\n").utf8)) } }

// MARK: - Compaction

/// mnist-pairs from the MNIST files in $SCULPT_BENCH_MNIST (20,000 training pairs; 4,000 with --quick);
/// exits with a message naming the variable when it is not set.
@MainActor func mnistPairs(group: String) throws -> TaskData {
    guard let dir = ProcessInfo.processInfo.environment["SCULPT_BENCH_MNIST"] else {
        FileHandle.standardError.write(Data("sculpt-bench \(group): set SCULPT_BENCH_MNIST to a folder with the four MNIST files\n".utf8))
        exit(2)
    }
    return try TaskData.load("mnist-pairs", vision: VisionSettings(data: dir, trainPairs: quick ? 4_000 : 20_000))
}

/// One retraining epoch of a unit-pruned [1568,392,392,20] population whose models keep 13 units per
/// hidden layer: uncompacted, compacted, and a freshly built dense [1568,13,13,20] population of the
/// same models, in one run, on mnist-pairs built from the MNIST files in $SCULPT_BENCH_MNIST.
@MainActor func benchCompaction() throws {
    let backend = try OpenCLBackend(device: device)
    let task = try mnistPairs(group: "compaction")
    let options = TrainingOptions(epochs: 1, batchSize: 512, noise: 0)
    let seeds: [UInt64] = [0, 1, 2, 5], kept = 13
    let models = seeds.map { ModelSpec(seed: $0, learningRate: 1e-3) }
    let full = try Architecture([1568, 392, 392, 20])
    let pruned = try Population(backend: backend, arch: full, data: task.train, validation: task.validation, options: options, models: models)
    // Each model keeps its own 13 units per hidden layer (seeded), as unit pruning leaves them.
    var r = PhiloxStream(seed: 9, purpose: .clustering)
    for p in 0..<pruned.P {
        var keep: [[Int]] = []
        for h in 1...2 {
            var units = Array(0..<full.widths[h])
            r.fisherYates(&units)
            keep.append(Array(units.prefix(kept)))
        }
        var m = [Float](repeating: 0, count: full.weightCount)
        for l in 0..<full.depth {
            let nIn = full.widths[l], nOut = full.widths[l + 1]
            for j in 0..<nOut where l == full.depth - 1 || keep[l].contains(j) {
                for i in 0..<nIn where l == 0 || keep[l - 1].contains(i) { m[full.weightOffset(l) + j * nIn + i] = 1 }
            }
        }
        try pruned.setMasks(of: p, m)
    }
    guard let (compact, _) = try Compaction.compact(pruned, map: UnitMap(identity: full, models: pruned.P)) else { fatalError("nothing to compact") }
    precondition(compact.arch.widths == [1568, kept, kept, 20], "compaction leaves \(kept) units per hidden layer")
    let dense = try Population(
        backend: backend, arch: compact.arch, data: task.train, validation: task.validation, options: options, models: models, sharingDataWith: pruned)
    let all = [Bool](repeating: true, count: pruned.P)
    func epoch(_ pop: Population<OpenCLBackend>) throws -> Double {
        var times: [Double] = []
        for _ in 0..<(quick ? 1 : 3) {
            let t0 = now()
            let results = try pop.train(active: all)
            try backend.finish()
            times.append(now() - t0)
            precondition(results.allSatisfy { $0.map { $0.loss.isFinite } ?? false }, "training stays finite")
        }
        return median(times)
    }
    let tPruned = try epoch(pruned), tCompact = try epoch(compact), tDense = try epoch(dense)

    // Edge pruning at 1 % and 0.1 % of the small network's weights (seeded random edges per model),
    // compacted as the pipeline does (dead units and, without input noise, dead input columns).
    var edgeRows: [String: Any] = [:]
    var edgeText = ""
    for density in [0.01, 0.001] {
        let small = compact.arch
        let masked = try Population(
            backend: backend, arch: small, data: task.train, validation: task.validation, options: options, models: models, sharingDataWith: pruned)
        var r = PhiloxStream(seed: 11, purpose: .clustering)
        let live = max(small.depth, Int((density * Double(small.weightCount)).rounded()))
        for p in 0..<masked.P {
            var order = Array(0..<small.weightCount)
            r.fisherYates(&order)
            var m = [Float](repeating: 0, count: small.weightCount)
            for i in order.prefix(live) { m[i] = 1 }
            try masked.setMasks(of: p, m)
        }
        let (sparse, map) =
            try Compaction.compact(masked, map: UnitMap(identity: small, models: masked.P), dropInputs: true) ?? (masked, UnitMap(identity: small, models: masked.P))
        let crossover = backend.sparseInputCrossover
        backend.sparseInputCrossover = 0
        let tMasked = try epoch(masked), tCompacted = try epoch(sparse)
        backend.sparseInputCrossover = crossover
        let tSparse = try epoch(sparse)
        precondition(sparse.sparseInput?.models.allSatisfy { $0 } == true, "every model takes the sparse first layer")
        let key = density == 0.01 ? "1pct" : "0.1pct"
        edgeRows["seconds_edges_\(key)_masked"] = tMasked
        edgeRows["seconds_edges_\(key)_compacted_dense_layer0"] = tCompacted
        edgeRows["seconds_edges_\(key)_compacted_sparse_layer0"] = tSparse
        edgeRows["arch_edges_\(key)_compacted"] = map.arch.widths
        edgeText += String(
            format: "; %@ edges: masked %.3f s, compacted %@ %.3f s, + sparse layer 0 %.3f s (%.2f of dense)", key, tMasked, "\(map.arch.widths)",
            tCompacted, tSparse, tSparse / tDense)
    }
    let rows = task.train.count
    report(
        "compaction-epoch",
        [
            "arch": full.widths, "kept_units": kept, "models": pruned.P, "rows": rows, "batch": options.batchSize,
            "seconds_uncompacted": tPruned, "seconds_compacted": tCompact, "seconds_dense_small": tDense,
            "ratio_compacted_to_dense": tCompact / tDense, "ratio_uncompacted_to_dense": tPruned / tDense,
        ].merging(edgeRows) { a, _ in a },
        String(
            format: "%d models, one epoch of %d rows: uncompacted %.2f s, compacted %.2f s, dense [1568,13,13,20] %.2f s; compacted/dense %.2f, uncompacted/dense %.1f",
            pruned.P, rows, tPruned, tCompact, tDense, tCompact / tDense, tPruned / tDense) + edgeText)
}

// MARK: - Sparse first layer

/// Where the sparse first layer starts to win: one training epoch of 4 models whose layer 0 keeps a
/// random fraction d of its weights (the other layers dense), dense route vs sparse route, same run,
/// on mnist-pairs built from the MNIST files in $SCULPT_BENCH_MNIST (20,000 rows, batch 512).
@MainActor func benchSparseCrossover() throws {
    let backend = try OpenCLBackend(device: device)
    let task = try mnistPairs(group: "sparse")
    let options = TrainingOptions(epochs: 1, batchSize: 512, noise: 0)
    let models = [0, 1, 2, 5].map { ModelSpec(seed: UInt64($0), learningRate: 1e-3) }
    let all = [Bool](repeating: true, count: models.count)
    let crossover = backend.sparseInputCrossover
    for widths in [[1568, 13, 13, 20], [1568, 64, 64, 20]] {
        let arch = try Architecture(widths)
        let n0 = arch.inputs, n1 = arch.widths[1]
        for density in [0.5, 0.3, 0.2, 0.1, 0.05, 0.02, 0.01] {
            let pop = try Population(backend: backend, arch: arch, data: task.train, validation: task.validation, options: options, models: models)
            var r = PhiloxStream(seed: 13, purpose: .clustering)
            for p in 0..<pop.P {
                var m = try pop.masks(of: p)
                for e in 0..<(n0 * n1) { m[e] = Double(r.nextUInt32()) / 4_294_967_296.0 < density ? 1 : 0 }
                try pop.setMasks(of: p, m)
            }
            func epoch(sparse: Bool) throws -> Double {
                backend.sparseInputCrossover = sparse ? .infinity : 0
                var times: [Double] = []
                for _ in 0..<(quick ? 1 : 3) {
                    let t0 = now()
                    let results = try pop.train(active: all)
                    try backend.finish()
                    times.append(now() - t0)
                    precondition(results.allSatisfy { $0.map { $0.loss.isFinite } ?? false }, "training stays finite")
                    precondition((pop.sparseInput != nil) == sparse, "the route asked for ran")
                }
                return median(times)
            }
            let tDense = try epoch(sparse: false), tSparse = try epoch(sparse: true)
            let K = pop.sparseInput?.K ?? 0
            report(
                "sparse-first-layer",
                [
                    "arch": widths, "layer0_density": density, "longest_row": K, "padded_live_per_input": Double(n1 * K) / Double(n0),
                    "models": pop.P, "rows": task.train.count, "batch": options.batchSize,
                    "seconds_dense_route": tDense, "seconds_sparse_route": tSparse, "ratio_sparse_to_dense": tSparse / tDense,
                ],
                String(
                    format: "%@ layer-0 density %.2f (n1·K/n0 %.2f): dense route %.3f s, sparse %.3f s per epoch, sparse/dense %.2f",
                    "\(widths)", density, Double(n1 * K) / Double(n0), tDense, tSparse, tSparse / tDense))
        }
    }
    backend.sparseInputCrossover = crossover
}
