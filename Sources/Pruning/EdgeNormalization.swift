/// How edge pruning (docs/method.md §4) ranks weights of different layers against each other.
///
/// The paper's rule is one global percentile of the raw magnitudes |w|. docs/method.md §9 item 14 notes that
/// this is biased by layer: the wide first layer has many small weights and the narrow upper layers
/// a few large ones, so the first layer is thinned long before the upper layers lose anything.
/// `.mean` is the optional per-layer normalisation the spec asks for: each weight is ranked by
/// |w| / s_l, where s_l is the mean |w| over the surviving (nonzero) weights of its layer, and one
/// global percentile of those ratios (pruned zeros included, as in docs/method.md §4) sets θ. Weight w of layer l
/// survives iff |w| > θ·s_l, with θ·s_l rounded to Float once; masks stay nested because pruned
/// weights are 0.
public enum EdgeNormalization: String, Codable, Sendable, CaseIterable {
    /// docs/method.md §4: one threshold on |w| over every weight of every layer.
    case none
    /// |w| relative to the mean surviving |w| of its layer, then one global threshold.
    case mean
    /// |w| times the standard deviation of its source over the training rows (`ActivationSpread`), then
    /// one global threshold: an edge is ranked by how much what it adds to its target varies.
    case spread

    /// The per-layer magnitude thresholds of `.mean` for one model: `weights` is the model's flat
    /// weight vector, `layers` the range of each weight layer in it, `percent` the target (percent of
    /// all weights). Weight w of layer l survives iff |w| > result[l].
    public static func meanThresholds(weights: [Float], layers: [Range<Int>], percent: Double) -> [Float] {
        let scales = layers.map { r -> Double in
            var sum = 0.0, n = 0
            for w in weights[r] where w != 0 { sum += Double(abs(w)); n += 1 }
            return n > 0 ? sum / Double(n) : 1  // an empty layer has only zeros: any positive scale ranks them the same
        }
        var ratios: [Double] = []
        ratios.reserveCapacity(weights.count)
        for (l, r) in layers.enumerated() {
            for w in weights[r] { ratios.append(Double(abs(w)) / scales[l]) }
        }
        let theta = Percentile.value(ratios, percent: percent)
        return scales.map { Float(theta * $0) }
    }
}
