import Analysis
import Foundation
import Reports
import SculptCore
import Tasks
import Training

/// One `sculpt run`: the pipeline for every chain (seed × P_u × P_e, or the listed chains), optional cleanup, held-out accuracy,
/// module detection and the judge per model, and every file of the run directory.
public struct RunJob: Sendable {
    public var data: TaskData
    public var config: PipelineConfig
    public var detection: DetectionOptions
    /// `--cleanup`: remove the edges the loss does not need after edge pruning (`EdgeCleanup`).
    public var cleanup = false
    /// `--from`: the network every model starts from instead of dense training (`config.startFile` names it).
    public var start: StateDict.Network?

    /// Progress of a run, for bars and logs.
    public enum Event: Sendable {
        case pipeline(PipelineProgress)
        /// Cleanup of model `model` (0-based) of `of` has started.
        case cleanup(model: Int, of: Int)
        /// A model finished an epoch of a training of `of` epochs (the line `metrics.jsonl` gets).
        case epoch(EpochMetrics, of: Int)
    }

    public init(data: TaskData, config: PipelineConfig, detection: DetectionOptions, cleanup: Bool = false) {
        self.data = data
        self.config = config
        self.detection = detection
        self.cleanup = cleanup
    }

    /// Checks everything a run needs before any directory exists.
    /// - Throws: `TrainingConfigError` or `DetectionOptionsError` naming the bad value.
    public func validate() throws {
        try config.validate()
        let arch = config.arch, train = data.train
        guard arch.inputs == train.inputWidth, arch.outputs == train.outputWidth else {
            throw TrainingConfigError("architecture \(arch) does not fit task \(data.name): it has \(train.inputWidth) inputs and \(train.outputWidth) outputs")
        }
        if let start, start.arch != arch {
            throw TrainingConfigError("the network of \(config.startFile ?? "--from") is \(start.arch); --arch gives \(arch)")
        }
        try config.training.validate(dataRows: train.count)
        try detection.validate()
        if cleanup && data.isClassification {
            throw TrainingConfigError("--cleanup supports BCE tasks (per-bit accuracy); \(data.name) is a softmax classification task")
        }
    }

