import SculptCore

/// The spread (standard deviation over a data set) of every unit that feeds a weight layer: the
/// inputs and the hidden units' ReLU outputs. `--edge-norm spread` ranks an edge by `|w| · σ_source`,
/// the standard deviation of what the edge adds to its target over the training rows (its mean can
/// be absorbed by the target's bias, so it is the part that carries information).
///
/// Why: global magnitude ranks |w| alone, and on the two-digit tasks that keeps edges from pixels lit
/// in a fraction of a percent of the images, whose contribution is nearly always 0 (docs/vision.md, "In
/// function the modules are there").
public enum ActivationSpread {
    /// Per feeding layer (0 = inputs, then hidden layers 1 ..< depth), σ of every unit over the rows of
    /// `data`, for the network `weights` (flat, per layer row-major `[n_out][n_in]`, zeros where pruned)
    /// and `biases` (flat). Only nonzero weights are visited, in a fixed order, in Double (Welford's
    /// update per unit), so the result depends on nothing but the arguments.
    public static func standardDeviations(arch: Architecture, weights: [Float], biases: [Float], data: Dataset) -> [[Double]] {
        precondition(weights.count == arch.weightCount && biases.count == arch.biasCount, "weights or biases do not fit \(arch.widths)")
        precondition(data.inputWidth == arch.inputs, "data has \(data.inputWidth) inputs, the network \(arch.inputs)")
        let feeding = arch.depth  // layers whose units feed a weight layer: inputs and every hidden layer
        // Nonzero weights per target unit of each hidden-producing layer (the output layer is not needed).
        var edges: [[[(source: Int, w: Double)]]] = []
        var biasOffset = [Int](repeating: 0, count: arch.depth)
        for l in 1..<arch.depth { biasOffset[l] = biasOffset[l - 1] + arch.widths[l] }
        for l in 0..<(feeding - 1) {
            let nIn = arch.widths[l], off = arch.weightOffset(l)
            edges.append(
                (0..<arch.widths[l + 1]).map { j in
                    (0..<nIn).compactMap { i in
                        let w = weights[off + j * nIn + i]
                        return w != 0 ? (i, Double(w)) : nil
                    }
                })
        }
        var mean = (0..<feeding).map { [Double](repeating: 0, count: arch.widths[$0]) }
        var m2 = mean
        var acts = mean
        for n in 0..<data.count {
            let row = n * data.inputWidth
            for i in 0..<arch.inputs { acts[0][i] = Double(data.inputs[row + i]) }
            for l in 1..<feeding {
                for j in 0..<arch.widths[l] {
                    var z = Double(biases[biasOffset[l - 1] + j])
                    for e in edges[l - 1][j] { z += e.w * acts[l - 1][e.source] }
                    acts[l][j] = max(0, z)
                }
            }
            let k = Double(n + 1)
            for l in 0..<feeding {
                for u in 0..<arch.widths[l] {
                    let x = acts[l][u], d = x - mean[l][u]
                    mean[l][u] += d / k
                    m2[l][u] += d * (x - mean[l][u])
                }
            }
        }
        let count = Double(max(1, data.count))
        return m2.map { $0.map { ($0 / count).squareRoot() } }
    }

    /// Edge-pruning scores `|w| · σ_source` for one network in any layout: `weights` flat per layer
    /// row-major over `arch`, `spreadOfColumn(l, i)` the σ of input column `i` of weight layer `l`.
    public static func scores(arch: Architecture, weights: [Float], spreadOfColumn: (Int, Int) -> Double) -> [Double] {
        var out = [Double](repeating: 0, count: weights.count)
        for l in 0..<arch.depth {
            let nIn = arch.widths[l], off = arch.weightOffset(l)
            let sigma = (0..<nIn).map { spreadOfColumn(l, $0) }
            for k in 0..<(arch.widths[l + 1] * nIn) { out[off + k] = Double(abs(weights[off + k])) * sigma[k % nIn] }
        }
        return out
    }
}
