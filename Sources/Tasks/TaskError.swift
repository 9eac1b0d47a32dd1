// TaskError: the one error type of the Tasks module. Its description is always one line.

/// An error from reading, checking or naming a task.
///
/// `description` is one line: `FILE:LINE:COLUMN: MESSAGE` when the error has a place in a task text
/// (lines and columns count from 1), else `MESSAGE`.
public struct TaskError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What went wrong, for callers and tests that branch on it.
    public enum Kind: String, Sendable {
        case syntax              // a token other than the grammar allows
        case unknownGate         // a call of a name that is no gate and no `fn`
        case undefinedName       // a name that is not defined where it is used
        case cycle               // `sub`s or `fn`s that depend on themselves
        case arity               // a call with the wrong number of arguments
        case duplicateDefinition // a name defined twice, or a gate/keyword redefined
        case emptyOutputs        // `outputs` with no entries
        case invalidTable        // a malformed `minterms` table
        case unusedDefinition    // a `sub` no output depends on
        case tooLarge            // more inputs or arguments than the evaluator allows
        case unknownTask         // neither a built-in name nor a readable file
        case badParameter        // a built-in family parameter out of range
    }

    public let kind: Kind
    /// The file path or built-in name the text came from; nil when the error has no text.
    public let file: String?
    /// 1-based line and column of the offending token; 0 when there is none.
    public let line: Int
    public let column: Int
    public let message: String

    public init(_ kind: Kind, _ message: String, file: String? = nil, line: Int = 0, column: Int = 0) {
        self.kind = kind
        self.message = message
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String {
        guard let file, line > 0 else { return message }
        return "\(file):\(line):\(column): \(message)"
    }
}

/// A place in a task text (1-based).
struct SourcePosition: Sendable, Equatable {
    var line: Int
    var column: Int
}
