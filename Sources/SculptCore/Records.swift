import Foundation

/// How every JSON file Sculpt writes is encoded: snake_case keys, sorted, pretty-printed (or one
/// line for `.jsonl` files and `--json` output). Readers use the matching decoder.
public enum RecordCoding {
    public static func encoder(pretty: Bool = true) -> JSONEncoder {
        let e = JSONEncoder()
        e.keyEncodingStrategy = .convertToSnakeCase
        // A diverged model's numbers are written, not a reason to lose the whole file.
        e.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        e.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        return e
    }

    public static func decoder() -> JSONDecoder {
        let d = JSONDecoder()
        d.keyDecodingStrategy = .convertFromSnakeCase
        d.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return d
    }

    /// Pretty JSON with a final newline, as files are written.
    public static func fileData<T: Encodable>(_ value: T) throws -> Data {
        var data = try encoder().encode(value)
        data.append(0x0A)
        return data
    }

    /// One line of JSON without a newline (`results.jsonl`, `--json`).
    public static func line<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try encoder(pretty: false).encode(value), as: UTF8.self)
    }
}

extension RecordCoding {
    /// `record`'s fields plus `run_directory`, as one line (`--json` of commands that write a run directory).
    public static func line<T: Encodable>(_ record: T, runDirectory: String) throws -> String {
        try line(WithRunDirectory(record: record, runDirectory: runDirectory))
    }
}

private struct WithRunDirectory<T: Encodable>: Encodable {
    var record: T
    var runDirectory: String

    func encode(to encoder: Encoder) throws {
        try record.encode(to: encoder)
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(runDirectory, forKey: .runDirectory)
    }

    enum Key: String, CodingKey { case runDirectory }
}

/// A JSON file whose `format` field names its schema and version, e.g. `sculpt-run/2`. Readers
/// reject any other tag, so a file from an older or newer Sculpt is refused, never misread.
public protocol VersionedRecord: Codable {
    /// The tag this version writes and accepts.
    static var formatTag: String { get }
    /// Always `Self.formatTag` once written.
    var format: String { get }
}

extension VersionedRecord {
    /// Reads `path`, checking the format tag before anything else.
    /// - Throws: `RecordError` naming the file and what is wrong with it.
    public static func read(from path: String) throws -> Self {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw RecordError(path: path, problem: "cannot be read")
        }
        return try decode(data, path: path)
    }

    /// Decodes `data` (from `path`, for messages), checking the format tag before anything else.
    public static func decode(_ data: Data, path: String) throws -> Self {
        let probe: FormatProbe
        do { probe = try RecordCoding.decoder().decode(FormatProbe.self, from: data) } catch {
            throw RecordError(path: path, problem: "is not a JSON object")
        }
        guard let tag = probe.format else { throw RecordError(path: path, problem: "has no \"format\" field (expected \"\(formatTag)\")") }
        guard tag == formatTag else {
            throw RecordError(path: path, problem: "has format \"\(tag)\"; this version of sculpt reads \"\(formatTag)\"")
        }
        do { return try RecordCoding.decoder().decode(Self.self, from: data) } catch {
            throw RecordError(path: path, problem: "is not a valid \(formatTag) file (\(RecordError.describe(error)))")
        }
    }
}

/// Just the `format` field of a record.
private struct FormatProbe: Decodable { var format: String? }

/// `learningRate` → `learning_rate`, as the files spell keys.
func snakeCase(_ key: String) -> String {
    var out = ""
    for c in key {
        if c.isUppercase, !out.isEmpty, out.last != "_" { out += "_" }
        out += c.lowercased()
    }
    return out
}

/// A record file that cannot be used, in one line.
public struct RecordError: Error, CustomStringConvertible, Equatable {
    public var path: String
    public var problem: String
    public init(path: String, problem: String) { self.path = path; self.problem = problem }
    public var description: String { "\(path) \(problem)" }

    /// The field path and cause of a decoding error, in one line.
    static func describe(_ error: Error) -> String {
        func path(_ keys: [CodingKey]) -> String {
            keys.map { $0.intValue.map { "[\($0)]" } ?? "." + snakeCase($0.stringValue) }.joined().trimmingCharacters(in: CharacterSet(charactersIn: "."))
        }
        switch error as? DecodingError {
        case .keyNotFound(let key, let c)?: return "missing \(path(c.codingPath + [key]))"
        case .typeMismatch(_, let c)?: return "wrong type at \(path(c.codingPath))"
        case .valueNotFound(_, let c)?: return "null at \(path(c.codingPath))"
        case .dataCorrupted(let c)?: return "bad value at \(path(c.codingPath))"
        default: return "\(error)"
        }
    }
}
