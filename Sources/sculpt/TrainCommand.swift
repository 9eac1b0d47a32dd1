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

/// Gradual magnitude pruning during training (docs/gradual-pruning.md).
struct GradualFlags: ParsableArguments {
    @Option(
        help:
            "Prune while training: gradual (Zhu & Gupta polynomial schedule, as TF-MOT's PolynomialDecay with power 3). Total epochs = --dense-epochs + --prune-epochs; the model kept is the last epoch's."
    )
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
            let given: [(String, Bool)] = [
                ("--initial-sparsity", initialSparsity != nil), ("--final-sparsity", finalSparsity != nil),
                ("--prune-every", pruneEvery != nil), ("--dense-epochs", denseEpochs != nil),
                ("--prune-epochs", pruneEpochs != nil), ("--scope", scope != nil),
            ]
            if let flag = given.first(where: \.1) { throw ValidationError("\(flag.0) needs --prune gradual") }
            return nil
        }
        let g = GradualPruning(
            initialSparsity: initialSparsity ?? 0.5, finalSparsity: finalSparsity ?? 0.9, denseEpochs: denseEpochs ?? 20,
            pruneEpochs: pruneEpochs ?? 20, pruneEvery: pruneEvery ?? 10, scope: scope ?? .layer)
        do { try g.validate() } catch let e as TrainingConfigError { throw ValidationError(e.description) }
        return g
    }
}

struct TrainCommand: ParsableCommand, VerboseErrors {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a population of MLPs on a task (one model per seed), with best-epoch snapshots or gradual pruning.",
        discussion: """
            Every seed is one model; all train in lock-step on the device. Each model keeps the snapshot of \
            its best epoch (highest validation accuracy, ties to the lower loss; docs/method.md). With --prune \
            gradual, each model instead trains --dense-epochs dense, then --prune-epochs while its masks \
            follow the polynomial sparsity schedule, and keeps its last epoch's network. Writes a run \
            directory with run.json (sculpt-train/1) and, per model, history.json, masks.json (sculpt-masks/1 with weights) \
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

    var verboseErrors: Bool { backend.verbose }

    func run() throws {
        let schedule = try gradual.schedule()
        if let g = schedule, let e = flags.epochs, e != g.totalEpochs {
            throw ValidationError(
                "--epochs \(e) disagrees with --prune gradual: it trains --dense-epochs \(g.denseEpochs) + --prune-epochs \(g.pruneEpochs) = \(g.totalEpochs) epochs (leave --epochs out)"
            )
        }
        let data = try flags.loadTask()
        let options = try flags.settings(epochs: schedule?.totalEpochs).options(for: data)
        let job = TrainJob(data: data, arch: flags.arch, options: options, learningRate: flags.lr, seeds: flags.seedValues, schedule: schedule)
        try backend.with { b in
            var dir: RunDirectory? = nil
            let progress = ProgressLine()
            let record = try job.execute(
                b,
                makeDirectory: {
                    dir = try RunDirectory.make(out: out, command: "train", task: flags.task)
                    return dir!
                },
                onEpoch: { epoch in
                    let phase = schedule.map { epoch <= $0.denseEpochs ? ", dense" : ", pruning" } ?? ""
                    progress.update("\(ProgressLine.bar(epoch, options.epochs)) epoch \(epoch)/\(options.epochs)\(phase), \(job.seeds.count) model(s)")
                })
            progress.done()
            print(json ? try RecordCoding.line(record, runDirectory: dir!.path) : record.text(directory: dir!.path))
        }
    }
}
