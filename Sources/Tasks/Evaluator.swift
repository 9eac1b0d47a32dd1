// Evaluator: the truth table of a compiled task, every row in counting order (x0 = MSB of the row).

enum Evaluator {
    /// Output bits, row-major: `table[r * m + k]` is output `k` of row `r` (`m` outputs, `2^n` rows).
    static func truthTable(_ task: CompiledTask) -> [Bool] {
        let n = task.graph.inputNames.count
        let rows = 1 << n
        var nodes = [[Bool]](repeating: [], count: task.nodeTerms.count)
        for id in task.evaluationOrder {
            var column = [Bool](repeating: false, count: rows)
            for r in 0..<rows {
                column[r] = evaluate(task.nodeTerms[id], row: r, inputCount: n, nodes: nodes, arguments: [], functions: task.functions)
            }
            nodes[id] = column
        }
        let outputs = task.graph.outputs
        var table = [Bool](repeating: false, count: rows * outputs.count)
        for r in 0..<rows {
            for (k, b) in outputs.enumerated() { table[r * outputs.count + k] = nodes[b.function][r] != b.negated }
        }
        return table
    }

    /// Value of `term` on row `row`; `nodes` holds the columns of sub-functions already evaluated,
    /// `arguments` the argument values inside a `fn` body.
    static func evaluate(
        _ term: Term, row: Int, inputCount: Int, nodes: [[Bool]], arguments: [Bool],
        functions: [CompiledFunction]
    ) -> Bool {
        func value(_ t: Term) -> Bool {
            evaluate(t, row: row, inputCount: inputCount, nodes: nodes, arguments: arguments, functions: functions)
        }
        switch term {
        case .constant(let b): return b
        case .input(let i): return (row >> (inputCount - 1 - i)) & 1 == 1
        case .node(let id): return nodes[id][row]
        case .parameter(let i): return arguments[i]
        case .gate(let gate, let args):
            let v = args.map(value)
            switch gate {
            case .and: return v.allSatisfy { $0 }
            case .or: return v.contains(true)
            case .xor: return v.filter { $0 }.count % 2 == 1
            case .not: return !v[0]
            case .nand: return !v.allSatisfy { $0 }
            case .nor: return !v.contains(true)
            case .xnor: return v.filter { $0 }.count % 2 == 0
            }
        case .apply(let f, let args):
            let v = args.map(value)
            switch functions[f] {
            case .table(let table):
                return table[v.reduce(0) { $0 * 2 + ($1 ? 1 : 0) }]
            case .term(let body):
                return evaluate(body, row: row, inputCount: inputCount, nodes: nodes, arguments: v, functions: functions)
            }
        }
    }
}
