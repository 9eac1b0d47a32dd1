// TaskError: the one error type of the Tasks module. Its description is always one line.

/// An error from reading, checking or naming a task.
///
/// `description` is one line: `FILE:LINE:COLUMN: MESSAGE` when the error has a place in a task text
/// (lines and columns count from 1), else `MESSAGE`.
public struct TaskError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What went wrong, for callers and tests that branch on it.
    public enum Kind: String, Sendable {
        /// A token other than the grammar allows.
        case syntax
        /// A call of a name that is no gate and no `fn`.
        case unknownGate
        /// A name that is not defined where it is used.
        case undefinedName
        /// `sub`s or `fn`s that depend on themselves.
        case cycle
        /// A call with the wrong number of arguments.
        case arity
        /// A name defined twice, or a gate/keyword redefined.
        case duplicateDefinition
        /// `outputs` with no entries.
        case emptyOutputs
        /// A malformed `minterms` table.
        case invalidTable
        /// A `sub` no output depends on.
        case unusedDefinition
        /// More inputs or arguments than the evaluator allows.
        case tooLarge
        /// Neither a built-in name nor a readable file.
        case unknownTask
        /// A built-in family parameter out of range.
        case badParameter
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
