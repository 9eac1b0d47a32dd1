import Analysis
import ArgumentParser
import Foundation
import Pruning
import Reports
import SculptCore
import Tasks
import Training

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "The whole pipeline: dense training, unit pruning, edge pruning (one branch per edge step), for every seed.",
        discussion: """
        Spec §4–§5. All seeds unit-prune as one population on the device; all their edge branches \
        edge-prune as a second one. A pruned network is accepted iff its per-bit accuracy is at least \
        --accuracy-threshold. Writes per model (id s<seed>-u<P_u>-e<P_e>) masks.json (sculpt-masks/1 \
        with weights), weights.json and history.json (every attempted target), plus run.json.
        Example: sculpt run --task xor-pairs --arch 4,24,4 --lr 0.05 --batch-size 8 --epochs 15 \
        --seeds 0,1,2,5 --unit-step 70 --edge-step 2.5
        """
    )

    @OptionGroup var flags: TrainingFlags

    @Option(name: .customLong("unit-step"), help: "P_u: percent of hidden units removed per step (comma-separated for several).")
    var unitStep: String = "70"

    @Option(name: .customLong("edge-step"), help: "P_e: percent of weights removed per step; each value is its own branch.")
    var edgeStep: String = "2.5"

    @Option(name: .customLong("accuracy-threshold"), help: "Accept a pruned network iff its per-bit accuracy (%) is at least this.")
    var accuracyThreshold: Double = 100

    @Option(name: .customLong("edge-norm"), help: ArgumentHelp(
        "How edge pruning ranks weights of different layers: none (the paper's one global |w| threshold) or mean (|w| over the mean surviving |w| of its layer).",
        discussion: "mean is the per-layer normalisation of spec §9 item 14; with none the wide first layer is thinned before the narrow upper layers lose anything."))
    var edgeNorm: EdgeNormalization = .none

    @Flag(help: ArgumentHelp(
        "After edge pruning, also remove every edge whose removal (its mean contribution folded into the bias) does not raise the validation loss, keeping accuracy at the threshold.",
        discussion: "Not in the paper: magnitude pruning keeps large edges that only carry a constant or noise, and module detection counts them (docs/vision.md \"Cleanup\")."))
    var cleanup = false

    @OptionGroup var detection: DetectionFlags
    @OptionGroup var backend: BackendOptions

    @Flag(help: "Print one JSON document on stdout instead of text.")
    var json = false

    @Option(help: "Run directory to write (default runs/run-<task>-<time>); must not exist or be empty.")
    var out: String?

    func run() throws {
        let data = try flags.loadTask()
        var job = PipelineJob(taskName: flags.task, arch: try flags.architecture(), training: try flags.options(for: data), learningRate: flags.lr,
                              seeds: try flags.seedList(), unitSteps: try percentList(unitStep, flag: "--unit-step"),
                              edgeSteps: try percentList(edgeStep, flag: "--edge-step"), accuracyThreshold: accuracyThreshold)
        job.detection = detection.options(task: data.name)
        job.edgeNormalization = edgeNorm
        job.cleanup = cleanup
        try backend.with { b in try job.execute(b, json: json, out: out, data: data) }
    }
}

/// " at 97.500%" or " at 90.125–97.500%": the cumulative pruning targets of a round, for progress
/// lines (three decimals, so the last halved steps still show movement).
func targetText(_ r: ClosedRange<Double>?) -> String {
    guard let r else { return "" }
    let f = { (x: Double) in String(format: "%.3f", x) }
    return r.lowerBound == r.upperBound ? " at \(f(r.lowerBound))%" : " at \(f(r.lowerBound))–\(f(r.upperBound))%"
}

/// One `sculpt run`: shared by the `run` command and the default job.
struct PipelineJob {
    var taskName: String
    var arch: Architecture
    var training: TrainingOptions
    var learningRate: Float
    var seeds: [UInt64]
    var unitSteps: [Double]
    var edgeSteps: [Double]
    var accuracyThreshold: Double
    var detection = DetectionOptions()
    var edgeNormalization = EdgeNormalization.none
    /// `--cleanup`: remove the edges the loss does not need after edge pruning (EdgeCleanup).
    var cleanup = false

