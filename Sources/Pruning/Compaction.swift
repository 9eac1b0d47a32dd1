import SculptCore
import Training

/// Where each unit of a compacted population sits in the original network: per model and hidden
/// layer, the original index of every compact unit. Files always use the original numbering; the
/// population only ever holds the compact one.
public struct UnitMap: Sendable, Equatable {
    /// The network as configured.
    public let original: Architecture
    /// `units[p][h][k]`: the original index (within hidden layer h + 1) of unit k of that layer.
    public internal(set) var units: [[[Int]]]
    /// The original index of every input column the population still reads (shared by its models,
    /// which share one copy of the data).
    public internal(set) var inputs: [Int]

    /// Every unit where it started.
    public init(identity arch: Architecture, models: Int) {
        original = arch
        let hidden = Array(arch.widths.dropFirst().dropLast())
        units = Array(repeating: hidden.map { Array(0..<$0) }, count: models)
        inputs = Array(0..<arch.inputs)
    }

    init(original: Architecture, units: [[[Int]]], inputs: [Int]) {
        self.original = original
        self.units = units
        self.inputs = inputs
    }

    /// The maps of `models`, in that order (edge branches take their unit model's map).
    func selecting(_ models: [Int]) -> UnitMap { UnitMap(original: original, units: models.map { units[$0] }, inputs: inputs) }

    /// The compact architecture: the inputs still read, the compact hidden widths, the original outputs.
    public var arch: Architecture {
        try! Architecture([inputs.count] + (units.first ?? []).map(\.count) + [original.outputs])
    }

    /// Weights of the original network that the compact one does not hold (all of them zero).
    public var droppedWeights: Int { original.weightCount - arch.weightCount }

    /// Original index of every row (outputs) and column (inputs) of compact weight layer `l` of model `p`.
    func layerMaps(_ l: Int, model p: Int) -> (rows: [Int], columns: [Int]) {
        let depth = original.depth
        let columns = l == 0 ? inputs : units[p][l - 1]
        let rows = l == depth - 1 ? Array(0..<original.outputs) : units[p][l]
        return (rows, columns)
    }

    /// Model `p`'s compact weights (or masks), all layers concatenated, in the original layout; what
    /// the compact network lacks is zero.
    public func expand(weights flat: [Float], model p: Int) -> [Float] {
        let a = arch
        var out = [Float](repeating: 0, count: original.weightCount)
        for l in 0..<original.depth {
            let (rows, columns) = layerMaps(l, model: p)
            let nIn0 = original.widths[l], off0 = original.weightOffset(l), off = a.weightOffset(l), nIn = a.widths[l]
            for (j, oj) in rows.enumerated() {
                for (i, oi) in columns.enumerated() { out[off0 + oj * nIn0 + oi] = flat[off + j * nIn + i] }
            }
        }
        return out
    }

    /// Model `p`'s compact biases, all layers concatenated, in the original layout.
    public func expand(biases flat: [Float], model p: Int) -> [Float] {
        let a = arch
        var out = [Float](repeating: 0, count: original.biasCount)
        for l in 0..<original.depth {
            let rows = layerMaps(l, model: p).rows
            for (j, oj) in rows.enumerated() { out[original.biasOffset(l) + oj] = flat[a.biasOffset(l) + j] }
        }
        return out
    }

    /// Model `p`'s compact hidden-unit values (e.g. unit scores), in the original layout; zero elsewhere.
    func expand(hidden flat: [Float], model p: Int) -> [Float] {
        var out = [Float](repeating: 0, count: original.hiddenUnits)
        var off = 0, off0 = 0
        for (h, layer) in units[p].enumerated() {
            for (k, u) in layer.enumerated() { out[off0 + u] = flat[off + k] }
            off += layer.count
            off0 += original.widths[h + 1]
        }
        return out
    }

    /// Original-layout hidden-unit flags of model `p`, read at its compact units.
    func compact(hidden flags: [Bool], model p: Int) -> [Bool] {
        var out: [Bool] = []
        var off0 = 0
        for (h, layer) in units[p].enumerated() {
            out += layer.map { flags[off0 + $0] }
            off0 += original.widths[h + 1]
        }
        return out
    }
}

/// Rebuilding a population at the widths its models still use.
public enum Compaction {
    /// A hidden unit is live when any weight into or out of it survives; pruned units have neither,
    /// hold zeros and score 0, so dropping them changes no sum, no score and no percentile.
    static func liveUnits(masks: [Float], arch: Architecture) -> [[Int]] {
        (1..<arch.depth).map { h in
            let (nIn, nOut) = (arch.widths[h - 1], arch.widths[h])
            let nNext = arch.widths[h + 1]
            let inOff = arch.weightOffset(h - 1), outOff = arch.weightOffset(h)
            return (0..<nOut).filter { k in
                (0..<nIn).contains { masks[inOff + k * nIn + $0] != 0 } || (0..<nNext).contains { masks[outOff + $0 * nOut + k] != 0 }
            }
        }
    }

