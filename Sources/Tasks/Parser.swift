// Recursive-descent parser for the task text format (grammar in docs/task-format.md).

struct Parser {
    private let tokens: [Token]
    private let file: String
    private var index = 0

    /// Parses a whole task text.
    /// - Throws: `TaskError` (`.syntax`, `.emptyOutputs`) naming the line and column.
    static func parse(_ source: String, file: String) throws -> TaskSyntax {
        var parser = Parser(tokens: try Lexer.tokens(source, file: file), file: file)
        return try parser.parseFile()
    }

    private init(tokens: [Token], file: String) {
        self.tokens = tokens
        self.file = file
    }

    // MARK: - Token helpers

    private var peek: Token { tokens[index] }

    private mutating func advance() -> Token {
        let t = tokens[index]
        if t.kind != .eof { index += 1 }
        return t
    }

    private func isKeyword(_ t: Token, _ word: String? = nil) -> Bool {
        t.kind == .name && Vocabulary.keywords.contains(t.text) && (word == nil || t.text == word)
    }

    /// A name that is not a keyword (definitions and references).
    private func isPlainName(_ t: Token) -> Bool { t.kind == .name && !isKeyword(t) }

    private func error(_ message: String, at t: Token) -> TaskError { error(.syntax, message, at: t) }

    private func error(_ kind: TaskError.Kind, _ message: String, at t: Token) -> TaskError {
        TaskError(kind, message, file: file, line: t.position.line, column: t.position.column)
    }

    private mutating func expect(_ kind: Token.Kind, _ what: String) throws -> Token {
        guard peek.kind == kind else { throw error("expected \(what), found \(peek.quoted)", at: peek) }
        return advance()
    }

    private mutating func expectName(_ what: String) throws -> Located {
        guard isPlainName(peek) else {
            let found = isKeyword(peek) ? "keyword \(peek.quoted)" : peek.quoted
            throw error("expected \(what), found \(found)", at: peek)
        }
        let t = advance()
        return Located(name: t.text, position: t.position)
    }

    // MARK: - Grammar

    private mutating func parseFile() throws -> TaskSyntax {
        var syntax = TaskSyntax()
        guard isKeyword(peek, "inputs") else {
            throw error("expected 'inputs' (the input declaration comes first), found \(peek.quoted)", at: peek)
        }
        _ = advance()
        while isPlainName(peek) {
            let t = advance()
            syntax.inputs.append(Located(name: t.text, position: t.position))
        }
        if syntax.inputs.isEmpty { throw error("expected at least one input name after 'inputs', found \(peek.quoted)", at: peek) }
        while true {
            if isKeyword(peek, "sub") {
                _ = advance()
                let name = try expectName("a sub-function name after 'sub'")
                _ = try expect(.equals, "'=' after 'sub \(name.name)'")
                syntax.subs.append(SubDecl(name: name, body: try parseExpr()))
            } else if isKeyword(peek, "fn") {
                syntax.fns.append(try parseFn())
            } else if isKeyword(peek, "outputs") {
                let keyword = advance()
                while isPlainName(peek) {
                    let name = try expectName("an output name")
                    _ = try expect(.equals, "'=' after output '\(name.name)'")
                    syntax.outputs.append(OutputDecl(name: name, body: try parseExpr()))
                }
                if syntax.outputs.isEmpty {
                    throw error(.emptyOutputs, "empty output list: expected at least one 'NAME = EXPR' after 'outputs'", at: keyword)
                }
                guard peek.kind == .eof else {
                    throw error("expected an output 'NAME = EXPR' or end of file ('outputs' is the last section), found \(peek.quoted)", at: peek)
                }
                return syntax
            } else if peek.kind == .eof {
                throw error(.emptyOutputs, "expected an 'outputs' section before end of file", at: peek)
            } else {
                throw error("expected 'sub', 'fn' or 'outputs', found \(peek.quoted)", at: peek)
            }
        }
    }

    private mutating func parseFn() throws -> FnDecl {
        _ = advance()
        let name = try expectName("a function name after 'fn'")
        _ = try expect(.lparen, "'(' and argument names after 'fn \(name.name)'")
        var parameters = [try expectName("an argument name of '\(name.name)'")]
        while peek.kind == .comma {
            _ = advance()
            parameters.append(try expectName("an argument name of '\(name.name)'"))
        }
        _ = try expect(.rparen, "',' or ')' after the arguments of 'fn \(name.name)'")
        _ = try expect(.equals, "'=' after 'fn \(name.name)(…)'")
        guard isKeyword(peek, "minterms") else {
            return FnDecl(name: name, parameters: parameters, body: .expr(try parseExpr()))
        }
        _ = advance()
        _ = try expect(.lparen, "'(' after 'minterms'")
        var rows: [(bits: String, position: SourcePosition)] = []
        if peek.kind != .rparen {
            repeat {
                if !rows.isEmpty { _ = advance() }
                guard peek.kind == .number else {
                    throw error("expected a minterm (a string of \(parameters.count) bits) in the table of '\(name.name)', found \(peek.quoted)", at: peek)
                }
                let t = advance()
                rows.append((t.text, t.position))
            } while peek.kind == .comma
        }
        _ = try expect(.rparen, "',' or ')' after the minterms of '\(name.name)'")
        return FnDecl(name: name, parameters: parameters, body: .minterms(rows))
    }

    /// Calls nested deeper than this are refused: the compiler and evaluator recurse over the
    /// expression, and a deeper one would overflow the stack.
    static let maxNesting = 200

    private mutating func parseExpr(depth: Int = 0) throws -> Expr {
        if peek.kind == .number {
            let t = advance()
            guard t.text == "0" || t.text == "1" else {
                throw error("expected a constant 0 or 1, found '\(t.text)'", at: t)
            }
            return .constant(t.text == "1", t.position)
        }
        let name = try expectName("an expression (a name, a call or 0/1)")
        guard peek.kind == .lparen else { return .name(name.name, name.position) }
        guard depth < Self.maxNesting else {
            throw error(.syntax, "calls nested more than \(Self.maxNesting) deep; split the expression into named 'sub' lines", at: peek)
        }
        _ = advance()
        var args: [Expr] = []
        if peek.kind != .rparen {
            args.append(try parseExpr(depth: depth + 1))
            while peek.kind == .comma {
                _ = advance()
                args.append(try parseExpr(depth: depth + 1))
            }
        }
        _ = try expect(.rparen, "')' after arguments of '\(name.name)'")
        return .call(name.name, args, name.position)
    }
}
