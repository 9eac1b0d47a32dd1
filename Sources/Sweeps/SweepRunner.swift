import Analysis
import Foundation
import Pruning
import Reports
import SculptCore
import Tasks
import Training

/// Runs the jobs of a sweep in order, one job (all seeds × P_u × P_e of a task and architecture) at a
/// time, writing each job's result atomically when it finishes; a resumed sweep reuses finished jobs.
public struct SweepRunner: Sendable {
    public let name: String
    public let jobs: [SweepJob]
    public let dir: RunDirectory
    public let resume: Bool
    public let earlyStop: Int?
    public let maxModels: Int?
    /// The part of the jobs to run (nil: all).
    public let shard: Shard?
    /// Rebuild unit-pruning populations at their live widths (same results; docs/method.md §3.5).
    public var compaction = true
    /// The schedules' step rule (`.paper` unless opted out).
    public var stepRule = StepRule.paper
    let tasks: [String: TaskData]

    /// Progress of a sweep, for bars and logs.
    public struct Event: Sendable {
        /// Models whose job has finished (or whose edge pruning has, within the running job), of `totalModels`.
        public var doneModels: Int
        public var totalModels: Int
        /// From the models computed in this invocation; nil before the first one.
        public var secondsLeft: Double?
        /// 0-based index of the running job, of `jobs`.
        public var job: Int
        public var jobs: Int
        public var jobID: String
        public var pipeline: PipelineProgress
    }

    /// What a finished sweep reports.
    public struct Summary: Sendable {
        public var table: SuccessTable
        public var jobs: Int
        public var ranNow: Int
        public var reused: Int
        public var rows: Int
        public var seconds: Double
    }

    /// Validates every job (task, architecture, hyper-parameters) and the directory before anything is written.
    /// - Throws: `TrainingConfigError`, `TaskError`, or `OutputDirectoryError` for a directory that is
    ///   not empty (without `resume`) or holds another sweep.
    public init(name: String, jobs: [SweepJob], out: String, resume: Bool, earlyStop: Int?, maxModels: Int?, shard: Shard? = nil) throws {
        self.name = name
        self.jobs = jobs
        self.shard = shard
        self.resume = resume
        self.earlyStop = earlyStop
        self.maxModels = maxModels
        var tasks: [String: TaskData] = [:]
        for job in jobs {
            let vision = job.options.vision
            if vision != nil && !TaskData.isVisionTask(job.task) {
                throw TrainingConfigError("job \(job.id): data and split settings are for the vision tasks; \(job.task) is not one")
            }
            if tasks[Self.taskKey(job)] == nil { tasks[Self.taskKey(job)] = try TaskData.load(job.task, vision: vision ?? VisionSettings()) }
            let task = tasks[Self.taskKey(job)]!
            if job.options.cleanup && task.isClassification {
                throw TrainingConfigError("job \(job.id): cleanup supports BCE tasks (per-bit accuracy); \(job.task) is a softmax classification task")
            }
            let arch = try job.architecture()
            guard arch.inputs == task.train.inputWidth, arch.outputs == task.train.outputWidth else {
                throw TrainingConfigError(
                    "job \(job.id): architecture \(arch) does not fit task \(job.task) (\(task.train.inputWidth) inputs, \(task.train.outputWidth) outputs)")
            }
            try Self.config(job, task: task, earlyStop: earlyStop, maxModels: maxModels).validate()
            try Self.config(job, task: task, earlyStop: earlyStop, maxModels: maxModels).training.validate(dataRows: task.train.count)
        }
        self.tasks = tasks
        dir = try RunDirectory.claimed(out)
        if !dir.isEmpty {
            guard resume else {
                throw OutputDirectoryError(path: out, problem: "already exists and is not empty; add --resume to continue that sweep, or choose another directory")
            }
            guard dir.exists("sweep.json") else {
                throw OutputDirectoryError(path: out, problem: "holds no sweep.json, so it is not a sweep directory; choose another --out")
            }
            let saved = try dir.read(SweepState.self, "sweep.json")
            guard saved.jobs == jobs, saved.earlyStopPatience == earlyStop, saved.shard == shard else {
                throw OutputDirectoryError(path: out, problem: "holds a different sweep (its jobs, --early-stop or --shard differ); choose another --out")
            }
            AtomicFile.removeLeftovers(in: out)
        }
    }

