/// Layer widths `[n0, n1, …, nL]` of an MLP: `n0` inputs, `nL` outputs, `L` weight layers.
/// Shapes and layouts: docs/layout.md "Conventions".
public struct Architecture: Hashable, Codable, Sendable, CustomStringConvertible {
    public let widths: [Int]

    /// - Throws: `ArchitectureError` when there are fewer than two layers or a width is below 1.
    public init(_ widths: [Int]) throws {
        guard widths.count >= 2 else { throw ArchitectureError.tooFewLayers(widths) }
        if let bad = widths.firstIndex(where: { $0 < 1 }) {
            throw ArchitectureError.badWidth(widths, layer: bad)
        }
        // Kernels index one model's weights with 32-bit integers.
        var weights = 0
        for l in 0..<widths.count - 1 {
            let (product, o1) = widths[l].multipliedReportingOverflow(by: widths[l + 1])
            let (sum, o2) = weights.addingReportingOverflow(product)
            guard !o1, !o2, sum <= Self.maxWeights else { throw ArchitectureError.tooLarge(widths) }
            weights = sum
        }
        self.widths = widths
    }

    /// Parses `"4,24,4"` (also accepts `[4, 24, 4]` and spaces).
    public init(parsing text: String) throws {
        let cleaned = text.filter { !"[] ".contains($0) }
        var widths: [Int] = []
        for part in cleaned.split(separator: ",", omittingEmptySubsequences: false) {
            guard let n = Int(part) else { throw ArchitectureError.unparsable(text) }
            widths.append(n)
        }
        try self.init(widths)
    }

    /// The most weights one model may have (kernels index them with 32-bit integers).
    public static let maxWeights = Int(Int32.max)

    /// Number of weight layers `L`.
    public var depth: Int { widths.count - 1 }
    public var inputs: Int { widths[0] }
    public var outputs: Int { widths[widths.count - 1] }
    /// `H`: hidden units over all hidden layers.
    public var hiddenUnits: Int { widths.dropFirst().dropLast().reduce(0, +) }
    /// Weights of all layers (biases excluded): `Σ n_l n_{l+1}`.
    public var weightCount: Int { (0..<depth).reduce(0) { $0 + widths[$1] * widths[$1 + 1] } }
    /// Biases of all layers: `Σ n_{l+1}`.
    public var biasCount: Int { widths.dropFirst().reduce(0, +) }
    /// Shape `(out, in)` of weight layer `l`.
    public func shape(_ l: Int) -> (out: Int, in: Int) { (widths[l + 1], widths[l]) }
    /// Offset of weight layer `l` inside one model's concatenated weights.
    public func weightOffset(_ l: Int) -> Int { (0..<l).reduce(0) { $0 + widths[$1] * widths[$1 + 1] } }
    /// Offset of bias layer `l` inside one model's concatenated biases.
    public func biasOffset(_ l: Int) -> Int { widths[1...].prefix(l).reduce(0, +) }

    public var description: String { Self.text(widths) }

    /// `[4,24,4]`: widths as Sculpt prints them.
    public static func text(_ widths: [Int]) -> String { "[" + widths.map(String.init).joined(separator: ",") + "]" }
}

public enum ArchitectureError: Error, CustomStringConvertible, Equatable {
    case tooFewLayers([Int])
    case badWidth([Int], layer: Int)
    case unparsable(String)
    case tooLarge([Int])

    public var description: String {
        switch self {
        case .tooFewLayers(let w): return "architecture \(w) needs at least an input and an output layer"
        case .badWidth(let w, let l): return "architecture \(w): layer \(l) has width \(w[l]); every width must be at least 1"
        case .unparsable(let t): return "cannot read architecture '\(t)': expected widths separated by commas, e.g. 4,24,4"
        case .tooLarge(let w): return "architecture \(w) has more than \(Architecture.maxWeights) weights per model"
        }
    }
}
