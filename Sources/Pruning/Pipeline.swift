import SculptCore
import Training

/// What to run: dense training, unit pruning for every `P_u`, then edge pruning for every `P_e` from
/// each unit-pruned network (docs/method.md §3–§4), for every seed.
public struct PipelineConfig: Codable, Sendable {
    public var arch: Architecture
    public var training: TrainingOptions
    public var learningRate: Float
    public var seeds: [UInt64]
    /// `P_u` values (percent of hidden units per step); each seed × `P_u` is one unit-pruning model.
    public var unitSteps: [Double]
    /// `P_e` values (percent of weights per step); each is its own branch from the unit-pruned network.
    public var edgeSteps: [Double]
    /// Accept a pruned network iff its per-bit accuracy (percent) is at least this.
    public var accuracyThreshold: Double
    /// Opt-in: end each retraining once the threshold is met and the snapshot has not improved for
    /// this many epochs. nil (the default) trains the full budget, as the paper does.
    public var earlyStopPatience: Int?
    /// Largest population built at once; more models are split into several populations (results do
    /// not depend on the split). nil: from the device's memory.
    public var maxModelsPerPopulation: Int?
    /// How edge pruning ranks weights across layers; `.none` (the default) is the paper's one global
    /// magnitude threshold, `.mean` an opt-in.
    public var edgeNormalization: EdgeNormalization = .none
    /// Rebuild the unit-pruning population at the widths its models still use after every accepted
    /// round, so a round costs what the surviving network does; decisions, masks and weights are those
    /// of the uncompacted run (docs/method.md §3.5). Off with dropout, whose random streams are keyed
    /// by unit position.
    public var compaction = true
    /// How unit and edge schedules change their step after a rejection; `.paper` (the default) is the
    /// paper's halving. The others are opt-in bounds on the number of rounds (docs/method.md §3.3).
    public var stepRule: StepRule = .paper
    /// The exact (seed, `P_u`, `P_e`) chains to run, e.g. the paper's own pair per seed; nil (the default)
    /// runs every seed × `P_u` × `P_e`. Set by `init(arch:training:learningRate:chains:accuracyThreshold:)`,
    /// which also fills `seeds`, `unitSteps` and `edgeSteps` with the values the chains use.
    public var chains: [Chain]?
    /// `sculpt run --from FILE`: the file whose network every model starts from instead of a trained
    /// dense one (recorded here; the network itself is handed to `Pipeline.run`). nil: dense training.
    public var startFile: String?

    /// Every chain this configuration runs, in output order.
    public var allChains: [Chain] {
        chains ?? seeds.flatMap { s in unitSteps.flatMap { u in edgeSteps.map { Chain(seed: s, unitStep: u, edgeStep: $0) } } }
    }

    /// Runs exactly `chains` (not their cross product).
    public init(arch: Architecture, training: TrainingOptions, learningRate: Float, chains: [Chain], accuracyThreshold: Double) {
        self.init(
            arch: arch, training: training, learningRate: learningRate, seeds: chains.seeds, unitSteps: chains.unitSteps,
            edgeSteps: chains.edgeSteps, accuracyThreshold: accuracyThreshold)
        self.chains = chains
    }

    public init(
        arch: Architecture, training: TrainingOptions, learningRate: Float, seeds: [UInt64],
        unitSteps: [Double], edgeSteps: [Double], accuracyThreshold: Double,
        earlyStopPatience: Int? = nil, maxModelsPerPopulation: Int? = nil
    ) {
        self.earlyStopPatience = earlyStopPatience
        self.maxModelsPerPopulation = maxModelsPerPopulation
        self.arch = arch
        self.training = training
        self.learningRate = learningRate
        self.seeds = seeds
        self.unitSteps = unitSteps
        self.edgeSteps = edgeSteps
        self.accuracyThreshold = accuracyThreshold
    }