    /// Jobs share a loaded task when its name and data settings are the same.
    static func taskKey(_ job: SweepJob) -> String { "\(job.task)\u{0}\(String(describing: job.options.vision))" }

    static func config(_ job: SweepJob, task: TaskData, earlyStop: Int?, maxModels: Int?) throws -> PipelineConfig {
        let training = job.options.training(epochs: job.epochs, batchSize: job.batchSize).options(for: task)
        var config = PipelineConfig(
            arch: try job.architecture(), training: training,
            learningRate: Float(job.learningRate), seeds: job.seeds, unitSteps: job.unitSteps, edgeSteps: job.edgeSteps,
            accuracyThreshold: job.accuracyThreshold, earlyStopPatience: earlyStop, maxModelsPerPopulation: maxModels)
        if let chains = job.chains {
            config = PipelineConfig(
                arch: try job.architecture(), training: training, learningRate: Float(job.learningRate), chains: chains,
                accuracyThreshold: job.accuracyThreshold)
            (config.earlyStopPatience, config.maxModelsPerPopulation) = (earlyStop, maxModels)
        }
        config.edgeNormalization = job.options.edgeNorm
        return config
    }

    func resultPath(_ job: SweepJob) -> String { "jobs/\(job.id)/result.json" }

    /// A finished job's saved result, when resuming and it belongs to this job.
    /// - Throws: `RecordError` for a result file that is unreadable or belongs to another job.
    func savedResult(_ job: SweepJob) throws -> JobResult? {
        guard resume, dir.exists(resultPath(job)) else { return nil }
        let saved = try dir.read(JobResult.self, resultPath(job))
        guard saved.job == job else {
            throw RecordError(path: dir.file(resultPath(job)), problem: "was made by another job than the manifest's \(job.id); remove it to run that job again")
        }
        return saved
    }

    public func run<B: ComputeBackend>(_ b: B, progress: @escaping (Event) -> Void = { _ in }) throws -> Summary {
        try run([b], progress: progress)
    }

    /// Runs the jobs on `backends` (one worker thread per backend when there are several, each taking
    /// the next job in manifest order); the files equal a one-backend run's (results are kept and
    /// aggregated in job order). `progress` is called under a lock, from the workers' threads.
    public func run<B: ComputeBackend>(_ backends: [B], progress: @escaping (Event) -> Void = { _ in }) throws -> Summary {
        precondition(!backends.isEmpty, "a sweep needs a backend")
        let fresh = !dir.exists("sweep.json")
        let devices = backends.map(\.deviceDescription)
        let device = Set(devices).count == 1 ? devices[0] : devices.joined(separator: " + ")
        try dir.write(
            SweepState(
                name: name, jobs: jobs, earlyStopPatience: earlyStop, shard: shard,
                environment: Environment(device: device, matrixProducts: backends[0].matrixProducts)), "sweep.json")
        // A new sweep that fails before any job wrote anything (e.g. refused by the memory check) leaves
        // the directory as it found it, so the same command can simply be run again; once a job has
        // written files, sweep.json stays so that --resume can continue.
        let state = Progress()
        defer {
            if fresh && !state.finishedAJob && !dir.exists("jobs") { try? FileManager.default.removeItem(atPath: dir.file("sweep.json")) }
        }
        let mine = jobs.enumerated().filter { shard?.contains(position: $0.offset) ?? true }.map(\.element)
        state.totalModels = mine.reduce(0) { $0 + $1.seeds.count * $1.unitSteps.count * $1.edgeSteps.count }
        let began = Date()

        func work(_ b: B) {
            while let k = state.nextJob(of: mine.count) {
                let job = mine[k]
                let models = job.seeds.count * job.unitSteps.count * job.edgeSteps.count
                do {
                    if let saved = try savedResult(job) {
                        try state.finish(k, rows: saved.rows, models: models, computed: false, seconds: 0) { try Self.writeAggregates($0, name: name, to: dir) }
                        continue
                    }
                    let t0 = Date()
                    let jobRows = try runJob(b, job) { p in
                        state.locked {
                            let finishedHere = p.phase == .edge ? p.modelsFinished * models / max(p.modelsTotal, 1) : 0
                            let done = state.doneModels + finishedHere
                            let rate = (state.computeSeconds + Date().timeIntervalSince(t0)) / Double(max(state.computedModels + finishedHere, 1))
                            let left = state.computedModels + finishedHere > 0 ? rate * Double(state.totalModels - done) : nil
                            progress(
                                Event(doneModels: done, totalModels: state.totalModels, secondsLeft: left, job: k, jobs: mine.count, jobID: job.id, pipeline: p))
                        }
                    }
                    let seconds = Date().timeIntervalSince(t0)
                    try dir.write(JobResult(job: job, seconds: seconds, rows: jobRows), resultPath(job))
                    try state.finish(k, rows: jobRows, models: models, computed: true, seconds: seconds) { try Self.writeAggregates($0, name: name, to: dir) }
                } catch {
                    state.fail(error)
                }
            }
        }
        if backends.count == 1 {
            work(backends[0])
        } else {
            // Each worker owns its backend; the shared state is behind `state`'s lock.
            let pool = UnsafeWorkers(backends: backends, work: work)
            DispatchQueue.concurrentPerform(iterations: backends.count) { i in pool.work(pool.backends[i]) }
        }
        if let error = state.failure { throw error }
        state.finishedAJob = true
        let rows = state.rowsInOrder
        try Self.writeAggregates(rows, name: name, to: dir)
        return Summary(
            table: Self.successTable(rows), jobs: mine.count, ranNow: state.ranNow, reused: state.reused, rows: rows.count,
            seconds: Date().timeIntervalSince(began))
    }

