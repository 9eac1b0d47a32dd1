import Foundation

/// A log of one JSON record per line, appended as events happen (e.g. `metrics.jsonl`), so a long run
/// can be followed or plotted while it trains. Unlike result files it is not written atomically: a
/// killed run leaves the lines it reached.
public final class JSONLinesLog: @unchecked Sendable {
    private let handle: FileHandle
    private let lock = NSLock()
    public let path: String

    /// Creates (or empties) the file at `path`.
    /// - Throws: `FileWriteError` when it cannot be created.
    public init(path: String) throws {
        self.path = path
        let parent = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? ""
        if !parent.isEmpty { try AtomicFile.makeDirectories(parent, for: path) }
        guard FileManager.default.createFile(atPath: path, contents: nil), let h = FileHandle(forWritingAtPath: path) else {
            throw FileWriteError(path: path, cause: "cannot be created")
        }
        handle = h
    }

    deinit { try? handle.close() }

    /// Appends `record` as one line. A record that cannot be encoded is skipped (a log never stops a run).
    public func append<T: Encodable>(_ record: T) {
        guard let line = try? RecordCoding.line(record) else { return }
        lock.lock()
        defer { lock.unlock() }
        handle.write(Data((line + "\n").utf8))
    }
}
