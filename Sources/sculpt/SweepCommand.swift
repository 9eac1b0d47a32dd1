import Analysis
import ArgumentParser
import Foundation
import Pruning
import Reports
import SculptCore
import Sweeps
import Tasks
import Training

struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Run a whole experiment: for every task × architecture × seed, the paper's (P_u, P_e) selection, detection and judges.",
        discussion: """
        For each job (task, architecture) of the manifest, every seed × P_u unit-prunes as one device \
        population and all their P_e branches edge-prune as another (spec §5); per seed the sparsest \
        network meeting the accuracy threshold is kept (ties: higher accuracy, then larger P_u, then \
        larger P_e), analysed (spec §6) and judged (§8.2). Results are written as each job finishes: \
        results.csv, results.jsonl, the selected masks and modules under jobs/, and success tables \
        (success.md, success.json) in the layout of §8.3. Interrupted? Run again with --resume: \
        finished jobs are kept, the rest run, and the result equals an uninterrupted sweep's.
        Built-in manifests: \(SweepManifests.builtinNames.joined(separator: ", ")) (spec §7.2), and \
        clusterability (Filan et al.: 784-256×4-10 MLPs with gradual magnitude pruning, with and without \
        dropout, then spectral n-cut against both shuffle nulls; needs --data). \
        Manifest format: docs/sweeps.md. Example: sculpt sweep exemplar --out runs/exemplar --only xor-pairs
        """
    )

    @Argument(help: "A built-in manifest name or a YAML manifest file.")
    var manifest: String

    @Option(help: "Directory for the results (required).")
    var out: String?

    @Flag(help: "Continue a sweep in --out: keep finished jobs, run the rest.")
    var resume = false

    @Option(help: "Only the jobs of this task (repeatable).")
    var only: [String] = []

    @Option(name: .customLong("early-stop"), help: "Opt-in: end a retraining once the threshold is met and the snapshot has not improved for N epochs (the paper trains the full budget).")
    var earlyStop: Int?

    @Option(name: .customLong("max-models"), help: "Largest device population (default: from the device's memory).")
    var maxModels: Int?

    @Flag(name: .customLong("print-manifest"), help: "Print the built-in manifest's YAML and exit.")
    var printManifest = false

    @OptionGroup var backend: BackendOptions

    @OptionGroup(title: "The clusterability experiment (`sculpt sweep clusterability --data DIR`)")
    var clusterability: ClusterabilityFlags

    func run() throws {
        if manifest == "clusterability" {
            guard let out else { throw ValidationError("--out DIR is required: the directory where the experiment writes its results") }
            let experiment = try clusterability.experiment()
            try backend.with { b in try experiment.run(b, out: out, resume: resume) }
            return
        }
        if printManifest {
            print(try SweepManifests.yaml(ofBuiltin: manifest), terminator: "")
            return
        }
        guard let out else { throw ValidationError("--out DIR is required: the directory where the sweep writes its results") }
        let loaded = try SweepManifests.load(manifest)
        var jobs = loaded.jobs
        if !only.isEmpty {
            jobs = jobs.filter { only.contains($0.task) }
            guard !jobs.isEmpty else {
                throw ValidationError("--only \(only.joined(separator: ",")): no job of \(loaded.name) has that task (its tasks: \(orderedTasks(loaded.jobs).joined(separator: ", ")))")
            }
        }
        let runner = try SweepRunner(name: loaded.name, jobs: jobs, out: out, resume: resume, earlyStop: earlyStop, maxModels: maxModels)
        try backend.with { b in try runner.run(b) }
    }

    func orderedTasks(_ jobs: [SweepJob]) -> [String] {
        var seen: [String] = []
        for j in jobs where !seen.contains(j.task) { seen.append(j.task) }
        return seen
    }
}

/// Runs the jobs of a sweep in order, one job (all seeds × P_u × P_e of a task and architecture) at a
/// time, writing each job's result atomically when it finishes; a resumed sweep reuses finished jobs.
struct SweepRunner {
    let name: String
    let jobs: [SweepJob]
    let dir: RunDirectory
    let resume: Bool
    let earlyStop: Int?
    let maxModels: Int?
    let tasks: [String: BooleanTask]

