/// Comma-separated lists as the command line and manifests give them.
public enum ListArgument {
    /// Distinct values of one kind; `parse` reads one value or returns nil.
    /// - Throws: `ListArgumentError` naming the first value that is not `what`, or a repeated value.
    public static func distinct<T: Hashable>(_ text: String, _ what: String, _ parse: (String) -> T?) throws -> [T] {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        let values = try parts.map { p -> T in
            guard let v = parse(p) else { throw ListArgumentError(description: "'\(p)' is not \(what)") }
            return v
        }
        guard Set(values).count == values.count else { throw ListArgumentError(description: "values must be distinct (got \(text))") }
        return values
    }

    /// Distinct non-negative integers (model seeds).
    public static func seeds(_ text: String) throws -> [UInt64] { try distinct(text, "a non-negative integer") { UInt64($0) } }

    /// Distinct finite numbers (percentages; their range is checked with the rest of a configuration).
    public static func numbers(_ text: String) throws -> [Double] {
        try distinct(text, "a number") { Double($0).flatMap { $0.isFinite ? $0 : nil } }
    }
}

public struct ListArgumentError: Error, CustomStringConvertible, Equatable {
    public let description: String
    public init(description: String) { self.description = description }
}