    /// The workers' shared state: which job is next, the rows of finished jobs, counters for progress.
    final class Progress: @unchecked Sendable {
        private let lock = NSLock()
        var next = 0, doneModels = 0, totalModels = 0, ranNow = 0, reused = 0, computedModels = 0
        var computeSeconds = 0.0
        var finishedAJob = false
        var failure: Error?
        var rows: [Int: [SweepRow]] = [:]

        func locked<T>(_ body: () throws -> T) rethrows -> T {
            lock.lock()
            defer { lock.unlock() }
            return try body()
        }
        /// The next job's index, or nil when all are taken or a worker failed.
        func nextJob(of count: Int) -> Int? {
            locked {
                guard failure == nil, next < count else { return nil }
                next += 1
                return next - 1
            }
        }
        var rowsInOrder: [SweepRow] { locked { rows.keys.sorted().flatMap { rows[$0]! } } }
        /// Records job k and rewrites the aggregates (in job order) with every job finished so far.
        func finish(_ k: Int, rows jobRows: [SweepRow], models: Int, computed: Bool, seconds: Double, write: ([SweepRow]) throws -> Void) throws {
            try locked {
                rows[k] = jobRows
                doneModels += models
                if computed {
                    computeSeconds += seconds
                    computedModels += models
                    ranNow += 1
                    finishedAJob = true
                } else {
                    reused += 1
                }
                try write(rows.keys.sorted().flatMap { rows[$0]! })
            }
        }
        func fail(_ error: Error) { locked { if failure == nil { failure = error } } }
    }

    /// Backends handed to worker threads, one each (never shared between threads), and the loop each
    /// runs, whose shared state is locked.
    struct UnsafeWorkers<B>: @unchecked Sendable {
        let backends: [B]
        let work: (B) -> Void
    }