    func execute<B: ComputeBackend>(_ b: B, json: Bool, out: String?, data given: TaskData? = nil) throws {
        let task = try given ?? TaskData.load(taskName)
        let data = task.train
        var config = PipelineConfig(arch: arch, training: training, learningRate: learningRate, seeds: seeds,
                                    unitSteps: unitSteps, edgeSteps: edgeSteps, accuracyThreshold: accuracyThreshold)
        config.edgeNormalization = edgeNormalization
        // Validate everything before a directory exists.
        try config.validate()
        guard arch.inputs == data.inputWidth, arch.outputs == data.outputWidth else {
            throw ValidationError("architecture \(arch) does not fit task \(task.name): it has \(data.inputWidth) inputs and \(data.outputWidth) outputs")
        }
        try training.validate(dataRows: data.count)
        try detection.validate()
        if cleanup && task.isClassification {
            throw ValidationError("--cleanup supports BCE tasks (per-bit accuracy); \(task.name) is a softmax classification task")
        }
        let dir = try RunDirectory.make(out: out, command: "run", task: taskName)
        let progress = ProgressLine()
        let began = Date()
        var outcomes = try Pipeline.run(backend: b, data: data, validation: task.validation, config: config) { p in
            let what = p.phase == "dense" || p.phase == "base" ? "\(p.phase) training of \(p.modelsTraining) model(s)"
                : "\(p.phase) pruning round \(p.round): \(p.modelsTraining) retraining\(targetText(p.targets)), \(p.modelsFinished)/\(p.modelsTotal) finished"
            progress.update("\(ProgressLine.bar(p.modelsFinished, p.modelsTotal)) \(what)")
        }
        var cleanups: [(result: EdgeCleanup.Result, seconds: Double)?] = Array(repeating: nil, count: outcomes.count)
        if cleanup {
            let validation = task.validation ?? data
            for k in outcomes.indices {
                progress.update("\(ProgressLine.bar(k, outcomes.count)) cleanup of model \(k + 1)/\(outcomes.count)")
                let o = outcomes[k]
                let started = Date()
                let r = EdgeCleanup.run(arch: arch, weights: o.weights, biases: o.biases, masks: o.masks, train: data,
                                        validation: validation, threshold: accuracyThreshold)
                outcomes[k].masks = r.masks
                outcomes[k].biases = r.biases
                outcomes[k].edges -= r.removed.count
                cleanups[k] = (r, Date().timeIntervalSince(started))
            }
            // The reported accuracy is the device's, as for every pruning step.
            let metrics = try Population<B>.evaluate(backend: b, arch: arch, data: validation, options: training,
                                                     networks: outcomes.map { ($0.weights, $0.biases, $0.masks) })
            for k in outcomes.indices { outcomes[k].accuracy = metrics[k].accuracy }
        }
        progress.done()
        let seconds = Date().timeIntervalSince(began)
        // Held-out test accuracy of every final network (vision tasks): reported, never used above.
        var testAccuracy: [Double]? = nil
        if let test = task.test {
            testAccuracy = try Population<B>.evaluate(backend: b, arch: arch, data: test, options: training,
                                                      networks: outcomes.map { ($0.weights, $0.biases, $0.masks) }).map(\.accuracy)
        }

        var summaries: [[String: Any]] = []
        for (k, o) in outcomes.enumerated() {
            let id = "s\(o.seed)-u\(percentText(o.unitStep))-e\(percentText(o.edgeStep))"
            let meta = ["seed": "\(o.seed)", "unit_step": percentText(o.unitStep), "edge_step": percentText(o.edgeStep),
                        "accuracy": "\(o.accuracy)", "learning_rate": "\(learningRate)", "batch_size": "\(training.batchSize)",
                        "epochs": "\(training.epochs)", "edge_norm": edgeNormalization.rawValue, "cleanup": cleanup ? "on" : "off"]
            let file = MaskFile(arch: arch, task: task.name, masks: o.masks, weights: o.weights, meta: meta)
            try dir.writeJSON(file.jsonObject(), "models/\(id)/masks.json")
            try dir.writeJSON(["arch": arch.widths, "weights": o.weights.map { $0.map(Double.init) },
                               "biases": o.biases.map(Double.init)] as [String: Any], "models/\(id)/weights.json")
            try dir.writeEncodable(History(dense: o.dense, unitAttempts: o.unitAttempts, base: o.base, edgeAttempts: o.edgeAttempts),
                                   "models/\(id)/history.json")
            // Module detection (spec §6) and the judge, with figures, for every model.
            let modules = ModuleReport.analyze(file, options: detection)
            try ModuleReport.write(modules, masks: file, file: dir.file("models/\(id)/masks.json"), to: dir.file("models/\(id)"))
            var s = summary(o, id: id)
            if let t = testAccuracy { s["test_accuracy"] = t[k] }
            if let (c, t) = cleanups[k] {
                s["cleanup"] = ["removed_edges": c.removed.count, "passes": c.passes, "loss_before": c.lossBefore, "loss_after": c.lossAfter,
                                "host_accuracy_before": c.accuracyBefore, "host_accuracy_after": c.accuracyAfter, "seconds": t] as [String: Any]
            }
            s["condensed_arch"] = modules.condensedArch
            s["modules"] = modules.modules.count
            if let judge = modules.judge {
                s["judge_success"] = judge.success
                s["judge"] = Dictionary(uniqueKeysWithValues: judge.criteria.map { ($0.name, $0.passed) })
            }
            summaries.append(s)
        }
        var runObject: [String: Any] = [
            "format": "sculpt-run/1", "command": "run", "task": task.name, "arch": arch.widths,
            "config": try encodeToObject(config), "detection": try encodeToObject(detection), "environment": environmentFacts(backend: b),
            "seconds": seconds, "models": summaries,
        ]
        if let v = task.settings { runObject["data"] = v.record }
        try dir.writeJSON(runObject, "run.json")
        if json {
            print(try jsonLine(runObject.merging(["run_directory": dir.path]) { a, _ in a }))
            return
        }
        print("task \(task.name), arch \(arch), lr \(learningRate), batch \(training.batchSize), \(training.epochs) epochs, threshold \(percentText(accuracyThreshold))%, on \(b.deviceDescription)")
        for s in summaries {
            let condensed = "[" + (s["condensed_arch"] as! [Int]).map(String.init).joined(separator: ",") + "]"
            let verdict = (s["judge_success"] as? Bool).map { $0 ? "judge: success" : "judge: FAIL " + failedCriteria(s) } ?? "no judge for this task"
            print(String(format: "  %-16@ unit rounds %2d/%-2d accepted, %3d hidden; edge rounds %2d/%-2d accepted; %5d edges (%6.3f%%), accuracy %7.3f%%",
                         s["id"] as! String, s["unit_rounds_accepted"] as! Int, s["unit_rounds_tried"] as! Int, s["hidden_units"] as! Int,
                         s["edge_rounds_accepted"] as! Int, s["edge_rounds_tried"] as! Int, s["edges"] as! Int,
                         100 * (s["density"] as! Double), s["accuracy"] as! Double))
            if let t = s["test_accuracy"] as? Double { print(String(format: "  %@ test accuracy (held out) %.3f%%", String(repeating: " ", count: 16), t)) }
            if let c = s["cleanup"] as? [String: Any] {
                print(String(format: "  %@ cleanup removed %d edge(s) in %d pass(es), validation loss %.5f → %.5f, %.1f s", String(repeating: " ", count: 16),
                             c["removed_edges"] as! Int, c["passes"] as! Int, c["loss_before"] as! Double, c["loss_after"] as! Double, c["seconds"] as! Double))
            }
            print("  \(String(repeating: " ", count: 16)) condensed \(condensed), \(s["modules"] as! Int) module(s), \(verdict)\((s["note"] as? String).map { "; \($0)" } ?? "")")
        }
        print(String(format: "%d model(s) in %.1f s; wrote %@", outcomes.count, seconds, dir.path))
    }