    /// Runs the job on `backend` and writes `dir`; returns what `run.json` holds.
    public func execute<B: ComputeBackend>(_ backend: B, into dir: RunDirectory, progress: @escaping (Event) -> Void = { _ in }) throws -> RunRecord {
        try validate()
        let arch = config.arch, train = data.train, validation = data.validationOrTrain
        let began = Date()
        let log = try JSONLinesLog(path: dir.file("metrics.jsonl"))
        var outcomes = try Pipeline.run(
            backend: backend, data: train, validation: data.validation, config: config, start: start, progress: { progress(.pipeline($0)) },
            metrics: {
                log.append($0)
                progress(.epoch($0, of: config.training.epochs))
            })
        let cleanups =
            cleanup
            ? try Self.cleanUp(&outcomes, backend: backend, config: config, train: train, validation: validation) { progress(.cleanup(model: $0, of: $1)) }
            : [CleanupSummary?](repeating: nil, count: outcomes.count)
        let seconds = Date().timeIntervalSince(began)
        // Held-out test accuracy of every final network (vision tasks): reported, never used above.
        let testAccuracy = try data.test.map { test in
            try Population<B>.evaluate(
                backend: backend, arch: arch, data: test, options: config.training,
                networks: outcomes.map { ($0.weights, $0.biases, $0.masks) }
            ).map(\.accuracy)
        }
        var models: [ModelSummary] = []
        for (k, o) in outcomes.enumerated() {
            let id = "s\(o.seed)-u\(percentText(o.unitStep))-e\(percentText(o.edgeStep))"
            let meta = [
                "seed": "\(o.seed)", "unit_step": percentText(o.unitStep), "edge_step": percentText(o.edgeStep),
                "accuracy": "\(o.accuracy)", "learning_rate": "\(config.learningRate)", "batch_size": "\(config.training.batchSize)",
                "epochs": "\(config.training.epochs)", "edge_norm": config.edgeNormalization.rawValue, "cleanup": cleanup ? "on" : "off",
            ]
            // A model that diverged (non-finite weights) keeps its masks, but its masks file holds no weights.
            let diverged = o.weights.contains { $0.contains { !$0.isFinite } } || o.biases.contains { !$0.isFinite } || !o.accuracy.isFinite
            let file = MaskFile(
                arch: arch, task: data.name, masks: o.masks, weights: diverged ? nil : o.weights,
                meta: diverged ? meta.merging(["diverged": "true"]) { a, _ in a } : meta)
            try AtomicFile.write(try file.jsonData(), to: dir.file("models/\(id)/masks.json"))
            try dir.write(WeightsRecord(arch: arch, weights: o.weights, biases: o.biases), "models/\(id)/weights.json")
            try dir.write(HistoryRecord(o), "models/\(id)/history.json")
            let modules = ModuleReport.analyze(file, options: detection)
            try ModuleReport.write(modules, masks: file, file: "models/\(id)/masks.json", to: dir.file("models/\(id)"))
            var summary = Self.summary(
                o, id: id, modules: modules, testAccuracy: testAccuracy?[k], cleanup: cleanups[k], kept: start == nil ? "dense" : "starting")
            summary.validationDigits = DigitAccuracy.measure(
                task: data.name, arch: arch, weights: o.weights, biases: o.biases, masks: o.masks, data: validation)
            summary.testDigits = data.test.flatMap {
                DigitAccuracy.measure(task: data.name, arch: arch, weights: o.weights, biases: o.biases, masks: o.masks, data: $0)
            }
            if diverged {
                summary.note = ["diverged: non-finite weights (try a smaller --lr); masks.json holds no weights", summary.note].compactMap { $0 }.joined(separator: "; ")
            }
            models.append(summary)
        }
        let record = RunRecord(
            task: data.name, arch: arch.widths, config: config, cleanup: cleanup, detection: detection,
            data: data.settings, environment: Environment(device: backend.deviceDescription, matrixProducts: backend.matrixProducts), seconds: seconds, models: models)
        try dir.write(record, "run.json")
        return record
    }

    /// `--cleanup` on every outcome (`EdgeCleanup`): masks, biases and edges updated, accuracy
    /// re-measured on the device as for every pruning step. `started(k, n)` before model k of n.
    public static func cleanUp<B: ComputeBackend>(
        _ outcomes: inout [ModelOutcome], backend: B, config: PipelineConfig, train: Dataset, validation: Dataset,
        started: (Int, Int) -> Void = { _, _ in }
    ) throws -> [CleanupSummary?] {
        var cleanups = [CleanupSummary?](repeating: nil, count: outcomes.count)
        for k in outcomes.indices {
            started(k, outcomes.count)
            let began = Date()
            let o = outcomes[k]
            let r = EdgeCleanup.run(
                arch: config.arch, weights: o.weights, biases: o.biases, masks: o.masks, train: train,
                validation: validation, threshold: config.accuracyThreshold)
            outcomes[k].masks = r.masks
            outcomes[k].biases = r.biases
            outcomes[k].edges -= r.removed.count
            cleanups[k] = CleanupSummary(r, since: began)
        }
        let metrics = try Population<B>.evaluate(
            backend: backend, arch: config.arch, data: validation, options: config.training,
            networks: outcomes.map { ($0.weights, $0.biases, $0.masks) })
        for k in outcomes.indices { outcomes[k].accuracy = metrics[k].accuracy }
        return cleanups
    }

