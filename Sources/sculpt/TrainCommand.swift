import ArgumentParser
import Foundation
import SculptCore
import Tasks
import Training

struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a population of dense MLPs on a task (one model per seed), with best-epoch snapshots.",
        discussion: """
        Every seed is one model; all train in lock-step on the device. Each model keeps the snapshot of \
        its best epoch (highest validation accuracy, ties to the lower loss; spec §3). Writes a run \
        directory with run.json and, per model, history.json, masks.json (sculpt-masks/1 with weights) \
        and weights.json.
        Example: sculpt train --task xor-pairs --arch 4,24,4 --lr 0.05 --batch-size 8 --epochs 15 --seeds 0,1,2,5
        """
    )

    @OptionGroup var flags: TrainingFlags
    @OptionGroup var backend: BackendOptions

    @Flag(help: "Print one JSON document on stdout instead of text.")
    var json = false

    @Option(help: "Run directory to write (default runs/train-<task>-<time>); must not exist or be empty.")
    var out: String?

    func run() throws {
        let task = try flags.loadTask()
        let arch = try flags.architecture()
        let seeds = try flags.seedList()
        try backend.with { b in try train(b, task: task, arch: arch, seeds: seeds) }
    }

    func train<B: ComputeBackend>(_ b: B, task: TaskData, arch: Architecture, seeds: [UInt64]) throws {
        let models = seeds.map { ModelSpec(seed: $0, learningRate: flags.lr) }
        // Everything is validated by building the population, before any file is written.
        let pop = try Population(backend: b, arch: arch, data: task.train, validation: task.validation, options: flags.options(for: task), models: models)
        let dir = try RunDirectory.make(out: out, command: "train", task: flags.task)
        let progress = ProgressLine()
        let results = try pop.train(active: [Bool](repeating: true, count: pop.P)) { epoch in
            progress.update("\(ProgressLine.bar(epoch, flags.epochs)) epoch \(epoch)/\(flags.epochs), \(pop.P) model(s)")
        }.map { $0! }
        progress.done()

        var summaries: [[String: Any]] = []
        for (p, r) in results.enumerated() {
            let id = "s\(seeds[p])"
            let masks = try pop.layerMasks(of: p), weights = try pop.layerWeights(of: p)
            let file = MaskFile(arch: arch, task: task.name, masks: masks, weights: weights,
                                meta: ["seed": "\(seeds[p])", "phase": "dense", "accuracy": "\(r.accuracy)"])
            try dir.writeJSON(file.jsonObject(), "models/\(id)/masks.json")
            try dir.writeJSON(["arch": arch.widths, "weights": weights.map { $0.map(Double.init) },
                               "biases": try pop.biases(of: p).map(Double.init)] as [String: Any], "models/\(id)/weights.json")
            try dir.writeEncodable(r, "models/\(id)/history.json")
            summaries.append(["id": id, "seed": seeds[p], "best_epoch": r.bestEpoch, "accuracy": r.accuracy, "loss": r.loss])
        }
        let runObject: [String: Any] = [
            "format": "sculpt-run/1", "command": "train", "task": task.name, "arch": arch.widths,
            "config": try encodeToObject(flags.options(for: task)), "learning_rate": flags.lr, "seeds": seeds,
            "environment": environmentFacts(backend: b), "models": summaries,
        ]
        try dir.writeJSON(runObject, "run.json")
        if json {
            print(try jsonLine(runObject.merging(["run_directory": dir.path]) { a, _ in a }))
            return
        }
        print("task \(task.name), arch \(arch), \(flags.epochs) epochs, batch \(flags.batchSize), lr \(flags.lr), on \(b.deviceDescription)")
        for (p, r) in results.enumerated() {
            print(String(format: "  seed %-4llu best epoch %3d   accuracy %7.3f%%   loss %.6f", seeds[p], r.bestEpoch, r.accuracy, r.loss))
        }
        print("wrote \(dir.path)")
    }
}