    /// Validates every job (task, architecture, hyper-parameters) before the directory is touched.
    init(name: String, jobs: [SweepJob], out: String, resume: Bool, earlyStop: Int?, maxModels: Int?) throws {
        self.name = name
        self.jobs = jobs
        self.resume = resume
        self.earlyStop = earlyStop
        self.maxModels = maxModels
        var tasks: [String: BooleanTask] = [:]
        for job in jobs {
            if tasks[job.task] == nil { tasks[job.task] = try TaskCatalog.load(job.task) }
            let task = tasks[job.task]!
            let arch = try job.architecture()
            guard arch.inputs == task.inputCount, arch.outputs == task.outputCount else {
                throw ValidationError("job \(job.id): architecture \(arch) does not fit task \(job.task) (\(task.inputCount) inputs, \(task.outputCount) outputs)")
            }
            try Self.config(job, earlyStop: earlyStop, maxModels: maxModels).validate()
            try TrainingOptions(epochs: job.epochs, batchSize: job.batchSize).validate(dataRows: task.rowCount)
        }
        self.tasks = tasks
        let items = (try? FileManager.default.contentsOfDirectory(atPath: out)) ?? []
        if !items.isEmpty && !resume {
            throw ValidationError("--out \(out) already exists and is not empty; add --resume to continue that sweep, or choose another directory")
        }
        dir = RunDirectory(path: out)
        if resume { AtomicFile.removeLeftovers(in: out) }
        if resume, FileManager.default.fileExists(atPath: dir.file("sweep.json")) {
            let saved = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir.file("sweep.json")))) as? [String: Any]
            let savedJobs = try JSONDecoder().decode([SweepJob].self, from: JSONSerialization.data(withJSONObject: saved?["jobs"] ?? []))
            guard savedJobs == jobs, (saved?["early_stop_patience"] as? Int) == earlyStop else {
                throw ValidationError("--resume: \(out) holds a different sweep (its jobs or --early-stop differ); choose another --out")
            }
        }
    }

    static func config(_ job: SweepJob, earlyStop: Int?, maxModels: Int?) throws -> PipelineConfig {
        PipelineConfig(arch: try job.architecture(), training: TrainingOptions(epochs: job.epochs, batchSize: job.batchSize),
                       learningRate: Float(job.learningRate), seeds: job.seeds, unitSteps: job.unitSteps, edgeSteps: job.edgeSteps,
                       accuracyThreshold: job.accuracyThreshold, earlyStopPatience: earlyStop, maxModelsPerPopulation: maxModels)
    }

    func resultPath(_ job: SweepJob) -> String { "jobs/\(job.id)/result.json" }

    func run<B: ComputeBackend>(_ b: B) throws {
        try dir.writeJSON(["format": "sculpt-sweep/1", "name": name, "jobs": try encodeToObject(jobs),
                           "early_stop_patience": earlyStop as Any, "environment": environmentFacts(backend: b)], "sweep.json")
        let totalModels = jobs.reduce(0) { $0 + $1.seeds.count * $1.unitSteps.count * $1.edgeSteps.count }
        var doneModels = 0
        var rows: [[String: Any]] = []
        var ranFresh = 0, reused = 0
        let progress = ProgressLine()
        let began = Date()
        var computeSeconds = 0.0
        var computedModels = 0
        for (k, job) in jobs.enumerated() {
            let models = job.seeds.count * job.unitSteps.count * job.edgeSteps.count
            if resume, let saved = try? Data(contentsOf: URL(fileURLWithPath: dir.file(resultPath(job)))),
               let object = try? JSONSerialization.jsonObject(with: saved) as? [String: Any], let savedRows = object["rows"] as? [[String: Any]] {
                rows += savedRows
                reused += 1
                doneModels += models
                continue
            }
            let t0 = Date()
            let jobRows = try runJob(b, job) { p in
                let finishedHere = p.phase == "edge" ? p.modelsFinished * models / max(p.modelsTotal, 1) : 0
                let done = doneModels + finishedHere
                var eta = ""
                let elapsedHere = Date().timeIntervalSince(t0)
                let rate = (computeSeconds + elapsedHere) / Double(max(computedModels + finishedHere, 1))
                if computedModels + finishedHere > 0 { eta = String(format: ", ~%.0f s left", rate * Double(totalModels - done)) }
                progress.update("\(ProgressLine.bar(done, totalModels)) \(done)/\(totalModels) models\(eta) — job \(k + 1)/\(jobs.count) \(job.id): \(p.phase) round \(p.round)")
            }
            computeSeconds += Date().timeIntervalSince(t0)
            computedModels += models
            doneModels += models
            ranFresh += 1
            rows += jobRows
            try dir.writeJSON(["job": try encodeToObject(job), "seconds": Date().timeIntervalSince(t0), "rows": jobRows], resultPath(job))
            try writeAggregates(rows)
        }
        try writeAggregates(rows)
        progress.done()
        let table = successTable(rows)
        print(table.markdown(title: "Success rates: \(name)"))
        print(String(format: "%d job(s) (%d run now, %d from an earlier run), %d rows, %.1f s; wrote %@",
                     jobs.count, ranFresh, reused, rows.count, Date().timeIntervalSince(began), dir.path))
    }

    /// One job: the pipeline over all seeds × P_u × P_e, then per seed the selection, detection and judge.
    func runJob<B: ComputeBackend>(_ b: B, _ job: SweepJob, progress: @escaping (PipelineProgress) -> Void) throws -> [[String: Any]] {
        let task = tasks[job.task]!
        let config = try Self.config(job, earlyStop: earlyStop, maxModels: maxModels)
        let t0 = Date()
        let outcomes = try Pipeline.run(backend: b, data: task.dataset(), config: config, progress: progress)
        let seconds = Date().timeIntervalSince(t0)
        let detection = DetectionOptions(featureSteps: job.detection.featureSteps, testSteps: job.detection.testSteps,
                                         mergeThreshold: job.detection.mergeThreshold, weakModularity: job.detection.weakModularity)
        var rows: [[String: Any]] = []
        for seed in job.seeds {
            let mine = outcomes.filter { $0.seed == seed }
            var row: [String: Any] = [
                "task": job.task, "job": job.id, "arch": job.arch, "hidden_layers": job.hiddenLayers, "lr": job.learningRate,
                "batch_size": job.batchSize, "epochs": job.epochs, "seed": seed, "accuracy_threshold": job.accuracyThreshold,
                "candidates_meeting_threshold": mine.filter { $0.accuracy >= job.accuracyThreshold }.count,
                "candidates": mine.count, "job_seconds": seconds,
            ]
            guard let chosen = Selection.sparsest(mine, threshold: job.accuracyThreshold) else {
                row["selected"] = false
                row["judge_success"] = false
                row["note"] = "no (P_u, P_e) run met the accuracy threshold"
                rows.append(row)
                continue
            }
            let meta = ["seed": "\(seed)", "unit_step": percentText(chosen.unitStep), "edge_step": percentText(chosen.edgeStep),
                        "accuracy": "\(chosen.accuracy)", "learning_rate": "\(job.learningRate)", "batch_size": "\(job.batchSize)",
                        "epochs": "\(job.epochs)"]
            let masks = MaskFile(arch: try job.architecture(), task: task.name, masks: chosen.masks, weights: chosen.weights, meta: meta)
            let modelDir = "jobs/\(job.id)/s\(seed)"
            try dir.writeJSON(masks.jsonObject(), "\(modelDir)/masks.json")
            let result = ModuleReport.analyze(masks, options: detection)
            try ModuleReport.write(result, masks: masks, file: dir.file("\(modelDir)/masks.json"), to: dir.file(modelDir))
            row["selected"] = true
            row["unit_step"] = chosen.unitStep
            row["edge_step"] = chosen.edgeStep
            row["edges"] = chosen.edges
            row["weights"] = chosen.weightCount
            row["density"] = chosen.density
            row["accuracy"] = chosen.accuracy
            row["condensed_arch"] = result.condensedArch
            row["modules"] = result.modules.map { $0.map { [$0.layer, $0.unit] } }
            row["module_count"] = result.modules.count
            row["masks"] = "\(modelDir)/masks.json"
            if let judge = result.judge {
                row["judge_success"] = judge.success
                row["judge"] = Dictionary(uniqueKeysWithValues: judge.criteria.map { ($0.name, $0.passed) })
            }
            rows.append(row)
        }
        return rows
    }

    func successTable(_ rows: [[String: Any]]) -> SuccessTable {
        SuccessTable(rows: rows.compactMap { r in
            guard let task = r["task"] as? String, let depth = r["hidden_layers"] as? Int else { return nil }
            var verdicts = (r["judge"] as? [String: Bool]) ?? [:]
            guard let success = r["judge_success"] as? Bool else { return nil }  // tasks without a judge
            if r["selected"] as? Bool == false {
                // Nothing met the threshold: every criterion of this row counts as failed.
                for name in verdicts.keys { verdicts[name] = false }
            }
            verdicts["success"] = success
            return SuccessTable.Row(task: task, hiddenLayers: depth, verdicts: verdicts)
        })
    }

    /// results.csv, results.jsonl and the success tables from every finished row, in job order.
    func writeAggregates(_ rows: [[String: Any]]) throws {
        try AtomicFile.write(try rows.map { try jsonLine($0) + "\n" }.joined(), to: dir.file("results.jsonl"))
        var criteria: [String] = []
        for r in rows { for k in ((r["judge"] as? [String: Bool]) ?? [:]).keys.sorted() where !criteria.contains(k) { criteria.append(k) } }
        let columns = ["task", "arch", "hidden_layers", "lr", "batch_size", "epochs", "seed", "selected", "unit_step", "edge_step",
                       "edges", "weights", "density", "accuracy", "condensed_arch", "module_count", "judge_success"]
        var csv = (columns + criteria.map { "judge_\($0)" }).joined(separator: ",") + "\n"
        for r in rows {
            var fields = columns.map { csvField(r[$0]) }
            let judge = (r["judge"] as? [String: Bool]) ?? [:]
            fields += criteria.map { csvField(judge[$0]) }
            csv += fields.joined(separator: ",") + "\n"
        }
        try AtomicFile.write(csv, to: dir.file("results.csv"))
        let table = successTable(rows)
        try AtomicFile.write(table.markdown(title: "Success rates: \(name)"), to: dir.file("success.md"))
        try dir.writeJSON(table.jsonObject(), "success.json")
    }

    func csvField(_ v: Any?) -> String {
        switch v {
        case nil: return ""
        case let b as Bool: return b ? "true" : "false"
        case let a as [Int]: return "\"[" + a.map(String.init).joined(separator: ",") + "]\""
        case let d as Double: return d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : String(d)
        case let s as String: return s.contains(",") || s.contains("\"") ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
        default: return "\(v!)"
        }
    }
}

