// Builtins: the six Boolean function families of docs/method.md §1.2, generated as text in the task format and
// parsed by the same parser as task files.

enum Builtins {
    /// A built-in family: how its names look and how its text is made.
    struct Family: Sendable {
        let pattern: String
        let label: String
        let summary: String
        /// The text and paper label of the member named `name`; nil when `name` is not of this family.
        /// - Throws: `TaskError.badParameter` when the name matches but a parameter is out of range.
        let member: @Sendable (String) throws -> (text: String, label: String)?
    }

    /// docs/method.md §1.2: F1 true on abcd ∈ {0011, 1010, 1100}, F2 on {0101, 1001, 1111}, `a` the MSB.
    static let f1 = "fn F1(a, b, c, d) = minterms(0011, 1010, 1100)  # non-separable (docs/method.md §1.2)"
    static let f2 = "fn F2(a, b, c, d) = minterms(0101, 1001, 1111)  # non-separable (docs/method.md §1.2)"

    static let families: [Family] = [
        Family(
            pattern: "xor-pairs", label: "[4,2,4]",
            summary: "input-separable: h1 = x0⊕x1, h2 = x2⊕x3; y0 = h1, y1 = ¬h1, y2 = h2, y3 = ¬h2"
        ) { name in
            guard name == "xor-pairs" else { return nil }
            return (
                text(
                    header: "xor-pairs, paper label [4,2,4] (docs/method.md §1.2): two input-separable XORs, each used by 2 outputs.",
                    inputs: 4, defs: ["sub h1 = xor(x0, x1)", "sub h2 = xor(x2, x3)"],
                    outputs: ["h1", "not(h1)", "h2", "not(h2)"]), "[4,2,4]"
            )
        },
        Family(
            pattern: "non-modular", label: "[4,1,4]",
            summary: "no modularity: y0 = y1 = y2 = y3 = F1(x0,x1,x2,x3)"
        ) { name in
            guard name == "non-modular" else { return nil }
            return (
                text(
                    header: "non-modular, paper label [4,1,4] (docs/method.md §1.2): one non-separable function of all 4 inputs, copied to 4 outputs.",
                    inputs: 4, defs: [f1, "sub f = F1(x0, x1, x2, x3)"], outputs: Array(repeating: "f", count: 4)), "[4,1,4]"
            )
        },
        Family(
            pattern: "and-or", label: "[6,3,3,3]",
            summary: "separable + reused: A = x0∧x1, B = x2∧x3, C = x4∧x5; y0 = A∨B, y1 = A∨C, y2 = B∨C"
        ) { name in
            guard name == "and-or" else { return nil }
            return (
                text(
                    header: "and-or, paper label [6,3,3,3] (docs/method.md §1.2): 3 input-separable ANDs, each reused by 2 of the 3 output ORs.",
                    inputs: 6,
                    defs: [
                        "sub A = and(x0, x1)", "sub B = and(x2, x3)", "sub C = and(x4, x5)",
                        "sub AB = or(A, B)", "sub AC = or(A, C)", "sub BC = or(B, C)",
                    ],
                    outputs: ["AB", "AC", "BC"]), "[6,3,3,3]"
            )
        },
        Family(
            pattern: "reuse-U", label: "[4,1,2,U]",
            summary: "reused, non-separable (U even ≥ 2): y_even = F1(x)∧x0, y_odd = F1(x)∧x2"
        ) { name in
            guard case .reuse(let u)? = try TaskFamily.parse(name) else { return nil }
            return (
                text(
                    header:
                        "\(name), paper label [4,1,2,\(u)] (docs/method.md §1.2): one non-separable module on all 4 inputs feeding 2 output sub-functions, each used \(u / 2) times.",
                    inputs: 4, defs: [f1, "sub f = F1(x0, x1, x2, x3)", "sub even = and(f, x0)", "sub odd = and(f, x2)"],
                    outputs: alternating("even", "odd", u)), "[4,1,2,\(u)]"
            )
        },
        Family(
            pattern: "overlap-O-U", label: "[8,2,U] [7,3,2,U] [6,3,2,U] [5,3,2,U] [4,1,2,2,U] for O = 0…4",
            summary: "input overlap O = 0…4 (U even ≥ 2), n = 8−O: y_even = F1(x0..x3), y_odd = F2(x(4−O)..x(7−O))"
        ) { name in
            guard case .overlap(let o, let u)? = try TaskFamily.parse(name) else { return nil }
            let window = (4 - o...7 - o).map { "x\($0)" }.joined(separator: ", ")
            return (
                text(
                    header: "\(name), paper label \(overlapLabel(o, u)) (docs/method.md §1.2): F1 and F2 on input windows sharing \(o) inputs, each used \(u / 2) times.",
                    inputs: 8 - o, defs: [f1, f2, "sub f1 = F1(x0, x1, x2, x3)", "sub f2 = F2(\(window))"],
                    outputs: alternating("f1", "f2", u)), overlapLabel(o, u)
            )
        },
        Family(
            pattern: "hierarchy-U", label: "[8,2,1,2,U]",
            summary: "hierarchical (U even ≥ 2): a = F1(x0..x3), b = F2(x4..x7); y_even = a∧¬b, y_odd = ¬a∧b"
        ) { name in
            guard case .hierarchy(let u)? = try TaskFamily.parse(name) else { return nil }
            return (
                text(
                    header: """
                        \(name), paper label [8,2,1,2,\(u)] (docs/method.md §1.2): level 1 F1, F2 on separate inputs; level 2 one intermediate
                        # combining them (mid = a⊕b); level 3 two output sub-functions, each used \(u / 2) times.
                        # even = mid∧a = a∧¬b and odd = mid∧b = ¬a∧b (one bit cannot carry both, hence the edges a→even, b→odd).
                        """,
                    inputs: 8,
                    defs: [
                        f1, f2, "sub a = F1(x0, x1, x2, x3)", "sub b = F2(x4, x5, x6, x7)",
                        "sub mid = xor(a, b)", "sub even = and(mid, a)", "sub odd = and(mid, b)",
                    ],
                    outputs: alternating("even", "odd", u)), "[8,2,1,2,\(u)]"
            )
        },
    ]

