import Foundation
import SculptCore

/// One (seed, P_u, P_e) chain of the pipeline: a seed's dense network, unit-pruned with step `P_u`, then
/// edge-pruned with step `P_e`.
///
/// By default a pipeline runs every seed × `P_u` × `P_e`. The paper's published runs instead give each
/// seed its own pair (e.g. `[1568,392,392,20]` on MNIST: seed 0 with (10, 0.5), seed 1 with (10, 2), …);
/// `PipelineConfig.chains` runs exactly such a list, still as one unit-pruning and one edge-pruning
/// population.
public struct Chain: Codable, Sendable, Equatable, Hashable {
    public var seed: UInt64
    public var unitStep: Double
    public var edgeStep: Double

    public init(seed: UInt64, unitStep: Double, edgeStep: Double) {
        self.seed = seed
        self.unitStep = unitStep
        self.edgeStep = edgeStep
    }

    /// `0:10:0.5,1:10:2`: comma-separated `seed:P_u:P_e` triples, each distinct.
    /// - Throws: `ListArgumentError` naming the first malformed or repeated triple.
    public static func list(parsing text: String) throws -> [Chain] {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        let chains = try parts.map { part -> Chain in
            let f = part.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            guard f.count == 3, let s = UInt64(f[0]), let u = Double(f[1]), let e = Double(f[2]), u.isFinite, e.isFinite else {
                throw ListArgumentError(description: "'\(part)' is not seed:P_u:P_e (e.g. 0:10:0.5)")
            }
            return Chain(seed: s, unitStep: u, edgeStep: e)
        }
        if let repeated = chains.enumerated().first(where: { i, c in chains[..<i].contains(c) }) {
            throw ListArgumentError(description: "chain \(repeated.element.text) is given twice")
        }
        return chains
    }

    /// `0:10:0.5`, as `list(parsing:)` reads it.
    public var text: String { "\(seed):\(percentText(unitStep)):\(percentText(edgeStep))" }
}

extension Array where Element == Chain {
    /// The distinct seeds, unit steps and edge steps of these chains, each in order of first use.
    public var seeds: [UInt64] { distinct(map(\.seed)) }
    public var unitSteps: [Double] { distinct(map(\.unitStep)) }
    public var edgeSteps: [Double] { distinct(map(\.edgeStep)) }

    private func distinct<T: Hashable>(_ values: [T]) -> [T] {
        var seen = Set<T>()
        return values.filter { seen.insert($0).inserted }
    }
}

/// The unit-pruning models a list of chains needs: one per distinct (seed, `P_u`), in order of first
/// appearance, each with the edge steps of its branches in the order given.
struct UnitModelPlan: Equatable {
    var seed: UInt64
    var unitStep: Double
    var edgeSteps: [Double]

    static func plan(_ chains: [Chain]) -> [UnitModelPlan] {
        var plans: [UnitModelPlan] = []
        for c in chains {
            if let i = plans.firstIndex(where: { $0.seed == c.seed && $0.unitStep == c.unitStep }) {
                plans[i].edgeSteps.append(c.edgeStep)
            } else {
                plans.append(UnitModelPlan(seed: c.seed, unitStep: c.unitStep, edgeSteps: [c.edgeStep]))
            }
        }
        return plans
    }
}
