import Foundation

/// The safetensors format (Hugging Face): an 8-byte little-endian header length N, N bytes of JSON
/// mapping each tensor name to `{"dtype", "shape", "data_offsets": [begin, end]}` (offsets into the
/// data after the header) plus an optional `"__metadata__"` of strings, then the raw little-endian
/// tensor data. Sculpt reads F32, F16, BF16 and F64 tensors (as Float) and writes F32.
public enum SafeTensors {
    /// One tensor: its shape and values in row-major order.
    public struct Tensor: Equatable, Sendable {
        public var shape: [Int]
        public var values: [Float]
        public init(shape: [Int], values: [Float]) {
            self.shape = shape
            self.values = values
        }
    }

    /// Largest header accepted (the format's own limit is 100 MB).
    static let maxHeader = 100_000_000

    /// True when `data` looks like a safetensors file (a plausible header length and a JSON object).
    public static func looksLike(_ data: Data) -> Bool {
        guard data.count >= 10 else { return false }
        let n = data.prefix(8).enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        return n >= 2 && n <= UInt64(min(maxHeader, data.count - 8)) && data[data.startIndex + 8] == UInt8(ascii: "{")
    }

    /// - Throws: `SafeTensorsError` naming the tensor or header field that is wrong.
    public static func read(_ data: Data) throws -> (tensors: [String: Tensor], metadata: [String: String]) {
        let bytes = [UInt8](data)
        guard bytes.count >= 8 else { throw SafeTensorsError("shorter than the 8-byte header length") }
        let n = (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[$1]) << (8 * UInt64($1)) }
        guard n <= UInt64(maxHeader), 8 + Int(n) <= bytes.count else {
            throw SafeTensorsError("header length \(n) does not fit the file's \(bytes.count) bytes")
        }
        let dataStart = 8 + Int(n)
        guard let header = try? JSONSerialization.jsonObject(with: Data(bytes[8..<dataStart])) as? [String: Any] else {
            throw SafeTensorsError("the header is not a JSON object")
        }
        var tensors: [String: Tensor] = [:], metadata: [String: String] = [:]
        var spans: [(Int, Int, String)] = []
        for (name, value) in header {
            if name == "__metadata__" {
                guard let m = value as? [String: String] else { throw SafeTensorsError("__metadata__ is not a map of strings") }
                metadata = m
                continue
            }
            guard let t = value as? [String: Any], let dtype = t["dtype"] as? String, let shapeAny = t["shape"] as? [Any],
                let offsets = t["data_offsets"] as? [Any], offsets.count == 2
            else { throw SafeTensorsError("tensor '\(name)': needs dtype, shape and two data_offsets") }
            let shape = try shapeAny.map { v -> Int in
                guard let d = (v as? NSNumber)?.doubleValue, d >= 0, d == d.rounded(), d < 1e12 else {
                    throw SafeTensorsError("tensor '\(name)': shape \(shapeAny) is not a list of sizes")
                }
                return Int(d)
            }
            let o = try offsets.map { v -> Int in
                guard let d = (v as? NSNumber)?.doubleValue, d >= 0, d == d.rounded(), d < 1e15 else {
                    throw SafeTensorsError("tensor '\(name)': data_offsets \(offsets) are not byte offsets")
                }
                return Int(d)
            }
            let width: Int
            switch dtype {
            case "F32": width = 4
            case "F16", "BF16": width = 2
            case "F64": width = 8
            default: throw SafeTensorsError("tensor '\(name)': dtype \(dtype) is not one of F32, F16, BF16, F64")
            }
            var count = 1
            for s in shape {
                let (c, overflow) = count.multipliedReportingOverflow(by: s)
                guard !overflow, c <= Int(Int32.max) else { throw SafeTensorsError("tensor '\(name)': shape \(shape) is too large") }
                count = c
            }
            guard o[0] <= o[1], o[1] - o[0] == count * width, dataStart + o[1] <= bytes.count else {
                throw SafeTensorsError(
                    "tensor '\(name)': data_offsets \(o) hold \(o[1] - o[0]) bytes; \(dtype) \(shape) needs \(count * width) within the file's \(bytes.count - dataStart) data bytes"
                )
            }
            spans.append((o[0], o[1], name))
            let base = dataStart + o[0]
            func u(_ i: Int, _ k: Int) -> UInt64 { (0..<k).reduce(UInt64(0)) { $0 | UInt64(bytes[base + i * k + $1]) << (8 * UInt64($1)) } }
            let values: [Float] = (0..<count).map { i in
                switch dtype {
                case "F32": return Float(bitPattern: UInt32(u(i, 4)))
                case "F64": return Float(Double(bitPattern: u(i, 8)))
                case "BF16": return Float(bitPattern: UInt32(u(i, 2)) << 16)
                default: return Float(Float16(bitPattern: UInt16(u(i, 2))))
                }
            }
            tensors[name] = Tensor(shape: shape, values: values)
        }
        spans.sort { ($0.0, $0.1) < ($1.0, $1.1) }
        for (a, b) in zip(spans, spans.dropFirst()) where b.0 < a.1 {
            throw SafeTensorsError("tensors '\(a.2)' and '\(b.2)' overlap in the data")
        }
        return (tensors, metadata)
    }

    /// The bytes of a safetensors file holding `tensors` as F32, in the order given (names must be
    /// distinct), with optional string metadata.
    public static func write(_ tensors: [(name: String, tensor: Tensor)], metadata: [String: String] = [:]) throws -> Data {
        var header: [String: Any] = [:]
        if !metadata.isEmpty { header["__metadata__"] = metadata }
        var offset = 0
        for (name, t) in tensors {
            precondition(header[name] == nil, "tensor \(name) twice")
            precondition(t.shape.reduce(1, *) == t.values.count, "tensor \(name): shape \(t.shape) does not hold \(t.values.count) values")
            header[name] = ["dtype": "F32", "shape": t.shape, "data_offsets": [offset, offset + 4 * t.values.count]]
            offset += 4 * t.values.count
        }
        var json = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        while (8 + json.count) % 8 != 0 { json.append(UInt8(ascii: " ")) }  // the data starts 8-byte aligned
        var out = Data((0..<8).map { UInt8(truncatingIfNeeded: UInt64(json.count) >> (8 * UInt64($0))) })
        out.append(json)
        out.reserveCapacity(out.count + offset)
        for (_, t) in tensors {
            for v in t.values { withUnsafeBytes(of: v.bitPattern.littleEndian) { out.append(contentsOf: $0) } }
        }
        return out
    }
}

/// A malformed safetensors file.
public struct SafeTensorsError: Error, CustomStringConvertible, Equatable {
    public let description: String
    public init(_ d: String) { description = d }
}