    /// The paper's Boolean experiments as (experiment, built-in name) pairs, 39 in all (docs/method.md §10 check 1):
    /// 4 exemplars, reuse and hierarchy at U ∈ {2,4,8,12,16}, overlap at O ∈ 0…4 × U ∈ {2,4,8,12,16}.
    /// NOTE: the exemplar "reused" `[4,1,2,16]` is the same task as reuse U = 16 (docs/method.md §1.2), so the
    /// 39 entries name 38 distinct tables.
    static let paperTasks: [(experiment: String, name: String)] = {
        let us = [2, 4, 8, 12, 16]
        return ["xor-pairs", "reuse-16", "and-or", "non-modular"].map { ("exemplar", $0) }
            + us.map { ("reuse", "reuse-\($0)") }
            + (0...4).flatMap { o in us.map { ("overlap", "overlap-\(o)-\($0)") } }
            + us.map { ("hierarchy", "hierarchy-\($0)") }
    }()

    /// The built-in name of a paper label such as `[4,1,2,16]`; nil when it is none.
    static func name(forLabel label: String) -> String? {
        let parts = label.filter { !"[] ".contains($0) }.split(separator: ",").map { Int($0) }
        guard !parts.isEmpty, parts.allSatisfy({ $0 != nil }) else { return nil }
        let v = parts.map { $0! }
        switch v {
        case [4, 2, 4]: return "xor-pairs"
        case [4, 1, 4]: return "non-modular"
        case [6, 3, 3, 3]: return "and-or"
        default: break
        }
        let u = v.last!, head = Array(v.dropLast())
        switch head {
        case [4, 1, 2]: return "reuse-\(u)"
        case [8, 2, 1, 2]: return "hierarchy-\(u)"
        case [8, 2]: return "overlap-0-\(u)"
        case [7, 3, 2]: return "overlap-1-\(u)"
        case [6, 3, 2]: return "overlap-2-\(u)"
        case [5, 3, 2]: return "overlap-3-\(u)"
        case [4, 1, 2, 2]: return "overlap-4-\(u)"
        default: return nil
        }
    }

    static func overlapLabel(_ o: Int, _ u: Int) -> String {
        ["[8,2,\(u)]", "[7,3,2,\(u)]", "[6,3,2,\(u)]", "[5,3,2,\(u)]", "[4,1,2,2,\(u)]"][o]
    }

    // MARK: - Text generation

    private static func text(header: String, inputs: Int, defs: [String], outputs: [String]) -> String {
        var lines = ["# generated by Sculpt's Tasks module (TaskCatalog); \(header)"]
        lines.append("inputs " + (0..<inputs).map { "x\($0)" }.joined(separator: " "))
        lines += defs
        lines.append("outputs")
        lines += outputs.enumerated().map { "  y\($0.offset) = \($0.element)" }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func alternating(_ even: String, _ odd: String, _ u: Int) -> [String] {
        (0..<u).map { $0 % 2 == 0 ? even : odd }
    }

}