    /// `kept`: what a model without an accepted unit-pruning step holds ("dense", or "starting" with `--from`).
    static func summary(
        _ o: ModelOutcome, id: String, modules: DetectionResult, testAccuracy: Double?, cleanup: CleanupSummary?, kept: String
    ) -> ModelSummary {
        var notes: [String] = []
        if o.unitStep == 0 {
            notes.append("no unit pruning (P_u 0)")
        } else if !o.unitAccepted {
            notes.append("no unit-pruning step was accepted: \(kept) network kept")
        }
        if !o.edgeAccepted { notes.append("no edge-pruning step was accepted") }
        return ModelSummary(
            id: id, seed: o.seed, unitStep: o.unitStep, edgeStep: o.edgeStep,
            unitRoundsTried: o.unitAttempts.filter(\.tried).count, unitRoundsAccepted: o.unitAttempts.filter(\.accepted).count,
            edgeRoundsTried: o.edgeAttempts.filter(\.tried).count, edgeRoundsAccepted: o.edgeAttempts.filter(\.accepted).count,
            hiddenUnits: o.hiddenUnitsAfterUnitPruning, edges: o.edges, weights: o.weightCount, density: o.density,
            accuracy: o.accuracy, denseAccuracy: o.dense.accuracy, unitAccepted: o.unitAccepted, edgeAccepted: o.edgeAccepted,
            testAccuracy: testAccuracy, cleanup: cleanup, condensedArch: modules.condensedArch, modules: modules.modules.count,
            judgeSuccess: modules.judge?.success, judge: modules.judge.map { j in Dictionary(uniqueKeysWithValues: j.criteria.map { ($0.name, $0.passed) }) },
            note: notes.isEmpty ? nil : notes.joined(separator: "; "))
    }
}

extension RunRecord {
    /// The text `sculpt run` prints: one block per model, then where the files are.
    public func text(directory: String) -> String {
        let pad = String(repeating: " ", count: 16)
        var lines = [
            "task \(task), arch \(Architecture.text(arch)), lr \(config.learningRate), batch \(config.training.batchSize), \(config.training.epochs) epochs, threshold \(percentText(config.accuracyThreshold))%, on \(environment.device)"
        ]
        for m in models {
            lines.append(
                String(
                    format: "  %-16@ unit rounds %2d/%-2d accepted, %3d hidden; edge rounds %2d/%-2d accepted; %5d edges (%6.3f%%), accuracy %7.3f%%",
                    m.id, m.unitRoundsAccepted, m.unitRoundsTried, m.hiddenUnits, m.edgeRoundsAccepted, m.edgeRoundsTried, m.edges,
                    100 * m.density, m.accuracy))
            if let t = m.testAccuracy { lines.append(String(format: "  %@ test accuracy (held out) %.3f%%", pad, t)) }
            if let v = m.validationDigits { lines.append("  \(pad) per pair, validation: \(v.text)\(m.testDigits.map { "; test: \($0.text)" } ?? "")") }
            if let c = m.cleanup {
                lines.append(
                    String(
                        format: "  %@ cleanup removed %d edge(s) in %d pass(es), validation loss %.5f → %.5f, %.1f s",
                        pad, c.removedEdges, c.passes, c.lossBefore, c.lossAfter, c.seconds))
            }
            let failed = m.failedCriteria
            let verdict =
                m.judgeSuccess.map { $0 ? "judge: success" : "judge: FAIL" + (failed.isEmpty ? "" : " (" + failed.joined(separator: ", ") + ")") }
                ?? "no judge for this task"
            lines.append("  \(pad) condensed \(Architecture.text(m.condensedArch)), \(m.modules) module(s), \(verdict)\(m.note.map { "; \($0)" } ?? "")")
        }
        lines.append(String(format: "%d model(s) in %.1f s; wrote %@", models.count, seconds, directory))
        return lines.joined(separator: "\n")
    }
}

extension RunJob.Event: CustomStringConvertible {
    /// The progress line of `sculpt run`.
    public var description: String {
        switch self {
        case .pipeline(let p): return "\(ProgressLine.bar(p.modelsFinished, p.modelsTotal)) \(p)"
        case .cleanup(let k, let n): return "\(ProgressLine.bar(k, n)) cleanup of model \(k + 1)/\(n)"
        case .epoch(let m, let n): return String(format: "epoch %d/%d, %@ validation %.2f%%, loss %.4f", m.epoch, n, m.model, m.accuracy, m.loss)
        }
    }
}
