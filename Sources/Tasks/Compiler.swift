// Compiler: resolves the names of a parsed task text, checks it (arity, cycles, tables, unused
// definitions) and produces the function graph plus the terms the evaluator runs.

/// A built-in gate. `not` takes 1 argument; the others take 2 or more (`xor` is odd parity,
/// `xnor` even parity, `nand`/`nor` the complements of `and`/`or`).
enum Gate: String, Sendable {
    case and, or, xor, not, nand, nor, xnor
}

/// An expression with every name resolved.
indirect enum Term: Sendable {
    case constant(Bool)
    case input(Int)  // index into the task's inputs
    case node(Int)  // index into the graph's sub-functions
    case parameter(Int)  // argument index inside a `fn` body
    case gate(Gate, [Term])
    case apply(Int, [Term])  // index into `CompiledTask.functions`
}

/// A `fn`: a body over its arguments, or a truth table indexed by the arguments (first = MSB).
enum CompiledFunction: Sendable {
    case term(Term)
    case table([Bool])
}

/// Everything the evaluator needs.
struct CompiledTask: Sendable {
    let graph: FunctionGraph
    /// one term per sub-function of `graph`, over inputs and other sub-functions
    let nodeTerms: [Term]
    /// sub-function ids, each after all of its sources
    let evaluationOrder: [Int]
    let functions: [CompiledFunction]
}

struct Compiler {
    /// Most inputs a task may have (the truth table has 2^n rows).
    static let maxInputs = 20
    /// Most arguments a `minterms` table may have.
    static let maxTableArity = 16
    /// Most truth-table entries (2^n rows × m outputs, one byte each in memory and more in a data set).
    static let maxTableEntries = 1 << 26

    private let syntax: TaskSyntax
    private let file: String
    private var inputIndex: [String: Int] = [:]
    private var subIndex: [String: Int] = [:]
    private var fnIndex: [String: Int] = [:]
    private var outputNames: Set<String> = []

    /// - Throws: `TaskError` naming the line and column of the first problem.
    static func compile(_ syntax: TaskSyntax, file: String) throws -> CompiledTask {
        var compiler = Compiler(syntax: syntax, file: file)
        return try compiler.run()
    }

    private init(syntax: TaskSyntax, file: String) {
        self.syntax = syntax
        self.file = file
    }

    private func error(_ kind: TaskError.Kind, _ message: String, at p: SourcePosition) -> TaskError {
        TaskError(kind, message, file: file, line: p.line, column: p.column)
    }

