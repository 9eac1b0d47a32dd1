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

    /// - Throws: `CocoaError` from the file system, with the path.
    public static func write(_ data: Data, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let dir = url.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let temp = dir.appendingPathComponent("\(temporaryPrefix)\(getpid())-\(url.lastPathComponent)")
        try data.write(to: temp)
        // rename(2) replaces the destination in one step: readers see the old file or the new one.
        guard rename(temp.path, url.path) == 0 else {
            try? FileManager.default.removeItem(at: temp)
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
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
