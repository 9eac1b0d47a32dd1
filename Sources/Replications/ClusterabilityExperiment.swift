import Clusterability
import Foundation
import Pruning
import SculptCore
import Tasks
import Training

/// The clusterability replication (docs/clusterability.md): seeds × {no dropout, dropout} MLPs
/// 784-256-256-256-256-10 trained on Fashion-MNIST (or MNIST) with gradual per-layer magnitude
/// pruning, then spectral n-cut at k = 4 against both shuffle nulls. Writes per model its masks
/// (with weights), per condition a result file, and the summary table.
public struct ClusterabilityExperiment: Sendable {
    public var task = "fashion"
    public var data: String
    public var seeds: [UInt64] = Array(0..<10)
    public var arch = try! Architecture([784, 256, 256, 256, 256, 10])
    public var batchSize = 128
    public var learningRate: Float = 1e-3
    public var dropoutRate: Float = 0.5
    public var schedule = GradualPruning(initialSparsity: 0.5, finalSparsity: 0.9, denseEpochs: 20, pruneEpochs: 20, pruneEvery: 10, scope: .layer)
    public var k = 4
    public var shuffles = 320
    public var clusterSeed: UInt64 = 0

    public init(data: String) { self.data = data }

    /// Progress: a line of text for the bar.
    public typealias Progress = (_ done: Int, _ total: Int, _ what: String) -> Void

    /// Everything a condition's models depend on except their seeds; a resumed condition must match.
    public func settings(dropout: Float) -> ClusterabilitySettings {
        ClusterabilitySettings(
            task: task, arch: arch.widths, batchSize: batchSize, learningRate: Double(learningRate), dropout: Double(dropout),
            initialSparsity: schedule.initialSparsity, finalSparsity: schedule.finalSparsity, denseEpochs: schedule.denseEpochs,
            pruneEpochs: schedule.pruneEpochs, pruneEvery: schedule.pruneEvery, scope: schedule.scope.rawValue, k: k,
            shuffles: shuffles, clusterSeed: clusterSeed)
    }

    /// Runs both conditions into `out`; with `resume`, each condition keeps the models it has and
    /// trains only the seeds it lacks. Returns the summary table (also written as `table.md`).
    /// - Throws: `TrainingConfigError` for a bad setting, `OutputDirectoryError`, `RecordError` for a
    ///   saved condition that is unreadable or was made with other settings.
    public func run<B: ComputeBackend>(_ b: B, out: String, resume: Bool, progress: @escaping Progress = { _, _, _ in }) throws -> String {
        try schedule.validate()
        guard !seeds.isEmpty, shuffles >= 1, k >= 1 else { throw TrainingConfigError("the clusterability experiment needs at least one seed, one shuffle and k ≥ 1") }
        let taskData = try TaskData.load(task, vision: VisionSettings(data: data))
        guard taskData.isClassification, let testSplit = taskData.test else {
            throw TrainingConfigError("the clusterability experiment trains a 10-class task: mnist or fashion")
        }
        let dir = try RunDirectory.claimed(out)
        if !dir.isEmpty && !resume {
            throw OutputDirectoryError(path: out, problem: "already exists and is not empty; add --resume to continue, or choose another directory")
        }
        if resume { AtomicFile.removeLeftovers(in: out) }
        var rows: [ClusterabilityRow] = [], seconds = 0.0  // the conditions' recorded times, earlier invocations included
        for (condition, rate) in [(task, Float(0)), ("\(task)+dropout", dropoutRate)] {
            let resultFile = "conditions/\(condition)/result.json"
            let settings = settings(dropout: rate)
            var saved: ClusterabilityConditionResult? = nil
            if resume, dir.exists(resultFile) {
                let s = try dir.read(ClusterabilityConditionResult.self, resultFile)
                guard s.settings == settings else {
                    throw RecordError(
                        path: dir.file(resultFile), problem: "was made with other settings than this command's (\(s.settings.text)); resume with the same options")
                }
                saved = s
            }
            let done = Set(saved?.rows.map(\.seed) ?? [])
            let missing = seeds.filter { !done.contains($0) }
            var all = saved?.rows ?? []
            var trainSeconds = saved?.trainSeconds ?? 0, total = saved?.seconds ?? 0
            if !missing.isEmpty {
                let t0 = Date()
                let trained = try train(b, condition: condition, rate: rate, seeds: missing, data: taskData, test: testSplit, dir: dir, progress: progress)
                trainSeconds += trained.trainSeconds
                all = (all + trained.rows).sorted { $0.seed < $1.seed }
                total += Date().timeIntervalSince(t0)
                try dir.write(ClusterabilityConditionResult(settings: settings, rows: all, trainSeconds: trainSeconds, seconds: total), resultFile)
            }
            seconds += total
            rows += all.filter { seeds.contains($0.seed) }
        }
        let table = markdown(rows, seconds: seconds, device: b.deviceDescription)
        try dir.write(text: table, "table.md")
        try ClusterabilityReport.write(directory: out)
        return table
    }