    private mutating func run() throws -> CompiledTask {
        try declareNames()
        if syntax.inputs.count > Self.maxInputs {
            throw error(.tooLarge, "\(syntax.inputs.count) inputs; at most \(Self.maxInputs) are supported", at: syntax.inputs[Self.maxInputs].position)
        }
        // Checked before the table is evaluated: its size is what a task costs in memory.
        if (1 << syntax.inputs.count) * syntax.outputs.count > Self.maxTableEntries, let first = syntax.outputs.first {
            throw error(
                .tooLarge,
                "a truth table of 2^\(syntax.inputs.count) rows × \(syntax.outputs.count) outputs has more than \(Self.maxTableEntries) entries; use fewer inputs or outputs",
                at: first.name.position)
        }
        // fn bodies, then the fn call graph must be acyclic
        var functions: [CompiledFunction] = []
        var fnCalls: [Set<Int>] = []
        for fn in syntax.fns {
            var calls = Set<Int>()
            functions.append(try compileFunction(fn, calls: &calls))
            fnCalls.append(calls)
        }
        try checkAcyclic(fnCalls, names: syntax.fns.map(\.name), what: "function")

        // sub bodies, then the sub graph must be acyclic
        var nodeTerms: [Term] = []
        var nodeNames: [String] = []
        var definitions: [String] = []
        for sub in syntax.subs {
            nodeTerms.append(try resolve(sub.body, parameters: nil))
            nodeNames.append(sub.name.name)
            definitions.append(sub.body.text)
        }
        let declaredSources = nodeTerms.map { Self.leaves($0).nodes }
        try checkAcyclic(declaredSources, names: syntax.subs.map(\.name), what: "sub-function")

        // outputs: `not(…)` wrappers become negated copies; a compound expression becomes an implicit node
        var bindings: [FunctionGraph.OutputBinding] = []
        var implicitByText: [String: Int] = [:]
        for out in syntax.outputs {
            var body = out.body
            var negated = false
            while case .call("not", let args, _) = body, args.count == 1 {
                negated.toggle()
                body = args[0]
            }
            let term = try resolve(body, parameters: nil)
            if case .node(let id) = term {
                bindings.append(.init(function: id, negated: negated))
            } else if let id = implicitByText[body.text] {
                bindings.append(.init(function: id, negated: negated))
            } else {
                let id = nodeTerms.count
                nodeTerms.append(term)
                nodeNames.append(out.name.name)
                definitions.append(body.text)
                implicitByText[body.text] = id
                bindings.append(.init(function: id, negated: negated))
            }
        }

        // every declared sub must reach an output
        let sources = nodeTerms.map { Self.leaves($0).nodes }
        // Walks with explicit stacks, not recursion: a chain of thousands of subs must not overflow the stack.
        var used = Set<Int>()
        var pending = bindings.map(\.function)
        while let id = pending.popLast() {
            if used.insert(id).inserted { pending.append(contentsOf: sources[id]) }
        }
        if let unused = syntax.subs.indices.first(where: { !used.contains($0) }) {
            let s = syntax.subs[unused].name
            throw error(.unusedDefinition, "sub-function '\(s.name)' is defined but no output depends on it", at: s.position)
        }

        // graph records, in an order where sources come first
        // (depth-first, sources in ascending order, each node after its sources)
        var order: [Int] = []
        var placed = Set<Int>()
        for root in nodeTerms.indices where !placed.contains(root) {
            placed.insert(root)
            var stack: [(id: Int, next: Int, sources: [Int])] = [(root, 0, sources[root].sorted())]
            while let top = stack.last {
                if top.next < top.sources.count {
                    stack[stack.count - 1].next += 1
                    let s = top.sources[top.next]
                    if placed.insert(s).inserted { stack.append((s, 0, sources[s].sorted())) }
                } else {
                    order.append(top.id)
                    stack.removeLast()
                }
            }
        }
        var window = [Set<Int>](repeating: [], count: nodeTerms.count)
        var level = [Int](repeating: 0, count: nodeTerms.count)
        for id in order {
            let l = Self.leaves(nodeTerms[id])
            window[id] = sources[id].reduce(l.inputs) { $0.union(window[$1]) }
            level[id] = 1 + (sources[id].map { level[$0] }.max() ?? 0)
        }
        let subFunctions = nodeTerms.indices.map { id in
            FunctionGraph.SubFunction(
                name: nodeNames[id], definition: definitions[id],
                directInputs: Self.leaves(nodeTerms[id]).inputs.sorted(), sources: sources[id].sorted(),
                inputs: window[id].sorted(), level: level[id], isImplicit: id >= syntax.subs.count)
        }
        let graph = FunctionGraph(
            inputNames: syntax.inputs.map(\.name), outputNames: syntax.outputs.map(\.name.name),
            subFunctions: subFunctions, outputs: bindings,
            functionDefinitions: syntax.fns.map(Self.definitionText))
        return CompiledTask(graph: graph, nodeTerms: nodeTerms, evaluationOrder: order, functions: functions)
    }

    // MARK: - Names

