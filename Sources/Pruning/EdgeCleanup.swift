import Foundation
import SculptCore

/// `sculpt run --cleanup`: after edge pruning, removes the surviving edges that the network does not
/// need, judged by the loss rather than by magnitude (docs/vision.md "Cleanup").
///
/// Why: the method's rule ranks edges by |w|, so an edge that only carries a constant (a unit that is
/// always on, used as an extra bias) or noise that other edges cancel survives as long as its weight
/// is large. Reachability-based module detection (docs/method.md §9 item 17) then counts it in full.
///
/// What holds: an edge (i → j) is removed only when, with `w · mean(h_i)` (its mean contribution over
/// the training split) folded into the bias of `j`, the validation loss does not rise and the
/// validation accuracy stays at or above `min(threshold, accuracy before the cleanup)`. Every pass
/// scores all surviving edges on the current network, then tries them from the most negative loss
/// change up (ties: layer, target, source), re-scoring each on the network as it is by then. Passes
/// repeat until one removes nothing. Host-side, in Double; BCE outputs with per-bit accuracy only.
public enum EdgeCleanup {
    public struct Result: Sendable {
        public var masks: [[Float]]
        public var biases: [Float]
        /// Removed edges as (layer, target unit, source unit), in removal order.
        public var removed: [(layer: Int, target: Int, source: Int)]
        public var lossBefore: Double, lossAfter: Double
        public var accuracyBefore: Double, accuracyAfter: Double
        public var passes: Int
    }

    /// - Parameters: `weights`/`masks` per layer row-major `[n_out][n_in]`, `biases` all layers
    ///   concatenated (ModelOutcome's layout); `threshold` in percent.
    public static func run(
        arch: Architecture, weights: [[Float]], biases: [Float], masks: [[Float]],
        train: Dataset, validation: Dataset, threshold: Double
    ) -> Result {
        var net = SparseNet(arch: arch, weights: weights, biases: biases, masks: masks)
        let used = (0..<arch.inputs).map { i in (0..<arch.widths[1]).contains { masks[0][$0 * arch.inputs + i] != 0 } }
        let val = Columns(validation, inputs: used)
        let trainCols = Columns(train, inputs: used)
        var state = net.evaluate(val)
        let before = state
        let floor = min(threshold, state.accuracy)
        let tolerance = 1e-12 * max(1, state.lossSum)
        var removed: [(layer: Int, target: Int, source: Int)] = []
        var passes = 0
        while true {
            passes += 1
            var means = net.means(trainCols)
            var scored: [(delta: Double, edge: SparseNet.Edge)] = []
            for e in net.edges() {
                let t = net.tryRemoving(e, fold: means[e.layer][e.source], state: state, data: val)
                if t.lossSum - state.lossSum <= tolerance { scored.append((t.lossSum - state.lossSum, e)) }
            }
            scored.sort { ($0.delta, $0.edge) < ($1.delta, $1.edge) }
            var acceptedThisPass = 0
            for (_, e) in scored {
                let t = net.tryRemoving(e, fold: means[e.layer][e.source], state: state, data: val)
                guard t.lossSum - state.lossSum <= tolerance, t.accuracy >= floor else { continue }
                net.remove(e, fold: means[e.layer][e.source])
                removed.append((e.layer, e.target, e.source))
                acceptedThisPass += 1
                state = net.evaluate(val)
                means = net.means(trainCols)
            }
            if acceptedThisPass == 0 { break }
        }
        return Result(
            masks: net.denseMasks(), biases: net.flatBiases(), removed: removed,
            lossBefore: before.meanLoss, lossAfter: state.meanLoss,
            accuracyBefore: before.accuracy, accuracyAfter: state.accuracy, passes: passes)
    }
}

/// A data split as one Double column per input (`x[i][n]`), with its targets the same way. Inputs
/// that no edge reads stay empty (a pruned vision network reads a few hundred of 1,568 pixels).
struct Columns {
    let x: [[Double]]
    let y: [[Double]]
    let count: Int

    init(_ d: Dataset, inputs used: [Bool]) {
        count = d.count
        var x = (0..<d.inputWidth).map { used[$0] ? [Double](repeating: 0, count: d.count) : [] }
        var y = [[Double]](repeating: [Double](repeating: 0, count: d.count), count: d.outputWidth)
        for n in 0..<d.count {
            for i in 0..<d.inputWidth where used[i] { x[i][n] = Double(d.inputs[n * d.inputWidth + i]) }
            for k in 0..<d.outputWidth { y[k][n] = Double(d.targets[n * d.outputWidth + k]) }
        }
        self.x = x
        self.y = y
    }
}

/// A masked MLP held as edge lists, with ReLU hidden layers and linear outputs (BCE on top).
struct SparseNet {
    struct Edge: Comparable {
        let layer: Int, target: Int, source: Int
        static func < (a: Edge, b: Edge) -> Bool { (a.layer, a.target, a.source) < (b.layer, b.target, b.source) }
    }

    /// Validation activations of every layer (`h[l][unit][n]`; `h[0]` aliases the inputs, the last
    /// layer holds the logits), the pre-activations `z[l]` of layers 1…L (`z[0]` is unused), and
    /// per-output loss sums and correct counts.
    struct State {
        var h: [[[Double]]]
        var z: [[[Double]]]
        var outputLoss: [Double]
        var outputCorrect: [Int]
        var count: Int
        var lossSum: Double { outputLoss.reduce(0, +) }
        var meanLoss: Double { lossSum / Double(max(1, count * outputLoss.count)) }
        var accuracy: Double { 100 * Double(outputCorrect.reduce(0, +)) / Double(max(1, count * outputCorrect.count)) }
    }

