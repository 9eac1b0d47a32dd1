import SculptCore
import Tasks

/// Accuracy per image pair of the two-digit tasks, beside the per-bit accuracy that pruning decisions
/// use: per-bit accuracy alone hides weak networks (one that outputs all zeros on `mnist-pairs` scores
/// 90 % per bit and recognises no digit). For `mnist-pairs` a digit counts as recognised when the
/// argmax of its ten outputs is the digit (outputs 0–9 the left digit, 10–19 the right); for
/// `mnist-xor` a pair counts when all three output bits are right.
public struct DigitAccuracy: Codable, Sendable, Equatable {
    /// Percent of pairs whose left digit is recognised (`mnist-pairs` only).
    public var left: Double?
    /// Percent of pairs whose right digit is recognised (`mnist-pairs` only).
    public var right: Double?
    /// Percent of pairs entirely right: both digits (`mnist-pairs`), all three bits (`mnist-xor`).
    public var both: Double

    public init(left: Double? = nil, right: Double? = nil, both: Double) {
        self.left = left
        self.right = right
        self.both = both
    }

    /// The accuracies of one masked network on `data`, computed on the host over its surviving edges
    /// (so the cost follows the pruned network); nil for tasks that are not two-digit tasks.
    public static func measure(
        task: String, arch: Architecture, weights: [[Float]], biases: [Float], masks: [[Float]], data: Dataset
    ) -> DigitAccuracy? {
        guard let kind = VisionTaskKind(name: task), data.count > 0, arch.outputs == kind.outputCount else { return nil }
        let net = SparseNetwork(arch: arch, weights: weights, biases: biases, masks: masks)
        var left = 0, right = 0, both = 0
        let m = arch.outputs
        for s in 0..<data.count {
            let z = net.outputs(Array(data.inputs[(s * arch.inputs)..<((s + 1) * arch.inputs)]))
            let y = data.targets[(s * m)..<((s + 1) * m)].map { $0 }
            switch kind {
            case .pairs:
                let l = argmax(z[0..<10]) == argmax(y[0..<10]), r = argmax(z[10..<20]) == argmax(y[10..<20])
                left += l ? 1 : 0
                right += r ? 1 : 0
                both += l && r ? 1 : 0
            case .xor:
                both += zip(z, y).allSatisfy { ($0 > 0) == ($1 > 0.5) } ? 1 : 0
            }
        }
        let pct = { (k: Int) in 100 * Double(k) / Double(data.count) }
        return kind == .pairs ? DigitAccuracy(left: pct(left), right: pct(right), both: pct(both)) : DigitAccuracy(both: pct(both))
    }

    /// "left 97.1 %, right 96.8 %, both 94.0 %" or "all bits 91.2 %".
    public var text: String {
        if let left, let right { return String(format: "left %.1f%%, right %.1f%%, both %.1f%%", left, right, both) }
        return String(format: "all bits %.1f%%", both)
    }

    /// Position of the first largest value within the slice.
    static func argmax(_ v: ArraySlice<Float>) -> Int {
        var best = v.startIndex
        for i in v.indices where v[i] > v[best] { best = i }
        return best - v.startIndex
    }
}

/// A masked MLP's forward pass on the host over its live edges only (ReLU hidden layers, raw logits).
struct SparseNetwork {
    /// Per layer: (output unit, input unit, weight) of every live edge, and the biases.
    let layers: [(edges: [(Int, Int, Float)], bias: ArraySlice<Float>, width: Int)]

    init(arch: Architecture, weights: [[Float]], biases: [Float], masks: [[Float]]) {
        var layers: [(edges: [(Int, Int, Float)], bias: ArraySlice<Float>, width: Int)] = []
        var offset = 0
        for l in 0..<arch.depth {
            let (nOut, nIn) = arch.shape(l)
            var edges: [(Int, Int, Float)] = []
            for j in 0..<nOut {
                for i in 0..<nIn where masks[l][j * nIn + i] != 0 { edges.append((j, i, weights[l][j * nIn + i])) }
            }
            layers.append((edges, biases[offset..<(offset + nOut)], nOut))
            offset += nOut
        }
        self.layers = layers
    }

    func outputs(_ input: [Float]) -> [Float] {
        var a = input
        for (l, layer) in layers.enumerated() {
            var z = Array(layer.bias)
            for (j, i, w) in layer.edges { z[j] += w * a[i] }
            a = l < layers.count - 1 ? z.map { max($0, 0) } : z
        }
        return a
    }
}