    /// - Throws: `TrainingConfigError` naming the bad value.
    public func validate() throws {
        guard !seeds.isEmpty else { throw TrainingConfigError("give at least one seed") }
        if let chains {
            guard Set(chains).count == chains.count else { throw TrainingConfigError("chains must be distinct (got \(chains.map(\.text)))") }
            let sets = (Set(chains.map(\.seed)), Set(chains.map(\.unitStep)), Set(chains.map(\.edgeStep)))
            guard sets == (Set(seeds), Set(unitSteps), Set(edgeSteps)) else {
                throw TrainingConfigError("seeds, unit steps and edge steps must be those the chains use")
            }
        }
        guard Set(seeds).count == seeds.count else { throw TrainingConfigError("seeds must be distinct (got \(seeds))") }
        for s in unitSteps where !(s >= 0 && s < 100) {
            throw TrainingConfigError("unit step \(s) must be between 0 and 100 percent (0: no unit pruning)")
        }
        for s in edgeSteps where !(s > 0 && s < 100) { throw TrainingConfigError("edge step \(s) must be between 0 and 100 percent") }
        guard !unitSteps.isEmpty, !edgeSteps.isEmpty else { throw TrainingConfigError("give at least one unit step and one edge step") }
        // A step far below one unit or one weight would take billions of rounds to finish.
        let H = arch.hiddenUnits, WT = arch.weightCount
        for s in unitSteps where s > 0 && H > 0 && s / 100 * Double(H) < 0.5 {
            throw TrainingConfigError("unit step \(s)% removes \(s / 100 * Double(H)) of the \(H) hidden units per round; give at least \(50 / Double(H))%")
        }
        for s in edgeSteps where s / 100 * Double(WT) < 0.5 {
            throw TrainingConfigError("edge step \(s)% removes \(s / 100 * Double(WT)) of the \(WT) weights per round; give at least \(50 / Double(WT))%")
        }
        guard accuracyThreshold >= 0 && accuracyThreshold <= 100 else {
            throw TrainingConfigError("accuracy threshold \(accuracyThreshold) must be a percentage between 0 and 100")
        }
        guard learningRate > 0 && learningRate.isFinite else { throw TrainingConfigError("learning rate must be a positive number (got \(learningRate))") }
        if let p = earlyStopPatience, p < 1 { throw TrainingConfigError("early-stop patience must be at least 1 epoch (got \(p))") }
        if let m = maxModelsPerPopulation, m < 1 { throw TrainingConfigError("max models per population must be at least 1 (got \(m))") }
    }

    var earlyStop: EarlyStop? { earlyStopPatience.map { EarlyStop(accuracyThreshold: accuracyThreshold, patience: $0) } }
}

/// The stages of a pipeline, in order.
public enum PipelinePhase: String, Codable, Sendable {
    /// Training the dense networks.
    case dense
    /// Unit-pruning rounds.
    case unit
    /// Retraining the unit-pruned networks once before edge pruning.
    case base
    /// Edge-pruning rounds.
    case edge

    /// Whether this stage is made of prune → retrain rounds.
    public var isPruning: Bool { self == .unit || self == .edge }
}

/// One attempted pruning target of one model.
public struct PruneAttempt: Codable, Equatable, Sendable {
    /// `.unit` or `.edge`.
    public var phase: PipelinePhase
    public var iteration: Int
    public var target: Double
    public var step: Double
    /// False when the target was ≥ 100 and rejected without pruning or training.
    public var tried: Bool
    public var accepted: Bool
    public var accuracy: Double?
    public var hiddenUnits: Int?
    public var edges: Int?
}

/// The end of one (seed, P_u, P_e) chain.
public struct ModelOutcome: Codable, Sendable {
    public var seed: UInt64
    public var unitStep: Double
    public var edgeStep: Double
    public var dense: TrainingResult
    public var unitAttempts: [PruneAttempt]
    /// False when no unit-pruning step was accepted: the model kept its dense network.
    public var unitAccepted: Bool
    public var hiddenUnitsAfterUnitPruning: Int
    public var base: TrainingResult
    public var edgeAttempts: [PruneAttempt]
    /// False when no edge-pruning step was accepted: the model ends as its retrained unit-pruned base.
    public var edgeAccepted: Bool
    /// Accuracy (percent) of the final network, as measured when it was accepted (or trained).
    public var accuracy: Double
    public var edges: Int
    public var weightCount: Int
    public var density: Double { Double(edges) / Double(weightCount) }
    /// Final masks and weights per layer, row-major `[n_out][n_in]`; biases all layers concatenated.
    public var masks: [[Float]]
    public var weights: [[Float]]
    public var biases: [Float]
}

/// One model's validation loss and accuracy after one epoch of one training (`metrics.jsonl`).
public struct EpochMetrics: Codable, Sendable, Equatable {
    /// `s<seed>-u<P_u>` in the dense and unit phases, `s<seed>-u<P_u>-e<P_e>` in the edge phase.
    public var model: String
    public var phase: PipelinePhase
    /// The pruning round (0 for the dense and base trainings).
    public var round: Int
    public var epoch: Int
    public var loss: Double
    /// Validation accuracy, percent.
    public var accuracy: Double
    /// The widths the population computed with (after compaction).
    public var widths: [Int]
}

