/// A manifest that cannot be read or is not valid. `description` is one line:
/// `"<file>: <field>: <problem>"`, e.g.
/// `sweep.yaml: architectures[1].lr: expected a positive number, got 'fast'`
/// (`"<file>: <problem>"` when no single field is at fault).
public struct ManifestError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file path, or the name given to `SweepManifest.parse(yaml:name:)`.
    public var file: String
    /// Path of the offending field, e.g. `groups[2].architectures[0].arch[1]`; empty for the whole document.
    public var field: String
    public var problem: String

    public init(file: String, field: String, problem: String) {
        self.file = file
        self.field = field
        self.problem = problem
    }

    public var description: String {
        let oneLine = problem.split(whereSeparator: \.isNewline).joined(separator: " ")
        return field.isEmpty ? "\(file): \(oneLine)" : "\(file): \(field): \(oneLine)"
    }
}
