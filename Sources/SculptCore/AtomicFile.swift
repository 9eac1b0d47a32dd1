import Foundation

/// Writes files so that an interrupted run never leaves a half-written one: the bytes go to a
/// temporary file in the same directory, which is then renamed over the destination.
public enum AtomicFile {
    /// - Throws: `CocoaError` from the file system, with the path.
    public static func write(_ data: Data, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        // Data.write(.atomic) writes a temporary file beside the destination and renames it.
        try data.write(to: url, options: .atomic)
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
