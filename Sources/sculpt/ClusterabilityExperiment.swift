import ArgumentParser
import Clusterability
import Foundation
import Pruning
import SculptCore
import Tasks
import Training

/// The built-in `clusterability` experiment (issue #10; spec clusterability.md §6): seeds × {no
/// dropout, dropout} MLPs 784-256-256-256-256-10 trained on Fashion-MNIST (or MNIST) with the
/// paper's gradual per-layer magnitude pruning, then spectral n-cut at k = 4 against both shuffle
/// nulls. Writes per model its masks (with weights), one JSON line per model, and the table of §6.
struct ClusterabilityExperiment {
    var task = "fashion"
    var data: String
    var seeds: [UInt64] = Array(0..<10)
    var arch = try! Architecture([784, 256, 256, 256, 256, 10])
    var batchSize = 128
    var learningRate: Float = 1e-3
    var dropoutRate: Float = 0.5
    var schedule = GradualPruning(initialSparsity: 0.5, finalSparsity: 0.9, denseEpochs: 20, pruneEpochs: 20, pruneEvery: 10, scope: .layer)
    var k = 4
    var shuffles = 320
    var clusterSeed: UInt64 = 0

    struct Row {
        var condition: String, seed: UInt64, nCut: Double, layerMean: Double, layerP: Double, nonzeroMean: Double, nonzeroP: Double
        var testAccuracy: Double, sparsity: Double
    }

    func run<B: ComputeBackend>(_ b: B, out: String, resume: Bool) throws {
        try schedule.validate()
        let taskData = try TaskData.load(task, vision: VisionSettings(data: data))
        guard taskData.isClassification else { throw ValidationError("the clusterability experiment trains a 10-class task: --task mnist or fashion") }
        let items = (try? FileManager.default.contentsOfDirectory(atPath: out)) ?? []
        if !items.isEmpty && !resume { throw ValidationError("--out \(out) already exists and is not empty; add --resume to continue, or choose another directory") }
        let dir = RunDirectory(path: out)
        if resume { AtomicFile.removeLeftovers(in: out) }
        var rows: [Row] = [], seconds = 0.0  // the conditions' recorded times, earlier invocations included
        for (condition, rate) in [("\(task)", Float(0)), ("\(task)+dropout", dropoutRate)] {
            let resultFile = "conditions/\(condition)/result.json"
            // On --resume a condition keeps the models it has and trains only the seeds it lacks, so
            // a finished run can be extended to more seeds (each model's randomness is its own).
            var savedRows: [[String: Any]] = [], savedSeconds = (train: 0.0, total: 0.0)
            if resume, FileManager.default.fileExists(atPath: dir.file(resultFile)) {
                let saved = try Self.loadResult(dir.file(resultFile))
                guard let settings = saved["settings"] as? [String: Any], NSDictionary(dictionary: settings).isEqual(to: try Self.roundTrip(self.settings(dropout: rate))) else {
                    throw ValidationError("\(dir.file(resultFile)) was made with other settings than this command's (\(Self.describe(saved["settings"]))); resume with the same --cl-* options")
                }
                savedRows = saved["rows"] as? [[String: Any]] ?? []
                savedSeconds = (saved["train_seconds"] as? Double ?? 0, saved["seconds"] as? Double ?? 0)
            }
            let done = Set(savedRows.map { ($0["seed"] as! NSNumber).uint64Value })
            let missing = seeds.filter { !done.contains($0) }
            if missing.isEmpty {
                seconds += savedSeconds.total
                rows += savedRows.compactMap(Self.row).filter { seeds.contains($0.seed) }.sorted { $0.seed < $1.seed }
                continue
            }
            let options = TrainingOptions(epochs: schedule.totalEpochs, batchSize: batchSize, weightDecay: 0, noise: 0,
                                          loss: .softmaxCrossEntropy, dropout: rate, initialization: .glorotUniform)
            let pop = try Population(backend: b, arch: arch, data: taskData.train, validation: taskData.validation, options: options,
                                     models: missing.map { ModelSpec(seed: $0, learningRate: learningRate) })
            let trainer = try GradualTrainer(population: pop, schedule: schedule)
            let progress = ProgressLine()
            let t0 = Date()
            let results = try trainer.train(active: [Bool](repeating: true, count: pop.P)) { epoch in
                progress.update("\(ProgressLine.bar(epoch, options.epochs)) \(condition): epoch \(epoch)/\(options.epochs), \(pop.P) models")
            }.map { $0! }
            let trainSeconds = Date().timeIntervalSince(t0)
            let networks = try (0..<pop.P).map { p in (try pop.layerWeights(of: p), try pop.biases(of: p), try pop.layerMasks(of: p)) }
            let test = try Population<B>.evaluate(backend: b, arch: arch, data: taskData.test!, options: options, networks: networks)
            var conditionRows: [[String: Any]] = []
            for p in 0..<pop.P {
                progress.update("\(condition): spectral n-cut of model \(p + 1)/\(pop.P), \(shuffles) shuffles × 2 nulls")
                let masks = MaskFile(arch: arch, task: task, masks: networks[p].2, weights: networks[p].0,
                                     meta: ["seed": "\(missing[p])", "dropout": "\(rate)", "sparsity": "\(results[p].sparsity)"])
                try dir.writeJSON(masks.jsonObject(), "conditions/\(condition)/s\(missing[p])/masks.json")
                let report = try Clusterability.spectral(masks: masks, k: k, shuffles: shuffles, nulls: [.layer, .layerNonzero], seed: clusterSeed)
                let layer = report.nulls.first { $0.model == .layer }!, nonzero = report.nulls.first { $0.model == .layerNonzero }!
                conditionRows.append(["condition": condition, "seed": missing[p], "n_cut": report.statistic, "layer_mean": layer.mean, "layer_p": layer.p,
                                      "nonzero_mean": nonzero.mean, "nonzero_p": nonzero.p, "test_accuracy": test[p].accuracy,
                                      "sparsity": results[p].sparsity, "warnings": report.warnings])
            }
            progress.done()
            seconds += savedSeconds.total + Date().timeIntervalSince(t0)
            let all = (savedRows + conditionRows).sorted { ($0["seed"] as! NSNumber).uint64Value < ($1["seed"] as! NSNumber).uint64Value }
            try dir.writeJSON(["rows": all, "settings": settings(dropout: rate), "train_seconds": savedSeconds.train + trainSeconds,
                               "seconds": savedSeconds.total + Date().timeIntervalSince(t0)], resultFile)
            rows += all.compactMap(Self.row).filter { seeds.contains($0.seed) }
        }
        let table = markdown(rows, seconds: seconds, device: b.deviceDescription)
        try AtomicFile.write(table, to: dir.file("table.md"))
        print(table)
        print("wrote \(dir.path)")
    }

