// IDX: the MNIST file format (images `0x00000803`, labels `0x00000801`), plain or gzipped.
import Foundation

/// An error reading MNIST-format IDX files. `description` is one line, `FILE: PROBLEM`, e.g.
/// `train-images-idx3-ubyte.gz: truncated: header says 60000 images of 28×28 (47040016 bytes) but the file has 1234`.
public struct IDXError: Error, CustomStringConvertible, Equatable, Sendable {
    public enum Kind: String, Sendable {
        /// The file (or directory) cannot be opened or read.
        case unreadable
        /// The file starts with the gzip magic but does not decompress.
        case badGzip
        /// The first four bytes are not the expected IDX magic number.
        case badMagic
        /// Shorter than its header says.
        case truncated
        /// Longer than its header says.
        case trailingBytes
        /// Images that are not 28×28 (or not the size of the other split), or a zero count.
        case badDimensions
        /// A label outside 0…9.
        case badLabel
        /// An image file and its label file disagree on the number of items.
        case countMismatch
        /// A data directory lacks some of the four standard files.
        case missingFiles
    }

    public let kind: Kind
    /// The path of the offending file (for `.missingFiles`, the directory).
    public let file: String
    public let message: String

    public init(_ kind: Kind, file: String, _ message: String) {
        self.kind = kind
        self.file = file
        self.message = message
    }

    public var description: String { "\(file): \(message)" }
}

/// Images of an IDX image file: `count` images of `rows × columns` unsigned bytes, row-major,
/// image `i` at `pixels[i·rows·columns ..< (i+1)·rows·columns]`.
public struct IDXImages: Equatable, Sendable {
    public let count: Int
    public let rows: Int
    public let columns: Int
    public let pixels: [UInt8]

    public init(count: Int, rows: Int, columns: Int, pixels: [UInt8]) {
        precondition(pixels.count == count * rows * columns, "pixels do not match count × rows × columns")
        self.count = count
        self.rows = rows
        self.columns = columns
        self.pixels = pixels
    }

    /// Bytes per image.
    public var imageSize: Int { rows * columns }

    /// Pixel `(r, c)` of image `i`.
    public func pixel(_ i: Int, _ r: Int, _ c: Int) -> UInt8 { pixels[i * imageSize + r * columns + c] }
}

/// Reading and writing MNIST-format IDX files (http://yann.lecun.com/exdb/mnist/, "FILE FORMATS"):
/// a big-endian header — magic `0x00 0x00 0x08 D` (unsigned bytes, `D` dimensions), then `D` 32-bit
/// sizes — followed by the data, row-major. Files starting with the gzip magic `1f 8b` are
/// decompressed first (zlib).
public enum IDX {
    /// Magic number of an image file: unsigned bytes, 3 dimensions `[n][rows][columns]`.
    public static let imageMagic: UInt32 = 0x0000_0803
    /// Magic number of a label file: unsigned bytes, 1 dimension `[n]`.
    public static let labelMagic: UInt32 = 0x0000_0801
    /// MNIST's image side; `readImages` requires it unless told otherwise.
    public static let side = 28

    /// Reads an image file. `expected` (default 28×28) is the required image size; nil accepts any.
    /// - Throws: `IDXError` naming `path` and the problem.
    public static func readImages(path: String, expected: (rows: Int, columns: Int)? = (side, side)) throws -> IDXImages {
        try parseImages(try contents(path: path), file: path, expected: expected)
    }

    /// Reads a label file; every label must be a digit 0…9.
    /// - Throws: `IDXError` naming `path` and the problem.
    public static func readLabels(path: String) throws -> [UInt8] {
        try parseLabels(try contents(path: path), file: path)
    }

