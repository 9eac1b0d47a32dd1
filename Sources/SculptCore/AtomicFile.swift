import Foundation
#if canImport(Glibc)
    import Glibc
#endif

/// Writes files so that an interrupted run never leaves a half-written one: the bytes go to a
/// temporary file in the same directory, which is then renamed over the destination.
public enum AtomicFile {
    /// Prefix of the temporary files; a process killed mid-write leaves one behind, which
    /// `removeLeftovers(in:)` clears (resumed sweeps call it).
    public static let temporaryPrefix = ".sculpt-partial-"

    /// - Throws: `FileWriteError` naming the path and the cause (no temporary file is left behind).
    public static func write(_ data: Data, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let dir = url.deletingLastPathComponent()
        try makeDirectories(dir.path, for: path)
        let temp = dir.appendingPathComponent("\(temporaryPrefix)\(getpid())-\(url.lastPathComponent)")
        do { try data.write(to: temp) } catch {
            try? FileManager.default.removeItem(at: temp)
            throw FileWriteError(path: path, cause: FileWriteError.reason(error))
        }
        // rename(2) replaces the destination in one step: readers see the old file or the new one.
        guard rename(temp.path, url.path) == 0 else {
            let cause = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temp)
            throw FileWriteError(path: path, cause: cause)
        }
    }

    /// `mkdir -p` with the system's reason when a component cannot be made (e.g. "Not a directory").
    static func makeDirectories(_ dir: String, for path: String) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: dir, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw FileWriteError(path: path, cause: "\(dir) is not a directory") }
            return
        }
        // The path up to its last "/" (NSString.deletingLastPathComponent traps on some one-letter paths).
        let trimmed = dir.hasSuffix("/") ? String(dir.dropLast()) : dir
        let parent = trimmed.lastIndex(of: "/").map { String(trimmed[..<$0]) } ?? ""
        if !parent.isEmpty && parent != dir { try makeDirectories(parent, for: path) }
        guard mkdir(dir, 0o777) == 0 || errno == EEXIST else {
            throw FileWriteError(path: path, cause: "cannot create \(dir): \(String(cString: strerror(errno)))")
        }
    }

    /// Deletes the temporary files that interrupted writes left anywhere under `directory`.
    public static func removeLeftovers(in directory: String) {
        guard let walker = FileManager.default.enumerator(atPath: directory) else { return }
        for case let relative as String in walker where (relative as NSString).lastPathComponent.hasPrefix(temporaryPrefix) {
            try? FileManager.default.removeItem(atPath: (directory as NSString).appendingPathComponent(relative))
        }
    }

    public static func write(_ text: String, to path: String) throws {
        try write(Data(text.utf8), to: path)
    }

    /// Pretty, key-sorted JSON of a JSONSerialization-compatible object.
    public static func writeJSON(_ object: Any, to path: String) throws {
        var data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
        data.append(0x0A)
        try write(data, to: path)
    }
}

/// A file that could not be written, in one line: the path and the cause.
public struct FileWriteError: Error, CustomStringConvertible, Equatable {
    public let path: String
    public let cause: String
    public init(path: String, cause: String) { self.path = path; self.cause = cause }
    public var description: String { "cannot write \(path): \(cause)" }

    /// The operating system's words for `error` (e.g. "No space left on device"), not Foundation's
    /// "Error Domain=…" text.
    static func reason(_ error: Error) -> String {
        let ns = error as NSError
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        if ns.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(ns.code))) }
        return ns.localizedDescription
    }
}
