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
                if mkdir(name, 0o777) == 0 { return try claimed(name) }
                guard errno == EEXIST else { throw FileWriteError(path: name, cause: String(cString: strerror(errno))) }
            }
            throw FileWriteError(path: base, cause: "a thousand run directories of this second exist already")
        }
        if !allowExisting && !RunDirectory(path: out).isEmpty {
            throw OutputDirectoryError(path: out, problem: "already exists and is not empty; choose another directory")
        }
        // Made and locked now, so a path that cannot hold a directory fails before any work, and a
        // second process cannot start writing into it; emptiness is checked again under the lock.
        let dir = try claimed(out)
        if !allowExisting && !dir.isEmpty {
            throw OutputDirectoryError(path: out, problem: "already exists and is not empty; choose another directory")
        }
        return dir
    }

    /// The hidden file whose lock marks a directory as being written (`claimed`).
    public static let lockName = ".sculpt-lock"

    /// `path`, made if needed and locked for the rest of this process: an exclusive `flock` on its
    /// `.sculpt-lock`, which the system releases when the process ends however it ends. Claiming a
    /// directory this process holds already is allowed.
    /// - Throws: `OutputDirectoryError` naming the holder's pid when another process holds it,
    ///   `FileWriteError` when the directory or lock file cannot be made.
    public static func claimed(_ path: String) throws -> RunDirectory {
        try AtomicFile.makeDirectories(path, for: path)
        let dir = RunDirectory(path: path)
        try DirectoryLocks.shared.lock(dir.file(lockName), directory: path)
        return dir
    }

    /// True when the directory does not exist or holds nothing but its lock file.
    public var isEmpty: Bool {
        ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).allSatisfy { $0 == Self.lockName }
    }

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

/// The directory locks this process holds, by the lock file's resolved path (their descriptors stay
/// open until the process ends).
final class DirectoryLocks: @unchecked Sendable {
    static let shared = DirectoryLocks()
    private let mutex = NSLock()
    private var held: [String: Int32] = [:]

    func lock(_ lockFile: String, directory: String) throws {
        mutex.lock()
        defer { mutex.unlock() }
        let key = URL(fileURLWithPath: lockFile).resolvingSymlinksInPath().path
        if held[key] != nil { return }
        let fd = open(lockFile, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw FileWriteError(path: lockFile, cause: String(cString: strerror(errno))) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let holder = (try? String(contentsOfFile: lockFile, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            close(fd)
            throw OutputDirectoryError(
                path: directory,
                problem: "is being written by another sculpt process\(holder.isEmpty ? "" : " (pid \(holder))"); wait for it to finish or choose another directory")
        }
        let pid = Array("\(getpid())\n".utf8)
        _ = ftruncate(fd, 0)
        _ = pid.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        held[key] = fd
    }
}