    /// The bytes of `path`, gunzipped when they start with `1f 8b`.
    /// - Throws: `IDXError` (`.unreadable`, `.badGzip`).
    public static func contents(path: String) throws -> [UInt8] {
        // A FIFO or device would block or read forever (and Foundation calls it "Permission denied").
        if let type = (try? FileManager.default.attributesOfItem(atPath: path))?[.type] as? FileAttributeType,
            type != .typeRegular && type != .typeSymbolicLink
        {
            let kind =
                [FileAttributeType.typeDirectory: "a directory", .typeCharacterSpecial: "a device", .typeBlockSpecial: "a device", .typeSocket: "a socket"][type]
                ?? "a FIFO or other special file"
            throw IDXError(.unreadable, file: path, "cannot read: not a regular file but \(kind)")
        }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw IDXError(.unreadable, file: path, "cannot read: \(reason(error))")
        }
        let bytes = [UInt8](data)
        guard Gzip.isGzip(bytes) else { return bytes }
        // Decompress the header first and then at most one byte more than it promises: a small
        // "gzip bomb" is refused as longer than its header says, not inflated in full.
        let head = try Gzip.decompress(bytes, file: path, limit: 16)
        guard let promised = promisedLength(head) else { return head }
        let all = try Gzip.decompress(bytes, file: path, limit: promised + 1)
        guard all.count <= promised else {
            throw IDXError(
                .trailingBytes, file: path, "data continues after the \(promised) bytes its header promises (decompression stopped there)")
        }
        return all
    }

    /// The whole length an IDX header promises (header included), when `head` starts a well-formed
    /// image or label header; nil otherwise (the parsers then report what is wrong).
    static func promisedLength(_ head: [UInt8]) -> Int? {
        guard head.count >= 8 else { return nil }
        let magic = word(head, 0), n = Int(word(head, 4))
        if magic == labelMagic { return 8 + n }
        guard magic == imageMagic, head.count >= 16 else { return nil }
        let (pixels, o1) = Int(word(head, 8)).multipliedReportingOverflow(by: Int(word(head, 12)))
        let (body, o2) = n.multipliedReportingOverflow(by: pixels)
        guard !o1, !o2, body <= Int(Int32.max) * 16 else { return nil }
        return 16 + body
    }

    /// Parses the (decompressed) bytes of an image file; `file` names it in errors.
    public static func parseImages(_ b: [UInt8], file: String, expected: (rows: Int, columns: Int)? = (side, side)) throws -> IDXImages {
        try checkMagic(b, imageMagic, file: file, what: "an IDX image file (unsigned bytes, 3 dimensions)")
        guard b.count >= 16 else {
            throw IDXError(.truncated, file: file, "truncated: \(b.count) bytes, shorter than the 16-byte header of an image file")
        }
        let n = Int(word(b, 4)), rows = Int(word(b, 8)), cols = Int(word(b, 12))
        guard rows > 0 && cols > 0 else {
            throw IDXError(.badDimensions, file: file, "bad dimensions: header says \(n) images of \(rows)×\(cols)")
        }
        if let e = expected, e.rows != rows || e.columns != cols {
            throw IDXError(.badDimensions, file: file, "bad dimensions: images are \(rows)×\(cols), expected \(e.rows)×\(e.columns)")
        }
        let (pixels, o1) = rows.multipliedReportingOverflow(by: cols)
        let (body, o2) = n.multipliedReportingOverflow(by: pixels)
        guard !o1 && !o2 && body <= Int(Int32.max) * 16 else {
            throw IDXError(.badDimensions, file: file, "bad dimensions: header says \(n) images of \(rows)×\(cols), far too large")
        }
        try checkLength(
            b.count, header: 16, body: body, file: file,
            says: "\(n) images of \(rows)×\(cols) (\(16 + body) bytes)")
        return IDXImages(count: n, rows: rows, columns: cols, pixels: Array(b[16...]))
    }

    /// Parses the (decompressed) bytes of a label file; `file` names it in errors.
    public static func parseLabels(_ b: [UInt8], file: String) throws -> [UInt8] {
        try checkMagic(b, labelMagic, file: file, what: "an IDX label file (unsigned bytes, 1 dimension)")
        guard b.count >= 8 else {
            throw IDXError(.truncated, file: file, "truncated: \(b.count) bytes, shorter than the 8-byte header of a label file")
        }
        let n = Int(word(b, 4))
        try checkLength(b.count, header: 8, body: n, file: file, says: "\(n) labels (\(8 + n) bytes)")
        let labels = Array(b[8...])
        if let i = labels.firstIndex(where: { $0 > 9 }) {
            throw IDXError(.badLabel, file: file, "bad label: label \(i) is \(labels[i]), expected a digit 0…9")
        }
        return labels
    }

    /// The bytes of an image file for `images`.
    public static func encode(_ images: IDXImages) -> [UInt8] {
        bigEndian(imageMagic) + bigEndian(UInt32(images.count)) + bigEndian(UInt32(images.rows))
            + bigEndian(UInt32(images.columns)) + images.pixels
    }

    /// The bytes of a label file for `labels`.
    public static func encode(labels: [UInt8]) -> [UInt8] {
        bigEndian(labelMagic) + bigEndian(UInt32(labels.count)) + labels
    }

    // MARK: - Private

    private static func checkMagic(_ b: [UInt8], _ magic: UInt32, file: String, what: String) throws {
        guard b.count >= 4 else {
            throw IDXError(.truncated, file: file, "truncated: \(b.count) bytes, too short for the 4-byte magic number")
        }
        let m = word(b, 0)
        guard m == magic else {
            var hint = ""
            if m == imageMagic { hint = " (this is an image file)" } else if m == labelMagic { hint = " (this is a label file)" }
            throw IDXError(.badMagic, file: file, String(format: "bad magic number 0x%08X%@, expected 0x%08X for %@", m, hint, magic, what))
        }
    }

    private static func checkLength(_ count: Int, header: Int, body: Int, file: String, says: String) throws {
        if count < header + body {
            throw IDXError(.truncated, file: file, "truncated: header says \(says) but the file has \(count) bytes")
        }
        if count > header + body {
            throw IDXError(.trailingBytes, file: file, "\(count - header - body) bytes after the data: header says \(says) but the file has \(count) bytes")
        }
    }

    private static func word(_ b: [UInt8], _ at: Int) -> UInt32 {
        UInt32(b[at]) << 24 | UInt32(b[at + 1]) << 16 | UInt32(b[at + 2]) << 8 | UInt32(b[at + 3])
    }

    private static func bigEndian(_ v: UInt32) -> [UInt8] {
        [UInt8(v >> 24), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)]
    }

    static func reason(_ error: Error) -> String {
        if let e = error as? CocoaError, let u = e.underlying as? POSIXError { return String(cString: strerror(u.code.rawValue)) }
        let ns = error as NSError
        if let u = ns.userInfo[NSUnderlyingErrorKey] as? NSError, u.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(u.code)))
        }
        return error.localizedDescription
    }
}
