// TaskCatalog: the one entry point for `--task`: a built-in name, a paper label, or a task file.
import Foundation

/// Built-in tasks (docs/method.md §1.2) and task files, behind one name.
public enum TaskCatalog {
    /// Loads a built-in (by name, e.g. `xor-pairs`, `reuse-16`, `overlap-2-8`, `hierarchy-8`, or by paper
    /// label, e.g. `[4,1,2,16]`) or, when `nameOrPath` is neither, the task file at that path.
    /// Built-in names win over files of the same name; write `./xor-pairs` for such a file.
    /// - Throws: `TaskError` (`.unknownTask` when it is neither; parse errors name the file, line and column).
    public static func load(_ nameOrPath: String) throws -> BooleanTask {
        var isDirectory: ObjCBool = false
        let isFile = FileManager.default.fileExists(atPath: nameOrPath, isDirectory: &isDirectory) && !isDirectory.boolValue
        do {
            if let member = try member(nameOrPath) { return try BooleanTask(source: member.text, name: canonicalName(nameOrPath)) }
        } catch let error as TaskError where error.kind == .badParameter && isFile {
            // a file whose name starts like a family (e.g. `reuse-mine.task`): read the file
        }
        guard isFile else { throw unknown(nameOrPath, orFile: true) }
        let bytes: [UInt8]
        do {
            bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: nameOrPath)))
        } catch {
            throw TaskError(.unknownTask, "cannot read task file '\(nameOrPath)': \(error.localizedDescription)")
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            // Name the first byte that is not UTF-8 (e.g. a Latin-1 "é" in a comment).
            var parser = Unicode.UTF8.ForwardParser(), it = bytes.makeIterator(), bad = 0
            scan: while true {
                switch parser.parseScalar(from: &it) {
                case .valid(let scalar): bad += scalar.count
                case .error, .emptyInput: break scan
                }
            }
            bad = min(bad, bytes.count - 1)
            let line = 1 + bytes[..<bad].filter { $0 == 0x0A }.count
            throw TaskError(
                .unknownTask,
                "task file '\(nameOrPath)' is not UTF-8 text (byte 0x\(String(bytes[bad], radix: 16, uppercase: true)) on line \(line)); save it as UTF-8")
        }
        return try BooleanTask(source: text, name: nameOrPath)
    }

    /// A built-in task by name or paper label (never a file).
    /// - Throws: `TaskError.unknownTask`, or `.badParameter` for a family name with a parameter out of range.
    public static func builtin(_ name: String) throws -> BooleanTask {
        guard let member = try member(name) else { throw unknown(name, orFile: false) }
        return try BooleanTask(source: member.text, name: canonicalName(name))
    }

    /// One line per built-in family: its name pattern (`reuse-U`), paper label and a one-line definition.
    public static var families: [(pattern: String, label: String, summary: String)] {
        Builtins.families.map { ($0.pattern, $0.label, $0.summary) }
    }

    /// The task text of a built-in (what `builtin(name)` parses).
    /// - Throws: as `builtin(_:)`.
    public static func source(ofBuiltin name: String) throws -> String {
        guard let member = try member(name) else { throw unknown(name, orFile: false) }
        return member.text
    }

    /// The paper's Boolean experiments (docs/method.md §10 check 1 and docs/method.md §8): 39 (experiment, built-in name) pairs,
    /// experiment one of `exemplar`, `reuse`, `overlap`, `hierarchy`. The exemplar `reuse-16` is also
    /// reuse U = 16, so the 39 pairs name 38 distinct tasks.
    public static var paperTasks: [(experiment: String, name: String)] { Builtins.paperTasks }

    /// The paper label of a built-in, e.g. `reuse-16` → `[4,1,2,16]`, `overlap-2-8` → `[6,3,2,8]`.
    /// - Throws: as `builtin(_:)`.
    public static func label(ofBuiltin name: String) throws -> String {
        guard let member = try member(name) else { throw unknown(name, orFile: false) }
        return member.label
    }

    // MARK: - Private

    private static func canonicalName(_ nameOrLabel: String) -> String {
        Builtins.name(forLabel: nameOrLabel) ?? nameOrLabel
    }

    private static func member(_ nameOrLabel: String) throws -> (text: String, label: String)? {
        let name = canonicalName(nameOrLabel)
        for family in Builtins.families {
            if let member = try family.member(name) { return member }
        }
        return nil
    }

    private static func unknown(_ name: String, orFile: Bool) -> TaskError {
        let names = families.map(\.pattern).joined(separator: ", ")
        return TaskError(.unknownTask, "unknown task '\(name)' (built-ins: \(names)\(orFile ? "; or give a file path" : ""))")
    }

    /// `sculpt tasks`: two lines per built-in family (name pattern and paper label, then its definition).
    public static var listing: String {
        let width = families.map(\.pattern.count).max() ?? 0
        var lines: [String] = []
        for f in families {
            lines.append("\(f.pattern.padding(toLength: width, withPad: " ", startingAt: 0))  \(f.label)")
            lines.append("\(String(repeating: " ", count: width))  \(f.summary)")
        }
        lines.append("U is an even number ≥ 2 (the paper uses 2, 4, 8, 12, 16); O is 0…4. Example: sculpt tasks show overlap-2-8")
        return lines.joined(separator: "\n")
    }
}

extension BooleanTask {
    /// `sculpt tasks show`: sizes, the function graph and the truth table.
    public var text: String {
        "task \(name): \(inputCount) inputs, \(outputCount) outputs, \(rowCount) rows\n\(graph.description)\n\n"
            + "truth table (rows in counting order, x0 = most significant bit):\n\(truthTableText)"
    }
}
