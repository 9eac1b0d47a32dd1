import ArgumentParser
import Foundation
import Pruning
import SculptCore
import Tasks
import Training

/// `--prune`.
enum TrainPruneMode: String, ExpressibleByArgument, CaseIterable {
    case gradual
}

/// `--scope`.
extension GradualPruning.Scope: ExpressibleByArgument {}
extension EdgeNormalization: ExpressibleByArgument {}

/// Gradual magnitude pruning during training (docs/gradual-pruning.md).
struct GradualFlags: ParsableArguments {
    @Option(help: "Prune while training: gradual (Zhu & Gupta polynomial schedule, as TF-MOT's PolynomialDecay with power 3). Total epochs = --dense-epochs + --prune-epochs; the model kept is the last epoch's.")
    var prune: TrainPruneMode?

    @Option(name: .customLong("initial-sparsity"), help: "Gradual pruning: sparsity (fraction) of the first mask update (default 0.5).")
    var initialSparsity: Double?

    @Option(name: .customLong("final-sparsity"), help: "Gradual pruning: sparsity (fraction) at the end (default 0.9).")
    var finalSparsity: Double?

    @Option(name: .customLong("prune-every"), help: "Gradual pruning: optimiser steps between mask updates (default 10).")
    var pruneEvery: Int?

    @Option(name: .customLong("dense-epochs"), help: "Gradual pruning: dense epochs before pruning starts (default 20).")
    var denseEpochs: Int?

    @Option(name: .customLong("prune-epochs"), help: "Gradual pruning: epochs over which the sparsity rises (default 20).")
    var pruneEpochs: Int?

    @Option(help: "Gradual pruning: layer (each weight matrix, output layer included, pruned within itself) or global (one threshold over all weights) (default layer).")
    var scope: GradualPruning.Scope?

    /// The schedule, or nil without `--prune`.
    /// - Throws: `ValidationError` for a schedule option without `--prune gradual`, or a bad value.
    func schedule() throws -> GradualPruning? {
        guard prune == .gradual else {
            let given: [(String, Bool)] = [("--initial-sparsity", initialSparsity != nil), ("--final-sparsity", finalSparsity != nil),
                                           ("--prune-every", pruneEvery != nil), ("--dense-epochs", denseEpochs != nil),
                                           ("--prune-epochs", pruneEpochs != nil), ("--scope", scope != nil)]
            if let flag = given.first(where: \.1) { throw ValidationError("\(flag.0) needs --prune gradual") }
            return nil
        }
        let g = GradualPruning(initialSparsity: initialSparsity ?? 0.5, finalSparsity: finalSparsity ?? 0.9, denseEpochs: denseEpochs ?? 20,
                               pruneEpochs: pruneEpochs ?? 20, pruneEvery: pruneEvery ?? 10, scope: scope ?? .layer)
        do { try g.validate() } catch let e as TrainingConfigError { throw ValidationError(e.description) }
        return g
    }
}

struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a population of MLPs on a task (one model per seed), with best-epoch snapshots or gradual pruning.",
        discussion: """
        Every seed is one model; all train in lock-step on the device. Each model keeps the snapshot of \
        its best epoch (highest validation accuracy, ties to the lower loss; spec §3). With --prune \
        gradual, each model instead trains --dense-epochs dense, then --prune-epochs while its masks \
        follow the polynomial sparsity schedule, and keeps its last epoch's network. Writes a run \
        directory with run.json and, per model, history.json, masks.json (sculpt-masks/1 with weights) \
        and weights.json. The 10-class tasks mnist and fashion (--data DIR) train with softmax \
        cross-entropy and report per-image accuracy on validation (the last --validation-images \
        training images) and on the test images.
        Example: sculpt train --task xor-pairs --arch 4,24,4 --lr 0.05 --batch-size 8 --epochs 15 --seeds 0,1,2,5
        Example: sculpt train --task fashion --data DIR --arch 784,256,256,256,256,10 --lr 0.001 --batch-size 128 \
        --prune gradual --initial-sparsity 0.5 --final-sparsity 0.9 --prune-every 10 --dense-epochs 20 \
        --prune-epochs 20 --scope layer --dropout 0.5 --init glorot
        """
    )

    @OptionGroup var flags: TrainingFlags
    @OptionGroup var gradual: GradualFlags
    @OptionGroup var backend: BackendOptions

    @Flag(help: "Print one JSON document on stdout instead of text.")
    var json = false

    @Option(help: "Run directory to write (default runs/train-<task>-<time>); must not exist or be empty.")
    var out: String?

    func run() throws {
        let schedule = try gradual.schedule()
        if let g = schedule, let e = flags.epochs, e != g.totalEpochs {
            throw ValidationError("--epochs \(e) disagrees with --prune gradual: it trains --dense-epochs \(g.denseEpochs) + --prune-epochs \(g.pruneEpochs) = \(g.totalEpochs) epochs (leave --epochs out)")
        }
        let task = try flags.loadTask()
        let arch = try flags.architecture()
        let seeds = try flags.seedList()
        let options = try flags.options(for: task, epochs: schedule?.totalEpochs)
        try backend.with { b in try train(b, task: task, arch: arch, seeds: seeds, options: options, schedule: schedule) }
    }

    func train<B: ComputeBackend>(_ b: B, task: TaskData, arch: Architecture, seeds: [UInt64], options: TrainingOptions,
                                  schedule: GradualPruning?) throws {
        let models = seeds.map { ModelSpec(seed: $0, learningRate: flags.lr) }
        // Everything is validated by building the population (and the trainer), before any file is written.
        let pop = try Population(backend: b, arch: arch, data: task.train, validation: task.validation, options: options, models: models)
        let trainer = try schedule.map { try GradualTrainer(population: pop, schedule: $0) }
        let dir = try RunDirectory.make(out: out, command: "train", task: flags.task)
        let progress = ProgressLine()
        let all = [Bool](repeating: true, count: pop.P)
        let report: (Int) -> Void = { epoch in
            let phase = schedule.map { epoch <= $0.denseEpochs ? ", dense" : ", pruning" } ?? ""
            progress.update("\(ProgressLine.bar(epoch, options.epochs)) epoch \(epoch)/\(options.epochs)\(phase), \(pop.P) model(s)")
        }
        let gradualResults = try trainer?.train(active: all, onEpoch: report).map { $0! }
        let results = try gradualResults?.map(\.training) ?? pop.train(active: all, onEpoch: report).map { $0! }
        progress.done()

        // Held-out test accuracy of every final network (vision tasks): reported, never used above.
        var testAccuracy: [Double]? = nil
        if let test = task.test {
            let networks = try (0..<pop.P).map { p in (try pop.layerWeights(of: p), try pop.biases(of: p), try pop.layerMasks(of: p)) }
            testAccuracy = try Population<B>.evaluate(backend: b, arch: arch, data: test, options: options, networks: networks).map(\.accuracy)
        }

        var summaries: [[String: Any]] = []
        for (p, r) in results.enumerated() {
            let id = "s\(seeds[p])"
            let masks = try pop.layerMasks(of: p), weights = try pop.layerWeights(of: p)
            var meta = ["seed": "\(seeds[p])", "phase": schedule == nil ? "dense" : "gradual", "accuracy": "\(r.accuracy)"]
            if let g = gradualResults?[p] { meta["sparsity"] = "\(g.sparsity)" }
            let file = MaskFile(arch: arch, task: task.name, masks: masks, weights: weights, meta: meta)
            try dir.writeJSON(file.jsonObject(), "models/\(id)/masks.json")
            try dir.writeJSON(["arch": arch.widths, "weights": weights.map { $0.map(Double.init) },
                               "biases": try pop.biases(of: p).map(Double.init)] as [String: Any], "models/\(id)/weights.json")
            if let g = gradualResults?[p] { try dir.writeEncodable(g, "models/\(id)/history.json") } else { try dir.writeEncodable(r, "models/\(id)/history.json") }
            var s: [String: Any] = ["id": id, "seed": seeds[p], "best_epoch": r.bestEpoch, "accuracy": r.accuracy, "loss": r.loss]
            if let t = testAccuracy { s["test_accuracy"] = t[p] }
            if let g = gradualResults?[p] {
                s["sparsity"] = g.sparsity
                s["layer_sparsity"] = g.layerSparsity
                s["mask_updates"] = g.updates.count
            }
            summaries.append(s)
        }
        var runObject: [String: Any] = [
            "format": "sculpt-run/1", "command": "train", "task": task.name, "arch": arch.widths,
            "config": try encodeToObject(options), "learning_rate": flags.lr, "seeds": seeds,
            "environment": environmentFacts(backend: b), "models": summaries,
        ]
        if let g = schedule { runObject["gradual_pruning"] = try encodeToObject(g) }
        try dir.writeJSON(runObject, "run.json")
        if json {
            print(try jsonLine(runObject.merging(["run_directory": dir.path]) { a, _ in a }))
            return
        }
        let what = task.isClassification ? "accuracy (per image)" : "accuracy"
        print("task \(task.name), arch \(arch), \(options.epochs) epochs, batch \(options.batchSize), lr \(flags.lr), loss \(options.loss.rawValue)"
              + (options.dropout > 0 ? ", dropout \(options.dropout)" : "") + ", init \(options.initialization.rawValue), on \(b.deviceDescription)")
        if let g = schedule {
            print(String(format: "gradual pruning: %d dense + %d pruning epochs, sparsity %.3f → %.3f every %d steps, %@ scope; the last epoch's network is kept",
                         g.denseEpochs, g.pruneEpochs, g.initialSparsity, g.finalSparsity, g.pruneEvery, g.scope.rawValue))
        }
        for (p, r) in results.enumerated() {
            let epochText = schedule == nil ? String(format: "best epoch %3d", r.bestEpoch) : String(format: "last epoch %3d", r.bestEpoch)
            var line = String(format: "  seed %-4llu %@   validation %@ %7.3f%%   loss %.6f", seeds[p], epochText, what, r.accuracy, r.loss)
            if let t = testAccuracy { line += String(format: "   test %7.3f%%", t[p]) }
            print(line)
            if let g = gradualResults?[p] {
                let layers = g.layerSparsity.enumerated().map { l, s in String(format: "layer %d %.4f", l, s) }.joined(separator: ", ")
                print(String(format: "  %@ final sparsity %.4f (%@)", String(repeating: " ", count: 9), g.sparsity, layers))
            }
        }
        print("wrote \(dir.path)")
    }
}
