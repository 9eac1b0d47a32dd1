import Foundation
import SculptCore
import Tasks
import Training

/// `run.json` of `sculpt train`.
public struct TrainRecord: VersionedRecord, Sendable {
    public static let formatTag = "sculpt-train/1"
    public var format = formatTag
    public var task: String
    public var arch: [Int]
    public var config: TrainingOptions
    public var learningRate: Float
    public var seeds: [UInt64]
    public var gradualPruning: GradualPruning?
    public var data: VisionSettings?
    public var environment: Environment
    public var models: [TrainedModel]

    public struct TrainedModel: Codable, Sendable, Equatable {
        public var id: String
        public var seed: UInt64
        /// Best epoch (dense training) or last epoch (gradual pruning), 1-based.
        public var bestEpoch: Int
        public var accuracy: Double
        public var loss: Double
        public var testAccuracy: Double?
        public var sparsity: Double?
        public var layerSparsity: [Double]?
        public var maskUpdates: Int?
        /// Per image pair (`mnist-pairs`, `mnist-xor`): validation and test accuracy of each digit and of both.
        public var validationDigits: DigitAccuracy? = nil
        public var testDigits: DigitAccuracy? = nil
    }
}

/// `history.json` of a `sculpt train` model: its training result, and with gradual pruning every mask update.
public struct TrainHistoryRecord: VersionedRecord, Sendable {
    public static let formatTag = "sculpt-train-history/1"
    public var format = formatTag
    public var training: TrainingResult
    public var gradual: GradualResult?
}

/// One `sculpt train`: a population of one model per seed, dense with best-epoch snapshots or with
/// gradual magnitude pruning, and its run directory.
public struct TrainJob: Sendable {
    public var data: TaskData
    public var arch: Architecture
    public var options: TrainingOptions
    public var learningRate: Float
    public var seeds: [UInt64]
    public var schedule: GradualPruning?

    public init(data: TaskData, arch: Architecture, options: TrainingOptions, learningRate: Float, seeds: [UInt64], schedule: GradualPruning?) {
        self.data = data
        self.arch = arch
        self.options = options
        self.learningRate = learningRate
        self.seeds = seeds
        self.schedule = schedule
    }