    /// Every name is defined once, across inputs, subs, fns and outputs; gates cannot be redefined.
    private mutating func declareNames() throws {
        var all: [(Located, String)] = syntax.inputs.map { ($0, "input") }
        all += syntax.subs.map { ($0.name, "sub-function") }
        all += syntax.fns.map { ($0.name, "function") }
        all += syntax.outputs.map { ($0.name, "output") }
        all.sort { ($0.0.position.line, $0.0.position.column) < ($1.0.position.line, $1.0.position.column) }
        var seen: [String: (SourcePosition, String)] = [:]
        for (name, what) in all {
            if Vocabulary.gates.contains(name.name) {
                throw error(.duplicateDefinition, "'\(name.name)' is a built-in gate and cannot be redefined", at: name.position)
            }
            if let (p, w) = seen[name.name] {
                throw error(.duplicateDefinition, "duplicate definition of '\(name.name)' (already defined as \(w) at \(p.line):\(p.column))", at: name.position)
            }
            seen[name.name] = (name.position, what)
        }
        for (i, n) in syntax.inputs.enumerated() { inputIndex[n.name] = i }
        for (i, s) in syntax.subs.enumerated() { subIndex[s.name.name] = i }
        for (i, f) in syntax.fns.enumerated() { fnIndex[f.name.name] = i }
        outputNames = Set(syntax.outputs.map(\.name.name))
    }

    private func compileFunction(_ fn: FnDecl, calls: inout Set<Int>) throws -> CompiledFunction {
        var parameters: [String: Int] = [:]
        for (i, p) in fn.parameters.enumerated() {
            if Vocabulary.gates.contains(p.name) {
                throw error(.duplicateDefinition, "'\(p.name)' is a built-in gate and cannot name an argument", at: p.position)
            }
            if parameters[p.name] != nil {
                throw error(.duplicateDefinition, "duplicate argument '\(p.name)' of '\(fn.name.name)'", at: p.position)
            }
            parameters[p.name] = i
        }
        switch fn.body {
        case .expr(let e):
            let term = try resolve(e, parameters: (fn.name.name, parameters))
            calls = Self.calls(term)
            return .term(term)
        case .minterms(let rows):
            let arity = fn.parameters.count
            if arity > Self.maxTableArity {
                throw error(.tooLarge, "a minterms table may have at most \(Self.maxTableArity) arguments", at: fn.name.position)
            }
            var table = [Bool](repeating: false, count: 1 << arity)
            for (bits, p) in rows {
                guard bits.count == arity else {
                    throw error(.invalidTable, "minterm '\(bits)' has \(bits.count) bits; '\(fn.name.name)' has \(arity) arguments", at: p)
                }
                guard bits.allSatisfy({ $0 == "0" || $0 == "1" }) else {
                    throw error(.invalidTable, "minterm '\(bits)' may contain only 0 and 1", at: p)
                }
                let row = bits.reduce(0) { $0 * 2 + ($1 == "1" ? 1 : 0) }
                if table[row] { throw error(.invalidTable, "minterm '\(bits)' is listed twice", at: p) }
                table[row] = true
            }
            return .table(table)
        }
    }

    /// Resolves `e` in a `fn` body (`parameters` set) or in a `sub`/output (`parameters` nil).
    private func resolve(_ e: Expr, parameters: (fn: String, names: [String: Int])?) throws -> Term {
        switch e {
        case .constant(let b, _):
            return .constant(b)
        case .name(let n, let p):
            if let parameters {
                if let i = parameters.names[n] { return .parameter(i) }
                if let f = fnIndex[n] { throw arityError(n, expected: syntax.fns[f].parameters.count, got: 0, at: p) }
                if inputIndex[n] != nil || subIndex[n] != nil {
                    throw error(.undefinedName, "'\(n)' is not an argument of '\(parameters.fn)' (a fn body reads only its arguments)", at: p)
                }
                throw error(.undefinedName, "undefined name '\(n)' (not an argument of '\(parameters.fn)')", at: p)
            }
            if let i = inputIndex[n] { return .input(i) }
            if let s = subIndex[n] { return .node(s) }
            if let f = fnIndex[n] { throw arityError(n, expected: syntax.fns[f].parameters.count, got: 0, at: p) }
            if Vocabulary.gates.contains(n) {
                throw error(.arity, "gate '\(n)' needs arguments, e.g. \(n)(a, b)", at: p)
            }
            if outputNames.contains(n) { throw error(.undefinedName, "'\(n)' is an output; outputs cannot be read", at: p) }
            throw error(.undefinedName, "undefined name '\(n)' (not an input or sub-function)", at: p)
        case .call(let f, let args, let p):
            let terms = try args.map { try resolve($0, parameters: parameters) }
            if let gate = Gate(rawValue: f) {
                if gate == .not, args.count != 1 { throw error(.arity, "gate 'not' takes 1 argument, got \(args.count)", at: p) }
                if gate != .not, args.count < 2 { throw error(.arity, "gate '\(f)' takes 2 or more arguments, got \(args.count)", at: p) }
                return .gate(gate, terms)
            }
            if let i = fnIndex[f] {
                let expected = syntax.fns[i].parameters.count
                if args.count != expected { throw arityError(f, expected: expected, got: args.count, at: p) }
                return .apply(i, terms)
            }
            if parameters?.names[f] != nil || inputIndex[f] != nil || subIndex[f] != nil {
                throw error(.unknownGate, "'\(f)' is not a gate or function; write it without '(…)'", at: p)
            }
            throw error(.unknownGate, "unknown gate or function '\(f)' (gates: \(Vocabulary.gates.joined(separator: ", ")); or a 'fn' of this file)", at: p)
        }
    }

