// FunctionGraph: the ground-truth structure of a task, which the module-detection judges compare against.

/// The function graph of a Boolean task: its sub-functions (the `sub` definitions of the task text,
/// plus one implicit sub-function per distinct compound output expression), what each reads, and which
/// sub-function every output is a copy of.
///
/// What holds: sub-function ids are indices into `subFunctions` (declaration order, implicit ones last);
/// input ids are indices into `inputNames`, output ids indices into `outputNames`; every id list is
/// ascending and duplicate-free; the graph is acyclic; every sub-function reaches at least one output.
/// Outputs that are copies of the same function share one sub-function id (`outputs[k].function`).
public struct FunctionGraph: Sendable, Equatable {
    /// One sub-function (a node of the graph).
    public struct SubFunction: Sendable, Equatable {
        /// The `sub` name; for an implicit sub-function, the name of the first output that uses it.
        public let name: String
        /// Its definition as canonical text, e.g. `F1(x0, x1, x2, x3)` or `and(mid, a)`.
        public let definition: String
        /// Inputs it reads directly (not through another sub-function).
        public let directInputs: [Int]
        /// Sub-functions it reads directly: the edges `source → self`.
        public let sources: [Int]
        /// Every input it depends on, directly or through its sources (its input window).
        public let inputs: [Int]
        /// 1 when it reads no other sub-function, else 1 + the largest level among `sources`.
        public let level: Int
        /// True when it was made for an output expression rather than declared with `sub`.
        public let isImplicit: Bool
    }

    /// Output `k` is the sub-function `function`, complemented when `negated` (`y = not(h)`).
    public struct OutputBinding: Sendable, Equatable {
        public let function: Int
        public let negated: Bool

        public init(function: Int, negated: Bool) {
            self.function = function
            self.negated = negated
        }
    }

    /// `n` input names; input id `i` is `inputNames[i]`.
    public let inputNames: [String]
    /// `m` output names; output id `k` is `outputNames[k]`.
    public let outputNames: [String]
    /// The nodes: `sub`s in declaration order, then implicit ones in order of first use.
    public let subFunctions: [SubFunction]
    /// One per output, in output order.
    public let outputs: [OutputBinding]
    /// The `fn` definitions of the task text as written canonically, e.g. `F1(a, b, c, d) = minterms(0011, 1010, 1100)`.
    /// They are templates, not nodes: each use inside a `sub` belongs to that sub-function.
    public let functionDefinitions: [String]

    // MARK: - Derived structure

    /// Number of levels: the largest `level` (0 for a graph without sub-functions).
    public var levelCount: Int { subFunctions.map(\.level).max() ?? 0 }

    /// Sub-functions that read `function` directly.
    public func consumers(of function: Int) -> [Int] {
        subFunctions.indices.filter { subFunctions[$0].sources.contains(function) }
    }

    /// Outputs that are copies of `function` (negated or not).
    public func copies(of function: Int) -> [Int] {
        outputs.indices.filter { outputs[$0].function == function }
    }

    /// Outputs that depend on `function`, as a copy or through other sub-functions.
    public func outputsDepending(on function: Int) -> [Int] {
        outputs.indices.filter { dependsOn(outputs[$0].function, function) }
    }

    /// Sub-functions whose input window contains `input`.
    public func subFunctionsReading(input: Int) -> [Int] {
        subFunctions.indices.filter { subFunctions[$0].inputs.contains(input) }
    }

    /// True when `a == b` or `a` reads `b` directly or transitively.
    public func dependsOn(_ a: Int, _ b: Int) -> Bool {
        a == b || subFunctions[a].sources.contains { dependsOn($0, b) }
    }

    /// Sub-functions some output is a copy of.
    public var outputFunctions: [Int] { Array(Set(outputs.map(\.function))).sorted() }

    /// Intermediate sub-functions: above level 1 and not copied to any output
    /// (in `hierarchy-U`, the one sub-function combining F1 and F2).
    public var intermediates: [Int] {
        let out = Set(outputs.map(\.function))
        return subFunctions.indices.filter { subFunctions[$0].level > 1 && !out.contains($0) }
    }

    /// Inputs grouped by the set of level-1 sub-functions whose window contains them, in order of
    /// their first input; inputs no level-1 sub-function reads are grouped by the set of sub-functions
    /// reading them directly. For `overlap-O-U` with 0 < O < 4 this gives {only F1}, {both}, {only F2};
    /// for `hierarchy-U` {x0…x3}, {x4…x7}. Inputs read by nothing are left out.
    public var inputGroups: [[Int]] {
        let level1 = subFunctions.indices.filter { subFunctions[$0].level == 1 }
        var keys: [[Int]] = []
        var groups: [[Int]] = []
        for i in inputNames.indices {
            var key = level1.filter { subFunctions[$0].inputs.contains(i) }
            if key.isEmpty { key = subFunctions.indices.filter { subFunctions[$0].directInputs.contains(i) }.map { -1 - $0 } }
            if key.isEmpty { continue }
            if let g = keys.firstIndex(of: key) { groups[g].append(i) } else { keys.append(key); groups.append([i]) }
        }
        return groups
    }

    /// Outputs grouped by the sub-function they copy (negation ignored), in order of their first output.
    /// For `reuse-U` this is {even outputs}, {odd outputs}; for `xor-pairs` {y0, y1}, {y2, y3}.
    public var outputGroups: [[Int]] {
        var order: [Int] = []
        var groups: [Int: [Int]] = [:]
        for (k, b) in outputs.enumerated() {
            if groups[b.function] == nil { order.append(b.function) }
            groups[b.function, default: []].append(k)
        }
        return order.map { groups[$0]! }
    }
}