/// Progress of a pipeline, for bars and logs.
public struct PipelineProgress: Sendable {
    public var phase: PipelinePhase
    public var round: Int
    public var modelsTraining: Int
    public var modelsFinished: Int
    public var modelsTotal: Int
    /// Pruning rounds: the smallest and largest cumulative target (percent) being tried, which shows
    /// how far the models are and when the halved steps have become small.
    public var targets: ClosedRange<Double>? = nil
    /// The widths the population computes with now (after compaction), and the configured ones.
    public var widths: [Int] = []
    public var originalWidths: [Int] = []

    /// `[1568→412, 392→13, 392→13, 20]`: each layer's configured width, and where it shrank, its live width.
    public var widthsText: String {
        guard widths.count == originalWidths.count else { return Architecture.text(originalWidths) }
        return "[" + zip(originalWidths, widths).map { $0 == $1 ? "\($0)" : "\($0)→\($1)" }.joined(separator: ", ") + "]"
    }
}

extension PipelineProgress: CustomStringConvertible {
    /// `edge pruning round 12: 3 retraining at 97.500–98.125%, 1/4 finished, network [1568→412, 392→13, 392→13, 20]`
    /// (targets with three decimals, so the last halved steps still show movement).
    public var description: String {
        let f = { (x: Double) in String(format: "%.3f", x) }
        let at = targets.map { r in r.lowerBound == r.upperBound ? " at \(f(r.lowerBound))%" : " at \(f(r.lowerBound))–\(f(r.upperBound))%" } ?? ""
        let what =
            phase.isPruning
            ? "\(phase.rawValue) pruning round \(round): \(modelsTraining) retraining\(at), \(modelsFinished)/\(modelsTotal) finished"
            : "\(phase.rawValue) training of \(modelsTraining) model(s)"
        return "\(what), network \(widthsText)"
    }
}

/// The population a phase works on, its pruner, and where its units sit in the original network; a
/// compaction replaces all three between rounds.
final class Stage<Backend: ComputeBackend> {
    var pop: Population<Backend>
    var pruner: PopulationPruner<Backend>
    var map: UnitMap
    /// The training rows for `EdgeNormalization.spread`, handed to every pruner this stage builds.
    var spreadData: Dataset? {
        didSet { pruner.spreadData = spreadData }
    }
    /// Per-epoch metrics of the population's models, kept installed across compactions.
    var epochMetrics: ((_ epoch: Int, _ metrics: [(loss: Double, accuracy: Double)?]) -> Void)? {
        didSet { pop.epochMetrics = epochMetrics }
    }

    init(pop: Population<Backend>, map: UnitMap) throws {
        self.pop = pop
        self.map = map
        pruner = try PopulationPruner(population: pop, unitMap: map.droppedWeights > 0 ? map : nil)
        try pruner.accept([Bool](repeating: true, count: pop.P))
    }

    /// Which training the population is in, for metrics.
    var phase = PipelinePhase.dense
    var round = 0

    /// Sends every epoch's validation metrics of every training model to `sink`, tagged with `ids`.
    func log(ids: [String], to sink: @escaping (EpochMetrics) -> Void) {
        epochMetrics = { [unowned self] epoch, metrics in
            for (p, m) in metrics.enumerated() {
                guard let m else { continue }
                sink(EpochMetrics(model: ids[p], phase: phase, round: round, epoch: epoch, loss: m.loss, accuracy: m.accuracy, widths: pop.arch.widths))
            }
        }
    }

    /// Final networks (original layout) and edge counts of models that finished and no longer count
    /// towards the population's widths.
    private var frozen: [Int: (network: (masks: [[Float]], weights: [[Float]], biases: [Float]), edges: Int)] = [:]