    /// `map` after keeping, per model and hidden layer, the compact units `kept[p][h]` in that order.
    public static func compactedMap(_ map: UnitMap, keeping kept: [[[Int]]], inputs: [Int]? = nil) -> UnitMap {
        UnitMap(
            original: map.original, units: kept.enumerated().map { p, layers in layers.enumerated().map { h, k in k.map { map.units[p][h][$0] } } },
            inputs: (inputs ?? Array(map.inputs.indices)).map { map.inputs[$0] })
    }

    /// Input columns any model still reads (any surviving weight out of them).
    static func liveInputs(masks: [[Float]], arch: Architecture) -> [Int] {
        let nIn = arch.inputs, nOut = arch.widths[1]
        return (0..<nIn).filter { i in masks.contains { m in (0..<nOut).contains { m[$0 * nIn + i] != 0 } } }
    }

    /// `pop` rebuilt at the largest live width per hidden layer over its models (a model with fewer
    /// live units keeps some of its pruned units as masked padding), with `map` updated; nil when no
    /// layer would shrink. The data stays where it is on the device; weights, biases, masks and
    /// training sessions move with their units (Adam state and snapshots start afresh with every
    /// training, so nothing else carries over between rounds).
    ///
    /// With `dropInputs`, input columns no model reads any more leave the device copy of the data too
    /// (one new upload); only without input noise, whose random stream is keyed by column.
    ///
    /// Models flagged in `excluding` (finished ones, whose networks the caller has kept elsewhere) do
    /// not count towards the widths or the columns; they keep only what fits, and must not be read again.
    public static func compact<B: ComputeBackend>(
        _ pop: Population<B>, map: UnitMap, dropInputs: Bool = false, excluding: [Bool] = []
    ) throws -> (Population<B>, UnitMap)? {
        let arch = pop.arch, P = pop.P
        let counted = (0..<P).filter { p in !(excluding.indices.contains(p) && excluding[p]) }
        guard !counted.isEmpty else { return nil }
        let masks = try (0..<P).map { try pop.masks(of: $0) }
        let live = masks.map { liveUnits(masks: $0, arch: arch) }
        let widths = (0..<arch.depth - 1).map { h in max(1, counted.map { live[$0][h].count }.max() ?? 1) }
        var columns = Array(0..<arch.inputs)
        if dropInputs && pop.options.noise == 0 {
            let liveColumns = liveInputs(masks: counted.map { masks[$0] }, arch: arch)
            if !liveColumns.isEmpty { columns = liveColumns }
        }
        guard widths != Array(arch.widths.dropFirst().dropLast()) || columns.count < arch.inputs else { return nil }
        // Per model and hidden layer, the compact units kept: the live ones, then pruned ones as padding.
        let kept = (0..<P).map { p in
            (0..<arch.depth - 1).map { h -> [Int] in
                let l = live[p][h], dead = (0..<arch.widths[h + 1]).filter { !Set(l).contains($0) }
                return Array((l + dead).prefix(widths[h]))
            }
        }
        let newMap = compactedMap(map, keeping: kept, inputs: columns)
        let newArch = try Architecture([columns.count] + widths + [arch.outputs])
        let sameInputs = columns.count == arch.inputs
        let next = try Population(
            backend: pop.backend, arch: newArch, data: sameInputs ? pop.data : pop.data.selectingInputs(columns),
            validation: sameInputs ? pop.validation : pop.validation.selectingInputs(columns), options: pop.options, models: pop.models,
            sharingDataWith: sameInputs ? pop : nil)
        var allW = [Float](), allM = [Float](), allB = [Float]()
        allW.reserveCapacity(P * newArch.weightCount)
        allM.reserveCapacity(P * newArch.weightCount)
        for p in 0..<P {
            let w = try pop.weights(of: p), b = try pop.biases(of: p)
            for l in 0..<arch.depth {
                let cols = l == 0 ? columns : kept[p][l - 1]
                let rows = l == arch.depth - 1 ? Array(0..<arch.outputs) : kept[p][l]
                let off = arch.weightOffset(l), nIn = arch.widths[l]
                for j in rows {
                    for i in cols {
                        allW.append(w[off + j * nIn + i])
                        allM.append(masks[p][off + j * nIn + i])
                    }
                }
            }
            for l in 0..<arch.depth {
                let rows = l == arch.depth - 1 ? Array(0..<arch.outputs) : kept[p][l]
                allB += rows.map { b[arch.biasOffset(l) + $0] }
            }
        }
        // One write per array for the whole population, then the bias masks and the masking once.
        try pop.backend.write(allW, to: next.W, offset: 0)
        try pop.backend.write(allB, to: next.bias, offset: 0)
        try pop.backend.write(allM, to: next.mask, offset: 0)
        try next.deriveBiasMasks()
        try next.applyMasks(all: true)
        next.sessions = pop.sessions
        return (next, newMap)
    }
}
