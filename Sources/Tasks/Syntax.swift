// Syntax tree of a task text, as the parser reads it (no names resolved yet).

/// An expression: a constant, a name, or a call of a gate or `fn`.
indirect enum Expr: Sendable {
    case constant(Bool, SourcePosition)
    case name(String, SourcePosition)
    case call(String, [Expr], SourcePosition)

    var position: SourcePosition {
        switch self {
        case .constant(_, let p), .name(_, let p), .call(_, _, let p): return p
        }
    }

    /// Canonical text, e.g. `and(f, x0)`; equal texts mean equal expressions.
    var text: String {
        switch self {
        case .constant(let b, _): return b ? "1" : "0"
        case .name(let n, _): return n
        case .call(let f, let args, _): return "\(f)(\(args.map(\.text).joined(separator: ", ")))"
        }
    }
}

/// A name together with where it was written.
struct Located: Sendable {
    let name: String
    let position: SourcePosition
}

/// `sub NAME = EXPR`: a node of the function graph.
struct SubDecl: Sendable {
    let name: Located
    let body: Expr
}

/// `fn NAME(ARGS) = EXPR` or `fn NAME(ARGS) = minterms(BITS, …)`: a reusable function of its arguments.
struct FnDecl: Sendable {
    enum Body: Sendable {
        case expr(Expr)
        /// minterms as written, each with its position
        case minterms([(bits: String, position: SourcePosition)])
    }
    let name: Located
    let parameters: [Located]
    let body: Body
}

/// `NAME = EXPR` inside `outputs`.
struct OutputDecl: Sendable {
    let name: Located
    let body: Expr
}

/// A whole task text.
struct TaskSyntax: Sendable {
    var inputs: [Located] = []
    var subs: [SubDecl] = []
    var fns: [FnDecl] = []
    var outputs: [OutputDecl] = []
}

enum Vocabulary {
    static let keywords: Set<String> = ["inputs", "sub", "fn", "outputs", "minterms"]
    /// Built-in gates; `not` takes 1 argument, the others 2 or more.
    static let gates = ["and", "or", "xor", "not", "nand", "nor", "xnor"]
}