/// Options of the built-in clusterability experiment; defaults are the paper's (clusterability.md §6).
struct ClusterabilityFlags: ParsableArguments {
    @Option(name: .customLong("data"), help: "Folder with the MNIST-format files (Fashion-MNIST: /usr/share/datasets/fashion-mnist).")
    var data: String?
    @Option(name: .customLong("cl-task"), help: "fashion or mnist.")
    var task: String = "fashion"
    @Option(name: .customLong("cl-seeds"), help: "Models per condition.")
    var seeds: Int = 10
    @Option(name: .customLong("cl-dense-epochs"), help: "Dense epochs before pruning.")
    var denseEpochs: Int = 20
    @Option(name: .customLong("cl-prune-epochs"), help: "Epochs of gradual pruning (0.5 → 0.9 per layer).")
    var pruneEpochs: Int = 20
    @Option(name: .customLong("cl-shuffles"), help: "Shuffles per null model.")
    var shuffles: Int = 320

    func experiment() throws -> ClusterabilityExperiment {
        guard let data else { throw ValidationError("sculpt sweep clusterability needs --data DIR with the MNIST-format files") }
        guard seeds >= 1, shuffles >= 1, denseEpochs >= 0, pruneEpochs >= 1 else {
            throw ValidationError("--cl-seeds, --cl-shuffles and --cl-prune-epochs must be at least 1, --cl-dense-epochs at least 0")
        }
        var e = ClusterabilityExperiment(data: data)
        e.task = task
        e.seeds = (0..<seeds).map(UInt64.init)
        e.schedule.denseEpochs = denseEpochs
        e.schedule.pruneEpochs = pruneEpochs
        e.shuffles = shuffles
        return e
    }
}