    func failedCriteria(_ s: [String: Any]) -> String {
        let failed = (s["judge"] as? [String: Bool] ?? [:]).filter { !$0.value }.keys.sorted()
        return failed.isEmpty ? "" : "(" + failed.joined(separator: ", ") + ")"
    }

    func summary(_ o: ModelOutcome, id: String) -> [String: Any] {
        var s: [String: Any] = [
            "id": id, "seed": o.seed, "unit_step": o.unitStep, "edge_step": o.edgeStep,
            "unit_rounds_tried": o.unitAttempts.filter(\.tried).count, "unit_rounds_accepted": o.unitAttempts.filter(\.accepted).count,
            "edge_rounds_tried": o.edgeAttempts.filter(\.tried).count, "edge_rounds_accepted": o.edgeAttempts.filter(\.accepted).count,
            "hidden_units": o.hiddenUnitsAfterUnitPruning, "edges": o.edges, "weights": o.weightCount, "density": o.density,
            "accuracy": o.accuracy, "dense_accuracy": o.dense.accuracy, "unit_accepted": o.unitAccepted, "edge_accepted": o.edgeAccepted,
        ]
        var notes: [String] = []
        if !o.unitAccepted { notes.append("no unit-pruning step was accepted: dense network kept") }
        if !o.edgeAccepted { notes.append("no edge-pruning step was accepted") }
        if !notes.isEmpty { s["note"] = notes.joined(separator: "; ") }
        return s
    }
}

/// `history.json` of one model.
struct History: Encodable {
    var dense: TrainingResult
    var unitAttempts: [PruneAttempt]
    var base: TrainingResult
    var edgeAttempts: [PruneAttempt]
}