    /// Trains `seeds` of one condition as one population and measures each model's clusterability.
    func train<B: ComputeBackend>(
        _ b: B, condition: String, rate: Float, seeds: [UInt64], data: TaskData, test: Dataset, dir: RunDirectory,
        progress: @escaping Progress
    ) throws -> (rows: [ClusterabilityRow], trainSeconds: Double) {
        let options = TrainingOptions(
            epochs: schedule.totalEpochs, batchSize: batchSize, weightDecay: 0, noise: 0,
            loss: .softmaxCrossEntropy, dropout: rate, initialization: .glorotUniform)
        let pop = try Population(
            backend: b, arch: arch, data: data.train, validation: data.validation, options: options,
            models: seeds.map { ModelSpec(seed: $0, learningRate: learningRate) })
        let trainer = try GradualTrainer(population: pop, schedule: schedule)
        let t0 = Date()
        let results = try trainer.train(active: [Bool](repeating: true, count: pop.P)) { epoch in
            progress(epoch, options.epochs, "\(condition): epoch \(epoch)/\(options.epochs), \(pop.P) models")
        }.map { $0! }
        let trainSeconds = Date().timeIntervalSince(t0)
        let networks = try (0..<pop.P).map { p in (try pop.layerWeights(of: p), try pop.biases(of: p), try pop.layerMasks(of: p)) }
        let accuracy = try Population<B>.evaluate(backend: b, arch: arch, data: test, options: options, networks: networks)
        var rows: [ClusterabilityRow] = []
        for p in 0..<pop.P {
            progress(p, pop.P, "\(condition): spectral n-cut of model \(p + 1)/\(pop.P), \(shuffles) shuffles × 2 nulls")
            let masks = MaskFile(
                arch: arch, task: task, masks: networks[p].2, weights: networks[p].0,
                meta: ["seed": "\(seeds[p])", "dropout": "\(rate)", "sparsity": "\(results[p].sparsity)"])
            try AtomicFile.write(try masks.jsonData(), to: dir.file("conditions/\(condition)/s\(seeds[p])/masks.json"))
            let report = try Clusterability.spectral(masks: masks, k: k, shuffles: shuffles, nulls: [.layer, .layerNonzero], seed: clusterSeed)
            let layer = report.nulls.first { $0.model == .layer }!, nonzero = report.nulls.first { $0.model == .layerNonzero }!
            rows.append(
                ClusterabilityRow(
                    condition: condition, seed: seeds[p], nCut: report.statistic, layerMean: layer.mean, layerP: layer.p,
                    nonzeroMean: nonzero.mean, nonzeroP: nonzero.p, testAccuracy: accuracy[p].accuracy,
                    sparsity: results[p].sparsity, warnings: report.warnings, layerNull: layer.values, nonzeroNull: nonzero.values,
                    composition: report.sizesPerLayer))
        }
        return (rows, trainSeconds)
    }