    /// One job: the pipeline over all seeds × P_u × P_e, then per seed the selection, detection and judge.
    func runJob<B: ComputeBackend>(_ b: B, _ job: SweepJob, progress: @escaping (PipelineProgress) -> Void) throws -> [SweepRow] {
        let task = tasks[Self.taskKey(job)]!
        var config = try Self.config(job, task: task, earlyStop: earlyStop, maxModels: maxModels)
        config.compaction = compaction
        config.stepRule = stepRule
        let t0 = Date()
        var outcomes = try Pipeline.run(backend: b, data: task.train, validation: task.validation, config: config, progress: progress)
        if job.options.cleanup {
            _ = try RunJob.cleanUp(&outcomes, backend: b, config: config, train: task.train, validation: task.validationOrTrain)
        }
        let seconds = Date().timeIntervalSince(t0)
        var rows: [SweepRow] = []
        for seed in job.seeds {
            let mine = outcomes.filter { $0.seed == seed }
            var row = SweepRow(
                task: job.task, job: job.id, arch: job.arch, hiddenLayers: job.hiddenLayers, learningRate: job.learningRate,
                batchSize: job.batchSize, epochs: job.epochs, seed: seed, accuracyThreshold: job.accuracyThreshold,
                candidatesMeetingThreshold: mine.filter { $0.accuracy >= job.accuracyThreshold }.count,
                candidates: mine.count, jobSeconds: seconds, selected: false)
            let ties = Selection.tiedSparsest(mine, threshold: job.accuracyThreshold)
            guard let chosen = ties.first else {
                row.judgeSuccess = Judge.hasJudge(task: task.name) ? false : nil
                row.note = "no (P_u, P_e) run met the accuracy threshold"
                rows.append(row)
                continue
            }
            let meta = [
                "seed": "\(seed)", "unit_step": percentText(chosen.unitStep), "edge_step": percentText(chosen.edgeStep),
                "accuracy": "\(chosen.accuracy)", "learning_rate": "\(job.learningRate)", "batch_size": "\(job.batchSize)",
                "epochs": "\(job.epochs)",
            ]
            let masks = MaskFile(arch: try job.architecture(), task: task.name, masks: chosen.masks, weights: chosen.weights, meta: meta)
            let modelDir = "jobs/\(job.id)/s\(seed)"
            try AtomicFile.write(try masks.jsonData(), to: dir.file("\(modelDir)/masks.json"))
            let result = ModuleReport.analyze(masks, options: job.detection)
            try ModuleReport.write(result, masks: masks, file: "\(modelDir)/masks.json", to: dir.file(modelDir))
            row.selected = true
            row.unitStep = chosen.unitStep
            row.edgeStep = chosen.edgeStep
            row.edges = chosen.edges
            row.weights = chosen.weightCount
            row.density = chosen.density
            row.accuracy = chosen.accuracy
            row.condensedArch = result.condensedArch
            row.modules = result.modules.map { $0.map { [$0.layer, $0.unit] } }
            row.moduleCount = result.modules.count
            row.masks = "\(modelDir)/masks.json"
            if let judge = result.judge {
                row.judgeSuccess = judge.success
                row.judge = Dictionary(uniqueKeysWithValues: judge.criteria.map { ($0.name, $0.passed) })
            }
            try judgeTies(&row, ties: ties, job: job, task: task.name, meta: meta, dir: "\(modelDir)/ties")
            try Self.addHeldOutAccuracy(&row, of: chosen, backend: b, job: job, task: task, options: config.training)
            rows.append(row)
        }
        return rows
    }

    /// The paper's count over a seed's tied sparsest networks (`Selection.tiedSparsest`, the selected
    /// one first, already judged in `row`): each other tie's masks go to `dir/u<P_u>-e<P_e>.json`, and
    /// the row passes a criterion, or overall, when any tie passes it.
    func judgeTies(_ row: inout SweepRow, ties: [ModelOutcome], job: SweepJob, task: String, meta: [String: String], dir tiesDir: String) throws {
        row.tiedNetworks = ties.count
        row.tiedSteps = ties.map { [$0.unitStep, $0.edgeStep] }
        var anySuccess = row.judgeSuccess
        var anyCriterion = row.judge ?? [:]
        defer { (row.tiedJudgeSuccess, row.tiedJudge) = (anySuccess, row.judge == nil ? nil : anyCriterion) }
        for tie in ties.dropFirst() {
            var tieMeta = meta
            (tieMeta["unit_step"], tieMeta["edge_step"]) = (percentText(tie.unitStep), percentText(tie.edgeStep))
            tieMeta["accuracy"] = "\(tie.accuracy)"
            let masks = MaskFile(arch: try job.architecture(), task: task, masks: tie.masks, weights: tie.weights, meta: tieMeta)
            let file = "\(tiesDir)/u\(percentText(tie.unitStep))-e\(percentText(tie.edgeStep)).json"
            try AtomicFile.write(try masks.jsonData(), to: dir.file(file))
            guard let judge = ModuleReport.analyze(masks, options: job.detection).judge else { continue }
            anySuccess = (anySuccess ?? false) || judge.success
            for c in judge.criteria where c.passed { anyCriterion[c.name] = true }
        }
    }

