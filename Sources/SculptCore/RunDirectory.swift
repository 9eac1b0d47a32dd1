import Foundation
#if canImport(Glibc)
    import Glibc
#endif

/// The directory a command writes its results to. It is created only once the configuration is
/// valid, and every file in it is written atomically (`AtomicFile`).
public struct RunDirectory: Sendable {
    public let path: String

    public init(path: String) { self.path = path }

    /// `out`, or a new `runs/<command>-<task>-<time>` when nil (`-2`, `-3`, … when another command
    /// started in the same second already made that one: each default directory is made with an
    /// exclusive `mkdir`, so two commands never share it).
    /// - Throws: `OutputDirectoryError` when `out` exists and is not empty (unless `allowExisting`),
    ///   `FileWriteError` when it cannot be made.
    public static func make(out: String?, command: String, task: String, allowExisting: Bool = false) throws -> RunDirectory {
        guard let out else {
            let f = DateFormatter()
            f.dateFormat = "yyyyMMdd-HHmmss"
            let safeTask = task.split(separator: "/").last.map(String.init)?.replacingOccurrences(of: ".", with: "_") ?? "task"
            let base = "runs/\(command)-\(safeTask)-\(f.string(from: Date()))"
            try AtomicFile.makeDirectories("runs", for: base)
            for k in 1...1000 {
                let name = k == 1 ? base : "\(base)-\(k)"
                if mkdir(name, 0o777) == 0 { return RunDirectory(path: name) }
                guard errno == EEXIST else { throw FileWriteError(path: name, cause: String(cString: strerror(errno))) }
            }
            throw FileWriteError(path: base, cause: "a thousand run directories of this second exist already")
        }
        let dir = RunDirectory(path: out)
        if !allowExisting && !dir.isEmpty {
            throw OutputDirectoryError(path: out, problem: "already exists and is not empty; choose another directory")
        }
        // Made now, so a path that cannot hold a directory fails before any work, not after it.
        try AtomicFile.makeDirectories(out, for: out)
        return dir
    }

    /// True when the directory does not exist or holds nothing.
    public var isEmpty: Bool { ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).isEmpty }

    public func file(_ relative: String) -> String { (path as NSString).appendingPathComponent(relative) }

    public func exists(_ relative: String) -> Bool { FileManager.default.fileExists(atPath: file(relative)) }

    /// Writes `value` as pretty snake_case JSON (`RecordCoding`).
    public func write<T: Encodable>(_ value: T, _ relative: String) throws {
        try AtomicFile.write(try RecordCoding.fileData(value), to: file(relative))
    }

    public func write(text: String, _ relative: String) throws { try AtomicFile.write(text, to: file(relative)) }

    /// Reads a versioned record written by `write(_:_:)`.
    public func read<T: VersionedRecord>(_ type: T.Type, _ relative: String) throws -> T { try T.read(from: file(relative)) }
}

/// An output directory that cannot be used.
public struct OutputDirectoryError: Error, CustomStringConvertible, Equatable {
    public var path: String
    public var problem: String
    public init(path: String, problem: String) { self.path = path; self.problem = problem }
    public var description: String { "--out \(path) \(problem)" }
}

/// Facts about where a result was computed, recorded in every run and sweep file.
public struct Environment: Codable, Sendable, Equatable {
    public var device: String
    /// Who ran the large matrix products (`ComputeBackend.matrixProducts`); absent in files written
    /// before Sculpt recorded it.
    public var matrixProducts: String?
    public var sculptVersion: String
    /// The commit Sculpt was built from (embedded at build time), nil when built outside git.
    public var commit: String?
    public var date: String

    public init(device: String, matrixProducts: String? = nil) {
        self.device = device
        self.matrixProducts = matrixProducts
        sculptVersion = BuildInfo.version
        commit = BuildInfo.commit
        date = ISO8601DateFormatter().string(from: Date())
    }
}