    /// The summary table: "significant" = p at its minimum 1/(shuffles + 1).
    func markdown(_ rows: [ClusterabilityRow], seconds: Double, device: String) -> String {
        let minP = 1 / Double(shuffles + 1)
        var s = "| model | n-cut | `layer` null mean | significant (`layer`) | `layer-nonzero` null mean | significant | test accuracy | sparsity |\n"
        s += "|---|---:|---:|---:|---:|---:|---:|---:|\n"
        var conditions: [String] = []
        for r in rows where !conditions.contains(r.condition) { conditions.append(r.condition) }
        for c in conditions {
            let rs = rows.filter { $0.condition == c }
            func mean(_ f: (ClusterabilityRow) -> Double) -> Double { rs.map(f).reduce(0, +) / Double(rs.count) }
            let sigL = rs.filter { $0.layerP <= minP + 1e-12 }.count, sigN = rs.filter { $0.nonzeroP <= minP + 1e-12 }.count
            s += String(
                format: "| %@ | %.2f | %.2f | %d/%d | %.2f | %d/%d | %.1f %% | %.3f |\n", c, mean(\.nCut), mean(\.layerMean), sigL, rs.count,
                mean(\.nonzeroMean), sigN, rs.count, mean(\.testAccuracy), mean(\.sparsity))
        }
        s += String(
            format:
                "\n%d models per condition, %@, %d epochs dense + %d pruning (%.2f → %.2f per layer every %d steps), batch %d, lr %g, k = %d, %d shuffles per null; %.0f s on %@.\n",
            seeds.count, arch.description, schedule.denseEpochs, schedule.pruneEpochs, schedule.initialSparsity, schedule.finalSparsity,
            schedule.pruneEvery, batchSize, Double(learningRate), k, shuffles, seconds, device)
        return s
    }
}

/// The settings a condition's models were made with.
public struct ClusterabilitySettings: Codable, Sendable, Equatable {
    public var task: String
    public var arch: [Int]
    public var batchSize: Int
    public var learningRate: Double
    public var dropout: Double
    public var initialSparsity: Double
    public var finalSparsity: Double
    public var denseEpochs: Int
    public var pruneEpochs: Int
    public var pruneEvery: Int
    public var scope: String
    public var k: Int
    public var shuffles: Int
    public var clusterSeed: UInt64

    /// `batch_size 128, dropout 0.5, …` for messages.
    var text: String {
        guard let data = try? RecordCoding.encoder(pretty: false).encode(self),
            let o = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return "" }
        return o.keys.sorted().map { "\($0) \(o[$0]!)" }.joined(separator: ", ")
    }
}

/// One model of the experiment.
public struct ClusterabilityRow: Codable, Sendable, Equatable {
    public var condition: String
    public var seed: UInt64
    public var nCut: Double
    public var layerMean: Double
    public var layerP: Double
    public var nonzeroMean: Double
    public var nonzeroP: Double
    public var testAccuracy: Double
    public var sparsity: Double
    public var warnings: [String]
    /// Every shuffle's n-cut of the two nulls (for the report's histograms; absent in results written
    /// before they were kept).
    public var layerNull: [Double]? = nil
    public var nonzeroNull: [Double]? = nil
    /// `composition[c][l]`: units of layer l in cluster c (absent in results written before it was kept).
    public var composition: [[Int]]? = nil
}

/// `conditions/<condition>/result.json`.
public struct ClusterabilityConditionResult: VersionedRecord, Sendable {
    public static let formatTag = "sculpt-clusterability-condition/1"
    public var format = formatTag
    public var settings: ClusterabilitySettings
    public var rows: [ClusterabilityRow]
    public var trainSeconds: Double
    public var seconds: Double
}