    private func arityError(_ f: String, expected: Int, got: Int, at p: SourcePosition) -> TaskError {
        error(.arity, "function '\(f)' takes \(expected) argument\(expected == 1 ? "" : "s"), got \(got)", at: p)
    }

    // MARK: - Structure helpers

    /// Inputs and sub-functions a term reads (through gates and `fn` arguments).
    static func leaves(_ t: Term) -> (inputs: Set<Int>, nodes: Set<Int>) {
        switch t {
        case .constant, .parameter: return ([], [])
        case .input(let i): return ([i], [])
        case .node(let n): return ([], [n])
        case .gate(_, let args), .apply(_, let args):
            return args.map(leaves).reduce(into: (inputs: Set<Int>(), nodes: Set<Int>())) {
                $0.inputs.formUnion($1.inputs)
                $0.nodes.formUnion($1.nodes)
            }
        }
    }

    /// `fn`s a term calls.
    static func calls(_ t: Term) -> Set<Int> {
        switch t {
        case .constant, .parameter, .input, .node: return []
        case .gate(_, let args): return args.reduce(into: []) { $0.formUnion(calls($1)) }
        case .apply(let f, let args): return args.reduce(into: [f]) { $0.formUnion(calls($1)) }
        }
    }

    /// Throws `.cycle` at the first definition (in text order) that lies on a cycle.
    private func checkAcyclic(_ edges: [Set<Int>], names: [Located], what: String) throws {
        var state = [Int](repeating: 0, count: edges.count)  // 0 new, 1 on stack, 2 done
        // Depth-first with an explicit stack (a long chain of definitions must not overflow the
        // call stack); `path` holds the vertices on the stack, `next` each one's next edge.
        func visit(_ root: Int) -> [Int]? {
            if state[root] == 2 { return nil }
            var path = [root], next = [0], targets = [edges[root].sorted()]
            state[root] = 1
            while let v = path.last {
                let i = next[next.count - 1]
                guard i < targets[targets.count - 1].count else {
                    state[v] = 2
                    path.removeLast()
                    next.removeLast()
                    targets.removeLast()
                    continue
                }
                next[next.count - 1] += 1
                let w = targets[targets.count - 1][i]
                if state[w] == 1 { return Array(path[path.firstIndex(of: w)!...]) + [w] }
                if state[w] == 0 {
                    state[w] = 1
                    path.append(w)
                    next.append(0)
                    targets.append(edges[w].sorted())
                }
            }
            return nil
        }
        for v in edges.indices {
            if let cycle = visit(v) {
                let path = cycle.map { names[$0].name }.joined(separator: " → ")
                throw error(.cycle, "\(what) '\(names[cycle[0]].name)' depends on itself (cycle: \(path))", at: names[cycle[0]].position)
            }
        }
    }

    static func definitionText(_ fn: FnDecl) -> String {
        let head = "\(fn.name.name)(\(fn.parameters.map(\.name).joined(separator: ", ")))"
        switch fn.body {
        case .expr(let e): return "\(head) = \(e.text)"
        case .minterms(let rows): return "\(head) = minterms(\(rows.map(\.bits).joined(separator: ", ")))"
        }
    }
}