    /// Builds the population (which validates everything), then calls `makeDirectory` and trains.
    /// `onEpoch(epoch)` reports progress.
    public func execute<B: ComputeBackend>(_ b: B, makeDirectory: () throws -> RunDirectory, onEpoch: @escaping (Int) -> Void = { _ in }) throws -> TrainRecord {
        try schedule?.validate()
        guard !seeds.isEmpty, Set(seeds).count == seeds.count else { throw TrainingConfigError("seeds must be distinct and at least one (got \(seeds))") }
        let models = seeds.map { ModelSpec(seed: $0, learningRate: learningRate) }
        let pop = try Population(backend: b, arch: arch, data: data.train, validation: data.validation, options: options, models: models)
        let trainer = try schedule.map { try GradualTrainer(population: pop, schedule: $0) }
        let dir = try makeDirectory()
        let all = [Bool](repeating: true, count: pop.P)
        let gradual = try trainer?.train(active: all, onEpoch: onEpoch).map { $0! }
        let results = try gradual?.map(\.training) ?? pop.train(active: all, onEpoch: onEpoch).map { $0! }
        let networks = try (0..<pop.P).map { p in (try pop.layerWeights(of: p), try pop.biases(of: p), try pop.layerMasks(of: p)) }
        // Held-out test accuracy of every final network (vision tasks): reported, never used above.
        let test = try data.test.map { try Population<B>.evaluate(backend: b, arch: arch, data: $0, options: options, networks: networks).map(\.accuracy) }
        var summaries: [TrainRecord.TrainedModel] = []
        for (p, r) in results.enumerated() {
            let id = "s\(seeds[p])"
            let g = gradual?[p]
            var meta = ["seed": "\(seeds[p])", "phase": schedule == nil ? "dense" : "gradual", "accuracy": "\(r.accuracy)"]
            if let g { meta["sparsity"] = "\(g.sparsity)" }
            let diverged = networks[p].0.contains { $0.contains { !$0.isFinite } } || !r.loss.isFinite
            if diverged { meta["diverged"] = "true" }
            let file = MaskFile(arch: arch, task: data.name, masks: networks[p].2, weights: diverged ? nil : networks[p].0, meta: meta)
            try AtomicFile.write(try file.jsonData(), to: dir.file("models/\(id)/masks.json"))
            try dir.write(WeightsRecord(arch: arch, weights: networks[p].0, biases: networks[p].1), "models/\(id)/weights.json")
            try dir.write(TrainHistoryRecord(training: r, gradual: g), "models/\(id)/history.json")
            let (w, bias, m) = networks[p]
            summaries.append(
                .init(
                    id: id, seed: seeds[p], bestEpoch: r.bestEpoch, accuracy: r.accuracy, loss: r.loss, testAccuracy: test?[p],
                    sparsity: g?.sparsity, layerSparsity: g?.layerSparsity, maskUpdates: g?.updates.count,
                    validationDigits: DigitAccuracy.measure(task: data.name, arch: arch, weights: w, biases: bias, masks: m, data: data.validationOrTrain),
                    testDigits: data.test.flatMap { DigitAccuracy.measure(task: data.name, arch: arch, weights: w, biases: bias, masks: m, data: $0) }))
        }
        let record = TrainRecord(
            task: data.name, arch: arch.widths, config: options, learningRate: learningRate, seeds: seeds,
            gradualPruning: schedule, data: data.settings, environment: Environment(device: b.deviceDescription, matrixProducts: b.matrixProducts), models: summaries)
        try dir.write(record, "run.json")
        return record
    }
}

extension TrainRecord {
    /// The text `sculpt train` prints.
    public func text(directory: String) -> String {
        let what = config.loss == .softmaxCrossEntropy ? "accuracy (per image)" : "accuracy"
        var lines = [
            "task \(task), arch \(Architecture.text(arch)), \(config.epochs) epochs, batch \(config.batchSize), lr \(learningRate), loss \(config.loss.rawValue)"
                + (config.dropout > 0 ? ", dropout \(config.dropout)" : "") + ", init \(config.initialization.rawValue), on \(environment.device)"
        ]
        if let g = gradualPruning {
            lines.append(
                String(
                    format: "gradual pruning: %d dense + %d pruning epochs, sparsity %.3f → %.3f every %d steps, %@ scope; the last epoch's network is kept",
                    g.denseEpochs, g.pruneEpochs, g.initialSparsity, g.finalSparsity, g.pruneEvery, g.scope.rawValue))
        }
        for m in models {
            let epochText = String(format: gradualPruning == nil ? "best epoch %3d" : "last epoch %3d", m.bestEpoch)
            var line = String(format: "  seed %-4llu %@   validation %@ %7.3f%%   loss %.6f", m.seed, epochText, what, m.accuracy, m.loss)
            if let t = m.testAccuracy { line += String(format: "   test %7.3f%%", t) }
            lines.append(line)
            if let v = m.validationDigits {
                lines.append("  \(String(repeating: " ", count: 9)) per pair, validation: \(v.text)\(m.testDigits.map { "; test: \($0.text)" } ?? "")")
            }
            if let s = m.sparsity, let ls = m.layerSparsity {
                let layers = ls.enumerated().map { l, s in String(format: "layer %d %.4f", l, s) }.joined(separator: ", ")
                lines.append(String(format: "  %@ final sparsity %.4f (%@)", String(repeating: " ", count: 9), s, layers))
            }
        }
        lines.append("wrote \(directory)")
        return lines.joined(separator: "\n")
    }
}