    /// Vision tasks: the selected network's per-bit accuracy on the held-out test split and its
    /// accuracy per image pair, so the sweep's rows carry what `sculpt run` reports. Reported only;
    /// selection never sees the test split.
    static func addHeldOutAccuracy<B: ComputeBackend>(
        _ row: inout SweepRow, of o: ModelOutcome, backend: B, job: SweepJob, task: TaskData, options: TrainingOptions
    ) throws {
        let arch = try job.architecture()
        if let test = task.test {
            row.testAccuracy = try Population<B>.evaluate(
                backend: backend, arch: arch, data: test, options: options, networks: [(o.weights, o.biases, o.masks)]
            ).first?.accuracy
            row.testDigits = DigitAccuracy.measure(task: task.name, arch: arch, weights: o.weights, biases: o.biases, masks: o.masks, data: test)
        }
        row.validationDigits = DigitAccuracy.measure(
            task: task.name, arch: arch, weights: o.weights, biases: o.biases, masks: o.masks, data: task.validationOrTrain)
    }

    static func successTable(_ rows: [SweepRow]) -> SuccessTable {
        SuccessTable(
            rows: rows.compactMap { r in
                // The paper's count: a seed passes when any of its tied sparsest networks passes (rows
                // written before ties were judged carry only the selected network's verdicts).
                guard let success = r.tiedJudgeSuccess ?? r.judgeSuccess else { return nil }  // tasks without a judge
                var verdicts = r.tiedJudge ?? r.judge ?? [:]
                if !r.selected {
                    // Nothing met the threshold: every criterion of this row counts as failed.
                    for name in verdicts.keys { verdicts[name] = false }
                }
                verdicts["success"] = success
                // The one network the tie order selects, for comparison with the paper's count.
                verdicts["selected_network"] = r.selected && r.judgeSuccess == true
                return SuccessTable.Row(task: r.task, hiddenLayers: r.hiddenLayers, verdicts: verdicts)
            })
    }

    /// results.csv, results.jsonl, the success tables and report.html from every finished row, in job order.
    static func writeAggregates(_ rows: [SweepRow], name: String, to dir: RunDirectory) throws {
        try dir.write(text: try rows.map { try RecordCoding.line($0) + "\n" }.joined(), "results.jsonl")
        var criteria: [String] = []
        for r in rows { for k in (r.judge ?? [:]).keys.sorted() where !criteria.contains(k) { criteria.append(k) } }
        var csv = (SweepRow.csvColumns + criteria.map { "judge_\($0)" }).joined(separator: ",") + "\n"
        for r in rows {
            let judge = r.judge ?? [:]
            csv += (r.csvFields + criteria.map { c in judge[c].map { $0 ? "true" : "false" } ?? "" }).joined(separator: ",") + "\n"
        }
        try dir.write(text: csv, "results.csv")
        let table = successTable(rows)
        try dir.write(text: table.markdown(title: "Success rates: \(name)", paper: PaperRates.success), "success.md")
        try dir.write(table.record, "success.json")
        try SweepReport.write(directory: dir.path)
    }
}

extension SweepRunner.Summary {
    public func text(name: String, directory: String) -> String {
        table.markdown(title: "Success rates: \(name)") + "\n"
            + String(
                format: "%d job(s) (%d run now, %d from an earlier run), %d rows, %.1f s; wrote %@",
                jobs, ranNow, reused, rows, seconds, directory)
    }
}