    /// Everything a condition's models depend on except their seeds; a resumed condition must match.
    func settings(dropout: Float) -> [String: Any] {
        ["task": task, "arch": arch.widths, "batch_size": batchSize, "learning_rate": Double(learningRate), "dropout": Double(dropout),
         "initial_sparsity": schedule.initialSparsity, "final_sparsity": schedule.finalSparsity, "dense_epochs": schedule.denseEpochs,
         "prune_epochs": schedule.pruneEpochs, "prune_every": schedule.pruneEvery, "scope": schedule.scope.rawValue, "k": k,
         "shuffles": shuffles, "cluster_seed": clusterSeed]
    }

    /// `o` as it reads back from a JSON file, for comparing with what was saved.
    static func roundTrip(_ o: [String: Any]) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: JSONSerialization.data(withJSONObject: o)) as! [String: Any]
    }

    static func describe(_ settings: Any?) -> String {
        guard let s = settings as? [String: Any] else { return "none recorded" }
        return s.keys.sorted().map { "\($0) \(s[$0]!)" }.joined(separator: ", ")
    }

    static func loadResult(_ path: String) throws -> [String: Any] {
        guard let data = FileManager.default.contents(atPath: path),
              let o = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let rows = o["rows"] as? [[String: Any]], rows.allSatisfy({ row($0) != nil }) else {
            throw ValidationError("\(path) is not a readable condition result; remove it to train that condition again")
        }
        return o
    }

    /// One saved row, or nil when a field is missing or of the wrong type.
    static func row(_ o: [String: Any]) -> Row? {
        guard let condition = o["condition"] as? String, let seed = o["seed"] as? NSNumber, let nCut = o["n_cut"] as? Double,
              let layerMean = o["layer_mean"] as? Double, let layerP = o["layer_p"] as? Double, let nonzeroMean = o["nonzero_mean"] as? Double,
              let nonzeroP = o["nonzero_p"] as? Double, let testAccuracy = o["test_accuracy"] as? Double, let sparsity = o["sparsity"] as? Double
        else { return nil }
        return Row(condition: condition, seed: seed.uint64Value, nCut: nCut, layerMean: layerMean, layerP: layerP, nonzeroMean: nonzeroMean,
                   nonzeroP: nonzeroP, testAccuracy: testAccuracy, sparsity: sparsity)
    }

    /// The table of clusterability.md §6: "significant" = p at its minimum 1/(shuffles + 1).
    func markdown(_ rows: [Row], seconds: Double, device: String) -> String {
        let minP = 1 / Double(shuffles + 1)
        var s = "| model | n-cut | `layer` null mean | significant (`layer`) | `layer-nonzero` null mean | significant | test accuracy | sparsity |\n"
        s += "|---|---:|---:|---:|---:|---:|---:|---:|\n"
        var conditions: [String] = []
        for r in rows where !conditions.contains(r.condition) { conditions.append(r.condition) }
        for c in conditions {
            let rs = rows.filter { $0.condition == c }
            func mean(_ f: (Row) -> Double) -> Double { rs.map(f).reduce(0, +) / Double(rs.count) }
            let sigL = rs.filter { $0.layerP <= minP + 1e-12 }.count, sigN = rs.filter { $0.nonzeroP <= minP + 1e-12 }.count
            s += String(format: "| %@ | %.2f | %.2f | %d/%d | %.2f | %d/%d | %.1f %% | %.3f |\n", c, mean(\.nCut), mean(\.layerMean), sigL, rs.count,
                        mean(\.nonzeroMean), sigN, rs.count, mean(\.testAccuracy), mean(\.sparsity))
        }
        s += String(format: "\n%d models per condition, %@, %d epochs dense + %d pruning (%.2f → %.2f per layer every %d steps), batch %d, lr %g, k = %d, %d shuffles per null; %.0f s on %@.\n",
                    seeds.count, arch.description, schedule.denseEpochs, schedule.pruneEpochs, schedule.initialSparsity, schedule.finalSparsity,
                    schedule.pruneEvery, batchSize, Double(learningRate), k, shuffles, seconds, device)
        return s
    }
}