    /// Rebuilds the population at its live widths when they are smaller (every model's current network
    /// is its accepted one between rounds). Models flagged `finished` keep their final network on the
    /// host and stop counting towards the widths, so the ones still pruning run at their own size.
    func compact(dropInputs: Bool, finished: [Bool] = []) throws {
        let newlyFinished = finished.indices.filter { finished[$0] && frozen[$0] == nil }
        if !newlyFinished.isEmpty {
            let edges = try pruner.edgeCounts()
            for p in newlyFinished { frozen[p] = (try network(of: p), edges[p]) }
        }
        guard let (next, nextMap) = try Compaction.compact(pop, map: map, dropInputs: dropInputs, excluding: finished) else { return }
        pop = next
        pop.epochMetrics = epochMetrics
        map = nextMap
        pruner = try PopulationPruner(population: next, unitMap: nextMap)
        pruner.spreadData = spreadData
        try pruner.accept([Bool](repeating: true, count: next.P))
    }

    /// Model `p`'s final network in the original layout, and its edges.
    func final(of p: Int, edges: [Int]) throws -> (network: (masks: [[Float]], weights: [[Float]], biases: [Float]), edges: Int) {
        if let f = frozen[p] { return f }
        return (try network(of: p), edges[p])
    }

    /// Model `p`'s current network in the original layout.
    func network(of p: Int) throws -> (masks: [[Float]], weights: [[Float]], biases: [Float]) {
        let a = map.original
        func split(_ flat: [Float]) -> [[Float]] {
            (0..<a.depth).map { l in Array(flat[a.weightOffset(l)..<a.weightOffset(l) + a.widths[l] * a.widths[l + 1]]) }
        }
        return (
            split(map.expand(weights: try pop.masks(of: p), model: p)), split(map.expand(weights: try pop.weights(of: p), model: p)),
            map.expand(biases: try pop.biases(of: p), model: p)
        )
    }
}

public enum Pipeline {
    /// Runs dense → unit → edge for every chain of `config` (every seed × `P_u` × `P_e` unless it lists
    /// its chains) as two device populations.
    /// - Returns: one outcome per chain, in `config.allChains`' order.
    /// `validation` (default: `data`) is what accuracy, snapshots, acceptance and unit scores use.
    /// `start` (default: none) replaces every model's dense training: each model starts from this network,
    /// its zero weights pruned, evaluated as it is.
    public static func run<Backend: ComputeBackend>(
        backend: Backend, data: Dataset, validation: Dataset? = nil, config: PipelineConfig, start: StateDict.Network? = nil,
        progress: ((PipelineProgress) -> Void)? = nil, metrics: ((EpochMetrics) -> Void)? = nil
    ) throws -> [ModelOutcome] {
        try config.validate()
        if let start, start.arch != config.arch {
            throw TrainingConfigError("the starting network is \(start.arch), the configuration's architecture \(config.arch)")
        }
        let plans = UnitModelPlan.plan(config.allChains)
        // The edge population is the larger one: each unit model's branches, one per edge step.
        let maxModels =
            config.maxModelsPerPopulation
            ?? Population<Backend>.maxModels(backend: backend, arch: config.arch, data: data, validation: validation, options: config.training)
        var outcomes: [ModelOutcome] = []
        var chunk: [UnitModelPlan] = []
        for (i, plan) in plans.enumerated() {
            chunk.append(plan)
            let next = plans.count > i + 1 ? plans[i + 1].edgeSteps.count : 0
            guard next == 0 || chunk.reduce(next) { $0 + $1.edgeSteps.count } > maxModels else { continue }
            outcomes += try runPopulations(
                backend: backend, data: data, validation: validation, config: config, start: start, unitModels: chunk, progress: progress,
                metrics: metrics)
            chunk = []
        }
        // Unit models group their branches; put the outcomes back in the order the chains were given.
        return config.allChains.map { c in
            outcomes.first { $0.seed == c.seed && $0.unitStep == c.unitStep && $0.edgeStep == c.edgeStep }!
        }
    }

