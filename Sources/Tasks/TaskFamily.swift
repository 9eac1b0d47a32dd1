/// A built-in task family, parsed from its name alone: the one parser of built-in names, used by the
/// task catalog (to build the truth table) and by the judges (which need nothing else). Names:
/// `xor-pairs`, `non-modular`, `and-or`, `reuse-U`, `overlap-O-U`, `hierarchy-U` (docs/method.md §1.2),
/// and the two-digit vision tasks `mnist-pairs`, `mnist-xor` (docs/method.md §1.4, docs/vision.md).
public enum TaskFamily: Equatable, Sendable {
    case xorPairs  // [4,2,4]
    case nonModular  // [4,1,4]
    case andOr  // [6,3,3,3]
    case reuse(outputs: Int)  // [4,1,2,U]
    case overlap(shared: Int, outputs: Int)  // n = 8 − O inputs
    case hierarchy(outputs: Int)  // [8,2,1,2,U]
    case mnistPairs  // [1568,2,20]
    case mnistXor  // [1568,2,3,3]

    /// Largest U accepted (the paper uses up to 16).
    public static let maxOutputs = 256

    /// A built-in name; nil for anything else (a task file, a ten-class task: no judge then).
    public init?(name: String) {
        guard let f = try? Self.parse(name) else { return nil }
        self = f
    }

    /// - Returns: nil when `name` is not of a family's form at all.
    /// - Throws: `TaskError.badParameter` when it is (e.g. `reuse-…`) but a parameter is malformed or out of range.
    public static func parse(_ name: String) throws -> TaskFamily? {
        switch name {
        case "xor-pairs": return .xorPairs
        case "non-modular": return .nonModular
        case "and-or": return .andOr
        case "mnist-pairs": return .mnistPairs
        case "mnist-xor": return .mnistXor
        default: break
        }
        if let p = try parameters(name, prefix: "reuse", count: 1) { return .reuse(outputs: try outputCount(p[0], name: name)) }
        if let p = try parameters(name, prefix: "hierarchy", count: 1) { return .hierarchy(outputs: try outputCount(p[0], name: name)) }
        if let p = try parameters(name, prefix: "overlap", count: 2) {
            guard (0...4).contains(p[0]) else { throw TaskError(.badParameter, "overlap O must be 0…4 in '\(name)', got \(p[0])") }
            return .overlap(shared: p[0], outputs: try outputCount(p[1], name: name))
        }
        return nil
    }

    /// The numbers after `prefix-` in `name`, or nil when `name` does not start with `prefix-`.
    private static func parameters(_ name: String, prefix: String, count: Int) throws -> [Int]? {
        let parts = name.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.first.map(String.init) == prefix else { return nil }
        let numbers = parts.dropFirst().map { $0.allSatisfy(\.isASCII) ? Int($0) : nil }
        guard numbers.count == count, numbers.allSatisfy({ $0 != nil }) else {
            let shape = ([prefix] + (count == 1 ? ["U"] : ["O", "U"])).joined(separator: "-")
            throw TaskError(.badParameter, "'\(name)' does not match '\(shape)' (numbers, e.g. \(prefix)-\(count == 1 ? "8" : "2-8"))")
        }
        return numbers.map { $0! }
    }

    private static func outputCount(_ u: Int, name: String) throws -> Int {
        guard u >= 2, u % 2 == 0, u <= maxOutputs else {
            throw TaskError(.badParameter, "U must be even, from 2 to \(maxOutputs), in '\(name)'; got \(u)")
        }
        return u
    }

    public var inputs: Int {
        switch self {
        case .xorPairs, .nonModular, .reuse: return 4
        case .andOr: return 6
        case .overlap(let o, _): return 8 - o
        case .hierarchy: return 8
        case .mnistPairs, .mnistXor: return VisionTask.inputCount
        }
    }

    public var outputs: Int {
        switch self {
        case .xorPairs, .nonModular: return 4
        case .andOr: return 3
        case .reuse(let u), .overlap(_, let u), .hierarchy(let u): return u
        case .mnistPairs: return 20
        case .mnistXor: return 3
        }
    }
}
