import ArgumentParser
import Foundation
import OpenCLBackend
import Pruning
import Replications
import SculptCore
import Sweeps

struct SweepCommand: ParsableCommand, VerboseErrors {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Run a whole experiment: for every task × architecture × seed, the paper's (P_u, P_e) selection, detection and judges.",
        discussion: """
            For each job (task, architecture) of the manifest, every seed × P_u unit-prunes as one device \
            population and all their P_e branches edge-prune as another; per seed the sparsest network \
            meeting the accuracy threshold is kept (ties: higher accuracy, then larger P_u, then larger \
            P_e), analysed and judged (docs/method.md). Results are written as each job finishes: \
            results.csv, results.jsonl, the selected masks and modules under jobs/, and success tables \
            (success.md, success.json). Interrupted? Run again with --resume: finished jobs are kept, the \
            rest run, and the result equals an uninterrupted sweep's.
            Built-in manifests: \(SweepManifests.builtinNames.joined(separator: ", ")) (the paper's four \
            Boolean experiments, and its MNIST runs with their published (P_u, P_e) per seed; mnist needs \
            `sculpt data fetch mnist` first). Manifest format: docs/sweeps.md. The clusterability replication is its \
            own command: sculpt clusterability.
            Example: sculpt sweep exemplar --out runs/exemplar --only xor-pairs
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

    @Option(
        name: .customLong("early-stop"),
        help: "Opt-in: end a retraining once the threshold is met and the snapshot has not improved for N epochs (the paper trains the full budget).")
    var earlyStop: Int?

    @Option(name: .customLong("max-models"), help: "Largest device population (default: from the device's memory).")
    var maxModels: Int?

    @Flag(name: .customLong("no-compaction"), help: "Keep populations at their configured widths (same results, slower; for comparison).")
    var noCompaction = false

    @Option(
        name: .customLong("step-rule"), help: "paper (default), floor:F or regrow:N: as for `sculpt run` (opt-in bounds on the number of rounds).",
        transform: { text in try validating { try StepRule(parsing: text) } })
    var stepRule = StepRule.paper

    @Option(
        help: "Run only part K of N of the jobs (by their position in the manifest: K−1, K−1+N, …), e.g. 2/4; `sculpt merge` combines the parts.",
        transform: { text in try validating { try Shard(parsing: text) } })
    var shard: Shard?

    @Option(
        help: ArgumentHelp(
            "Run jobs concurrently on several OpenCL devices, one worker each, e.g. 0,1 (indices or names as --device takes them); the files equal a one-device run's. PoCL offers several CPU devices with POCL_DEVICES=\"pthread pthread\".",
            valueName: "LIST"))
    var devices: String?

    @Flag(name: .customLong("print-manifest"), help: "Print the built-in manifest's YAML and exit.")
    var printManifest = false

    @Option(
        help: ArgumentHelp(
            "Instead of running, write Slurm batch scripts to OUT.slurm/: an sbatch --array of N tasks (task K runs --shard K/N into OUT.slurm/shards/K) and a merge job that writes OUT once every task succeeded (docs/cluster.md).",
            valueName: "N"))
    var slurm: Int?

    @Flag(help: "With --slurm: submit the scripts (sbatch) and print the job ids.")
    var submit = false

    @Option(help: "With --slurm: the partition of every job.")
    var partition: String?

    @Option(name: .customLong("gpus-per-task"), help: "With --slurm: GPUs per array task (one device each: give it --device 0 or leave the default, the first GPU).")
    var gpusPerTask: Int?

    @Option(name: .customLong("cpus-per-task"), help: "With --slurm: CPU cores per array task.")
    var cpusPerTask: Int?

    @Option(help: "With --slurm: the time limit of each array task, in sbatch's form (e.g. 2:00:00).")
    var time: String?

    @OptionGroup var backend: BackendOptions

    var verboseErrors: Bool { backend.verbose }

    func run() throws {
        if printManifest {
            print(try SweepManifests.yaml(ofBuiltin: manifest), terminator: "")
            return
        }
        guard let out else { throw ValidationError("--out DIR is required: the directory where the sweep writes its results") }
        let loaded = try SweepManifests.load(manifest)
        var jobs = loaded.jobs
        if !only.isEmpty { jobs = try validating { try loaded.jobs(ofTasks: only) } }
        if let slurm { return try writeSlurm(tasks: slurm, jobs: jobs.count, out: out) }
        guard !submit && partition == nil && gpusPerTask == nil && cpusPerTask == nil && time == nil else {
            throw ValidationError("--submit, --partition, --gpus-per-task, --cpus-per-task and --time go with --slurm N")
        }
        // Several devices: their backends first, so that a bad device list leaves no directory behind.
        let several = try devices.map { list -> [OpenCLBackend] in
            let specs = list.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard !specs.isEmpty, !specs.contains("") else { throw ValidationError("--devices takes a comma-separated list of devices, e.g. 0,1") }
            return try backend.openCLBackends(specs)
        }
        var runner = try SweepRunner(name: loaded.name, jobs: jobs, out: out, resume: resume, earlyStop: earlyStop, maxModels: maxModels, shard: shard)
        runner.compaction = !noCompaction
        runner.stepRule = stepRule
        let progress = ProgressLine()
        let show = { (e: SweepRunner.Event) in
            let eta = e.secondsLeft.map { String(format: ", ~%.0f s left", $0) } ?? ""
            progress.update(
                "\(ProgressLine.bar(e.doneModels, e.totalModels)) \(e.doneModels)/\(e.totalModels) models\(eta) — job \(e.job + 1)/\(e.jobs) \(e.jobID): \(e.pipeline.phase.rawValue) round \(e.pipeline.round), network \(e.pipeline.widthsText)"
            )
        }
        if let several {
            let summary = try runner.run(several, progress: show)
            progress.done()
            print(summary.text(name: loaded.name, directory: out))
            return
        }
        try backend.with { b in
            let summary = try runner.run(b, progress: show)
            progress.done()
            print(summary.text(name: loaded.name, directory: out))
        }
    }
}

extension SweepCommand {
    /// `--slurm N`: the scripts, and with `--submit` their submission.
    func writeSlurm(tasks: Int, jobs: Int, out: String) throws {
        guard tasks >= 1, tasks <= jobs else {
            throw ValidationError("--slurm \(tasks): the manifest has \(jobs) job(s) here, so use 1 to \(jobs) array tasks")
        }
        guard shard == nil, !resume else { throw ValidationError("--slurm makes its own shards and resumes them; leave out --shard and --resume") }
        if let g = gpusPerTask, g < 1 { throw ValidationError("--gpus-per-task must be at least 1") }
        if let c = cpusPerTask, c < 1 { throw ValidationError("--cpus-per-task must be at least 1") }
        let cwd = FileManager.default.currentDirectoryPath
        func absolute(_ p: String) -> String { p.hasPrefix("/") ? p : cwd + "/" + p }
        let isFile = FileManager.default.fileExists(atPath: manifest)
        var args: [String] = only.flatMap { ["--only", $0] }
        if let earlyStop { args += ["--early-stop", "\(earlyStop)"] }
        if let maxModels { args += ["--max-models", "\(maxModels)"] }
        if noCompaction { args.append("--no-compaction") }
        if stepRule != .paper { args += ["--step-rule", stepRule.description] }
        if let devices { args += ["--devices", devices] }
        let binary = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? absolute(CommandLine.arguments[0])
        let scripts = SlurmScripts(
            binary: binary, manifest: isFile ? absolute(manifest) : manifest, out: absolute(out), tasks: tasks,
            sweepArguments: args + backend.arguments, partition: partition, gpusPerTask: gpusPerTask, cpusPerTask: cpusPerTask, time: time)
        let written = try scripts.write()
        print("wrote \(written.joined(separator: ", "))")
        guard submit else {
            print("submit with: bash \(scripts.folder)/submit.sh   (the merged sweep appears in \(scripts.out))")
            return
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/bash")
        p.arguments = [scripts.folder + "/submit.sh"]
        try p.run()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw ValidationError("sbatch failed (exit \(p.terminationStatus)); the scripts are in \(scripts.folder)") }
    }
}

/// `sculpt clusterability`: the clusterability replication (docs/clusterability.md).
struct ClusterabilityCommand: ParsableCommand, VerboseErrors {
    static let configuration = CommandConfiguration(
        commandName: "clusterability",
        abstract: "Replicate the clusterability experiment: gradually pruned MLPs with and without dropout, spectral n-cut against shuffle nulls.",
        discussion: """
            Trains --models models per condition (no dropout; dropout 0.5) of 784-256-256-256-256-10 on \
            Fashion-MNIST or MNIST with gradual per-layer magnitude pruning (0.5 → 0.9), then measures each \
            network's spectral n-cut at k = 4 against the layer and layer-nonzero shuffle nulls, and writes \
            table.md. --resume keeps the models a condition has and trains only the seeds it lacks, so a run \
            can be extended to more models. Defaults are the paper's (docs/clusterability.md).
            Example: sculpt clusterability --data /usr/share/datasets/fashion-mnist --out runs/clusterability
            """
    )

    @Option(help: "Folder with the four MNIST-format files (Fashion-MNIST: /usr/share/datasets/fashion-mnist).")
    var data: String

    @Option(help: "Directory for the results (required).")
    var out: String

    @Flag(help: "Continue in --out: keep each condition's models, train the seeds it lacks.")
    var resume = false

    @Option(help: "fashion or mnist.")
    var task = "fashion"

    @Option(help: "Models per condition (seeds 0…N−1).")
    var models = 10

    @Option(name: .customLong("dense-epochs"), help: "Dense epochs before pruning.")
    var denseEpochs = 20

    @Option(name: .customLong("prune-epochs"), help: "Epochs of gradual pruning (0.5 → 0.9 per layer).")
    var pruneEpochs = 20

    @Option(help: "Shuffles per null model.")
    var shuffles = 320

    @OptionGroup var backend: BackendOptions

    var verboseErrors: Bool { backend.verbose }

    func validate() throws {
        guard models >= 1, shuffles >= 1, denseEpochs >= 0, pruneEpochs >= 1 else {
            throw ValidationError("--models, --shuffles and --prune-epochs must be at least 1, --dense-epochs at least 0")
        }
        guard ["fashion", "mnist"].contains(task) else { throw ValidationError("--task must be fashion or mnist") }
    }

    func run() throws {
        var e = ClusterabilityExperiment(data: data)
        e.task = task
        e.seeds = (0..<models).map(UInt64.init)
        e.schedule.denseEpochs = denseEpochs
        e.schedule.pruneEpochs = pruneEpochs
        e.shuffles = shuffles
        try backend.with { b in
            let progress = ProgressLine()
            let table = try e.run(b, out: out, resume: resume) { done, total, what in progress.update("\(ProgressLine.bar(done, total)) \(what)") }
            progress.done()
            print(table)
            print("wrote \(out)")
        }
    }
}

extension Shard: ExpressibleByArgument {
    public init?(argument: String) { try? self.init(parsing: argument) }
}

/// `sculpt merge`: shard directories of one sweep into the files an unsharded run writes.
struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Combine the shard directories of one sweep (sculpt sweep … --shard K/N) into one sweep directory.",
        discussion: """
            Writes exactly the files an unsharded run of the manifest writes: sweep.json, jobs/, results.jsonl, \
            results.csv, success.md and success.json. Refuses shards of different manifests or settings and \
            names every job that no shard has finished.
            Example: sculpt merge runs/part1 runs/part2 --out runs/exemplar
            """
    )

    @Argument(help: "The shard directories.")
    var shards: [String]

    @Option(help: "Directory for the merged sweep (must not exist or be empty).")
    var out: String

    func run() throws {
        let summary = try SweepMerge.merge(shards, into: out)
        print(summary.table.markdown(title: "Success rates"))
        print("merged \(shards.count) director\(shards.count == 1 ? "y" : "ies"): \(summary.jobs) job(s), \(summary.rows) rows; wrote \(out)")
    }
}