    /// One unit population of `unitModels` and one edge population of their branches.
    static func runPopulations<Backend: ComputeBackend>(
        backend: Backend, data: Dataset, validation: Dataset?, config: PipelineConfig, start: StateDict.Network? = nil,
        unitModels: [UnitModelPlan],
        progress: ((PipelineProgress) -> Void)?, metrics: ((EpochMetrics) -> Void)? = nil
    ) throws -> [ModelOutcome] {
        let arch = config.arch
        let U = try Population(
            backend: backend, arch: arch, data: data, validation: validation, options: config.training,
            models: unitModels.map { ModelSpec(seed: $0.seed, learningRate: config.learningRate) })
        let PU = U.P
        let all = [Bool](repeating: true, count: PU)
        let compaction = config.compaction && config.training.dropout == 0
        progress?(PipelineProgress(phase: .dense, round: 0, modelsTraining: PU, modelsFinished: 0, modelsTotal: PU, widths: arch.widths, originalWidths: arch.widths))
        let unitIDs = unitModels.map { "s\($0.seed)-u\(percentText($0.unitStep))" }
        if let start {
            for p in 0..<PU {
                try U.setWeights(of: p, start.weights.flatMap { $0 }, biases: start.biases)
                try U.setMasks(of: p, start.masks.flatMap { $0 })
            }
        }
        let unit = try Stage(pop: U, map: UnitMap(identity: arch, models: PU))
        if let metrics { unit.log(ids: unitIDs, to: metrics) }
        // The dense network always trains its full budget; a given starting network is only evaluated.
        let dense = try (start == nil ? U.train(active: all) : U.evaluatedResults(active: all)).map { $0! }

        // MARK: Unit pruning (docs/method.md §3.3)
        try unit.pruner.accept(all)  // the dense network is the first accepted one
        if start != nil && compaction { try unit.compact(dropInputs: true) }  // a pruned start runs at its live widths
        unit.phase = .unit
        let H = arch.hiddenUnits
        var unitSchedules = unitModels.map {
            // P_u = 0 (or no hidden units): no unit pruning; edge pruning starts from the dense or given network.
            $0.unitStep > 0 && H > 0 ? StepSchedule(gradient: $0.unitStep, minStep: 100 / Double(H), rule: config.stepRule) : .skipped
        }
        var hiddenLeft = [Int](repeating: start?.liveHiddenUnits ?? H, count: PU)
        let unitHistory = try runSchedules(
            &unitSchedules, phase: .unit, stage: unit, config: config, progress: progress,
            prune: { try unit.pruner.pruneUnits($0, targets: $1) },
            accepted: { p, _, left in hiddenLeft[p] = left! },
            afterRound: { accepted, _ in if compaction && accepted.contains(true) { try unit.compact(dropInputs: true) } })

        // MARK: Edge pruning (docs/method.md §4): retrain once more, then one branch per P_e.
        progress?(
            PipelineProgress(phase: .base, round: 0, modelsTraining: PU, modelsFinished: 0, modelsTotal: PU, widths: unit.pop.arch.widths, originalWidths: arch.widths))
        (unit.phase, unit.round) = (.base, 0)
        let base = try unit.pop.train(active: all, earlyStop: config.earlyStop).map { $0! }
        let unitEdges = try unit.pruner.edgeCounts()
        let branches = (0..<PU).flatMap { u in unitModels[u].edgeSteps.map { (u: u, pe: $0) } }
        let E = try Population(
            backend: backend, arch: unit.pop.arch, data: unit.pop.data, validation: unit.pop.validation, options: config.training,
            models: branches.map { unit.pop.models[$0.u] }, sharingDataWith: unit.pop)
        let PE = E.P
        for (e, br) in branches.enumerated() {
            try E.setWeights(of: e, try unit.pop.weights(of: br.u), biases: try unit.pop.biases(of: br.u))
            try E.setMasks(of: e, try unit.pop.masks(of: br.u))
            E.sessions[e] = unit.pop.sessions[br.u]
        }
        let edge = try Stage(pop: E, map: unit.map.selecting(branches.map(\.u)))
        edge.phase = .edge
        if config.edgeNormalization == .spread { edge.spreadData = data }
        if let metrics { edge.log(ids: branches.map { "\(unitIDs[$0.u])-e\(percentText($0.pe))" }, to: metrics) }
        let WT = arch.weightCount
        var edgeSchedules = branches.map { br in
            StepSchedule(gradient: br.pe, base: 100 * (1 - Double(unitEdges[br.u]) / Double(WT)), minStep: 100 / Double(WT), rule: config.stepRule)
        }
        var finalAccuracy = branches.map { base[$0.u].accuracy }
        var finishedBefore = [Bool](repeating: false, count: PE)
        let edgeHistory = try runSchedules(
            &edgeSchedules, phase: .edge, stage: edge, config: config, progress: progress,
            prune: {
                try edge.pruner.pruneEdges($0, targets: $1, normalization: config.edgeNormalization); return [Int?](repeating: nil, count: PE)
            },
            accepted: { e, r, _ in finalAccuracy[e] = r.accuracy },
            afterRound: { accepted, finished in
                // A branch that has just finished is final: it leaves the widths to the branches still pruning.
                // Otherwise only an accepted round can shrink anything, so others skip the rebuild.
                let newlyFinished = zip(finished, finishedBefore).contains { $0 && !$1 }
                finishedBefore = finished
                if compaction && (accepted.contains(true) || newlyFinished) { try edge.compact(dropInputs: true, finished: finished) }
            })

        // MARK: Results: masks and weights come back to the host once, at the end, in the original layout.
        let currentEdges = try edge.pruner.edgeCounts()
        return try branches.enumerated().map { e, br in
            let (net, edges) = try edge.final(of: e, edges: currentEdges)
            return ModelOutcome(
                seed: unitModels[br.u].seed, unitStep: unitModels[br.u].unitStep, edgeStep: br.pe, dense: dense[br.u],
                unitAttempts: unitHistory[br.u], unitAccepted: unitSchedules[br.u].acceptedAny,
                hiddenUnitsAfterUnitPruning: hiddenLeft[br.u], base: base[br.u],
                edgeAttempts: edgeHistory[e], edgeAccepted: edgeSchedules[e].acceptedAny,
                accuracy: finalAccuracy[e], edges: edges, weightCount: WT,
                masks: net.masks, weights: net.weights, biases: net.biases)
        }
    }