    let arch: Architecture
    /// `w[l][target][source]`, `live[l][target][source]`, `b[l][target]`.
    var w: [[[Double]]]
    var live: [[[Bool]]]
    var b: [[Double]]

    init(arch: Architecture, weights: [[Float]], biases: [Float], masks: [[Float]]) {
        self.arch = arch
        var w: [[[Double]]] = [], live: [[[Bool]]] = [], b: [[Double]] = []
        var offset = 0
        for l in 0..<arch.depth {
            let (nOut, nIn) = arch.shape(l)
            w.append((0..<nOut).map { j in (0..<nIn).map { Double(weights[l][j * nIn + $0]) } })
            live.append((0..<nOut).map { j in (0..<nIn).map { masks[l][j * nIn + $0] != 0 } })
            b.append((0..<nOut).map { Double(biases[offset + $0]) })
            offset += nOut
        }
        self.w = w
        self.live = live
        self.b = b
    }

    func edges() -> [Edge] {
        var out: [Edge] = []
        for l in 0..<arch.depth {
            for (j, row) in live[l].enumerated() {
                for (i, on) in row.enumerated() where on { out.append(Edge(layer: l, target: j, source: i)) }
            }
        }
        return out
    }

    /// Pre-activations of unit `j` of layer `l + 1` from the layer below.
    private func preActivation(_ l: Int, _ j: Int, below: [[Double]], count: Int) -> [Double] {
        var z = [Double](repeating: b[l][j], count: count)
        for (i, on) in live[l][j].enumerated() where on {
            let wi = w[l][j][i]
            let x = below[i]
            for n in 0..<count { z[n] += wi * x[n] }
        }
        return z
    }

    /// Post- and pre-activations of every layer (the top layer's are both the logits).
    private func activations(_ data: Columns) -> (h: [[[Double]]], z: [[[Double]]]) {
        var h: [[[Double]]] = [data.x], z: [[[Double]]] = [[]]
        for l in 0..<arch.depth {
            z.append((0..<arch.widths[l + 1]).map { preActivation(l, $0, below: h[l], count: data.count) })
            h.append(l == arch.depth - 1 ? z[l + 1] : z[l + 1].map { $0.map { max(0, $0) } })
        }
        return (h, z)
    }

    /// Mean activation of every unit of every layer but the outputs over `data`: `means[l][i]` is the
    /// source `i` of layer `l`'s edges.
    func means(_ data: Columns) -> [[Double]] {
        activations(data).h.dropLast().map { layer in layer.map { $0.reduce(0, +) / Double(max(1, data.count)) } }
    }

    static func outputStats(_ z: [Double], _ y: [Double]) -> (loss: Double, correct: Int) {
        var loss = 0.0, correct = 0
        for n in 0..<z.count {
            let v = z[n], t = y[n]
            loss += max(v, 0) - v * t + log1p(exp(-abs(v)))
            if (v > 0) == (t > 0.5) { correct += 1 }
        }
        return (loss, correct)
    }

    func evaluate(_ data: Columns) -> State {
        let (h, z) = activations(data)
        let stats = (0..<arch.outputs).map { Self.outputStats(h[arch.depth][$0], data.y[$0]) }
        return State(h: h, z: z, outputLoss: stats.map(\.loss), outputCorrect: stats.map(\.correct), count: data.count)
    }

    /// The loss sum and accuracy with `e` removed and `fold` (the mean of its source) times its weight
    /// added to its target's bias, propagating only the units that change.
    func tryRemoving(_ e: Edge, fold: Double, state: State, data: Columns) -> (lossSum: Double, accuracy: Double) {
        let N = state.count, L = arch.depth
        let we = w[e.layer][e.target][e.source]
        let src = state.h[e.layer][e.source]
        // Changed units of layer e.layer + 1: new values (post-activation, or logits at the top).
        var z = state.z[e.layer + 1][e.target]
        for n in 0..<N { z[n] -= we * (src[n] - fold) }
        var changed: [Int: [Double]] = [e.target: e.layer + 1 == L ? z : z.map { max(0, $0) }]
        var layer = e.layer + 1
        while layer < L {
            var next: [Int: [Double]] = [:]
            for (u, newH) in changed {
                let oldH = state.h[layer][u]
                var delta = [Double](repeating: 0, count: N)
                var any = false
                for n in 0..<N { delta[n] = newH[n] - oldH[n]; if delta[n] != 0 { any = true } }
                guard any else { continue }
                for k in 0..<arch.widths[layer + 1] where live[layer][k][u] {
                    let wk = w[layer][k][u]
                    var acc = next[k] ?? state.z[layer + 1][k]
                    for n in 0..<N { acc[n] += wk * delta[n] }
                    next[k] = acc
                }
            }
            layer += 1
            changed = layer == L ? next : next.mapValues { $0.map { max(0, $0) } }
        }
        var lossSum = state.lossSum
        var correct = state.outputCorrect.reduce(0, +)
        for (k, zk) in changed {
            let s = Self.outputStats(zk, data.y[k])
            lossSum += s.loss - state.outputLoss[k]
            correct += s.correct - state.outputCorrect[k]
        }
        return (lossSum, 100 * Double(correct) / Double(max(1, N * arch.outputs)))
    }

    mutating func remove(_ e: Edge, fold: Double) {
        b[e.layer][e.target] += w[e.layer][e.target][e.source] * fold
        live[e.layer][e.target][e.source] = false
    }

    func denseMasks() -> [[Float]] { live.map { $0.flatMap { $0.map { $0 ? Float(1) : 0 } } } }
    func flatBiases() -> [Float] { b.flatMap { $0.map(Float.init) } }
}
