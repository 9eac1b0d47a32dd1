// Lexer for the task text format (docs/task-format.md): names, bit strings, ( ) , = and `#` comments.

struct Token: Sendable, Equatable {
    enum Kind: Sendable, Equatable { case name, number, lparen, rparen, comma, equals, eof }
    let kind: Kind
    let text: String
    let position: SourcePosition

    /// How the token is quoted in error messages.
    var quoted: String { kind == .eof ? "end of file" : "'\(text)'" }
}

enum Lexer {
    /// Splits `source` into tokens ending with one `.eof`.
    /// - Throws: `TaskError.syntax` on a character that starts no token.
    static func tokens(_ source: String, file: String) throws -> [Token] {
        var out: [Token] = []
        let chars = Array(source.unicodeScalars)
        var i = 0, line = 1, column = 1
        func isNameStart(_ c: Unicode.Scalar) -> Bool { c == "_" || (c.isASCII && c.properties.isAlphabetic) }
        func isNameChar(_ c: Unicode.Scalar) -> Bool { isNameStart(c) || isDigit(c) || c == "-" }
        func isDigit(_ c: Unicode.Scalar) -> Bool { c >= "0" && c <= "9" }
        while i < chars.count {
            let c = chars[i]
            let here = SourcePosition(line: line, column: column)
            if c == "\n" {
                i += 1; line += 1; column = 1; continue
            }
            if c == " " || c == "\t" || c == "\r" {
                i += 1; column += 1; continue
            }
            if c == "#" {
                while i < chars.count && chars[i] != "\n" { i += 1 }
                continue
            }
            let single: Token.Kind? = c == "(" ? .lparen : c == ")" ? .rparen : c == "," ? .comma : c == "=" ? .equals : nil
            if let single {
                out.append(Token(kind: single, text: String(c), position: here))
                i += 1; column += 1; continue
            }
            if isNameStart(c) || isDigit(c) {
                let start = i
                let kind: Token.Kind = isDigit(c) ? .number : .name
                while i < chars.count && (kind == .number ? isDigit(chars[i]) : isNameChar(chars[i])) { i += 1 }
                var text = ""
                text.unicodeScalars.append(contentsOf: chars[start..<i])
                out.append(Token(kind: kind, text: text, position: here))
                column += i - start
                continue
            }
            throw TaskError(.syntax, "unexpected character '\(c)'", file: file, line: line, column: column)
        }
        out.append(Token(kind: .eof, text: "", position: SourcePosition(line: line, column: column)))
        return out
    }
}