    /// The prune → retrain → accept/revert rounds of docs/method.md §3.3 and docs/method.md §4 for every model's schedule at
    /// once: each round, the models whose schedules are still running get their next target (a
    /// target ≥ 100 is rejected untried), are pruned by `prune` (returning hidden units left, or nil),
    /// retrained together, and accepted (`accepted(model, result, unitsLeft)`, then kept as the last
    /// accepted network) or reverted. Returns every model's attempts.
    static func runSchedules<Backend: ComputeBackend>(
        _ schedules: inout [StepSchedule], phase: PipelinePhase, stage: Stage<Backend>, config: PipelineConfig,
        progress: ((PipelineProgress) -> Void)?,
        prune: ([Bool], [Double]) throws -> [Int?],
        accepted onAccept: (Int, TrainingResult, Int?) -> Void,
        afterRound: (_ accepted: [Bool], _ finished: [Bool]) throws -> Void = { _, _ in }
    ) throws -> [[PruneAttempt]] {
        let P = stage.pop.P
        var history = [[PruneAttempt]](repeating: [], count: P)
        var round = 0
        while schedules.contains(where: { !$0.finished }) {
            round += 1
            var trying = [Bool](repeating: false, count: P), targets = [Double](repeating: 0, count: P)
            for p in 0..<P where !schedules[p].finished {
                let t = schedules[p].nextTarget()
                if t >= 100 {
                    history[p].append(
                        PruneAttempt(
                            phase: phase, iteration: schedules[p].iteration, target: t, step: schedules[p].step,
                            tried: false, accepted: false))
                    schedules[p].record(target: t, accepted: false)
                } else {
                    trying[p] = true
                    targets[p] = t
                }
            }
            guard trying.contains(true) else { continue }
            let tried = (0..<P).filter { trying[$0] }.map { targets[$0] }
            progress?(
                PipelineProgress(
                    phase: phase, round: round, modelsTraining: tried.count,
                    modelsFinished: schedules.filter(\.finished).count, modelsTotal: P,
                    targets: tried.min()!...tried.max()!, widths: stage.pop.arch.widths, originalWidths: stage.map.original.widths))
            let left = try prune(trying, targets)
            let edges = try stage.pruner.edgeCounts()
            stage.round = round
            let results = try stage.pop.train(active: trying, earlyStop: config.earlyStop)
            var accepted = [Bool](repeating: false, count: P), rejected = accepted
            for p in 0..<P where trying[p] {
                let r = results[p]!
                let ok = r.accuracy >= config.accuracyThreshold
                history[p].append(
                    PruneAttempt(
                        phase: phase, iteration: schedules[p].iteration, target: targets[p], step: schedules[p].step,
                        tried: true, accepted: ok, accuracy: r.accuracy, hiddenUnits: left[p], edges: edges[p]))
                schedules[p].record(target: targets[p], accepted: ok)
                if ok { accepted[p] = true; onAccept(p, r, left[p]) } else { rejected[p] = true }
            }
            try stage.pruner.accept(accepted)
            try stage.pruner.revert(rejected)
            try afterRound(accepted, schedules.map(\.finished))
        }
        return history
    }
}
