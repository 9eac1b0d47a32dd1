import Foundation

/// NumPy `.npz` archives (what `numpy.savez` writes): a ZIP archive of `.npy` arrays, one per name.
/// Sculpt writes and reads uncompressed (stored) archives of little-endian float arrays; `savez_compressed`
/// archives are refused with a line saying to use `numpy.savez`.
public enum NPZ {
    /// The bytes of an `.npz` holding `arrays` as `<f4` arrays, in order.
    public static func write(_ arrays: [(name: String, tensor: SafeTensors.Tensor)]) -> Data {
        var out = Data(), central = Data()
        for (name, t) in arrays {
            let file = Array((name + ".npy").utf8), body = npy(t)
            let crc = CRC32.checksum(body), offset = UInt32(out.count)
            // Local file header, stored (method 0), sizes known up front.
            out.append(le32(0x0403_4b50))
            out.append(le16(20)); out.append(le16(0)); out.append(le16(0)); out.append(le16(0)); out.append(le16(0x21))
            out.append(le32(crc)); out.append(le32(UInt32(body.count))); out.append(le32(UInt32(body.count)))
            out.append(le16(UInt16(file.count))); out.append(le16(0))
            out.append(contentsOf: file)
            out.append(contentsOf: body)
            // Its central directory entry.
            central.append(le32(0x0201_4b50)); central.append(le16(20)); central.append(le16(20))
            central.append(le16(0)); central.append(le16(0)); central.append(le16(0)); central.append(le16(0x21))
            central.append(le32(crc)); central.append(le32(UInt32(body.count))); central.append(le32(UInt32(body.count)))
            central.append(le16(UInt16(file.count))); central.append(le16(0)); central.append(le16(0))
            central.append(le16(0)); central.append(le16(0)); central.append(le32(0)); central.append(le32(offset))
            central.append(contentsOf: file)
        }
        let centralOffset = UInt32(out.count)
        out.append(central)
        out.append(le32(0x0605_4b50)); out.append(le16(0)); out.append(le16(0))
        out.append(le16(UInt16(arrays.count))); out.append(le16(UInt16(arrays.count)))
        out.append(le32(UInt32(central.count))); out.append(le32(centralOffset)); out.append(le16(0))
        return out
    }

    /// The arrays of an `.npz`, by name (without `.npy`), as Float.
    /// - Throws: `SafeTensorsError` naming the entry that is wrong.
    public static func read(_ data: Data) throws -> [String: SafeTensors.Tensor] {
        let b = [UInt8](data)
        func u16(_ i: Int) -> Int { Int(b[i]) | Int(b[i + 1]) << 8 }
        func u32(_ i: Int) -> Int { u16(i) | u16(i + 2) << 16 }
        var arrays: [String: SafeTensors.Tensor] = [:]
        var i = 0
        while i + 30 <= b.count && u32(i) == 0x0403_4b50 {
            let method = u16(i + 8), flags = u16(i + 6), nameLength = u16(i + 26), extra = u16(i + 28)
            var size = u32(i + 18)
            guard i + 30 + nameLength + extra <= b.count else { throw SafeTensorsError("npz: truncated entry header") }
            let name = String(decoding: b[(i + 30)..<(i + 30 + nameLength)], as: UTF8.self)
            if size == 0xFFFF_FFFF {
                // ZIP64 (numpy.savez writes it): the sizes are in the extra field with header ID 1.
                var e = i + 30 + nameLength
                while e + 4 <= i + 30 + nameLength + extra {
                    let id = u16(e), length = u16(e + 2)
                    if id == 1, length >= 16, e + 4 + 16 <= b.count {
                        let low = u32(e + 12), high = u32(e + 16)
                        guard high == 0 else { throw SafeTensorsError("npz entry '\(name)' is over 4 GB") }
                        size = low
                        break
                    }
                    e += 4 + length
                }
                guard size != 0xFFFF_FFFF else { throw SafeTensorsError("npz entry '\(name)': ZIP64 entry without its sizes") }
            }
            guard method == 0 else { throw SafeTensorsError("npz entry '\(name)' is compressed; write it with numpy.savez, not savez_compressed") }
            guard flags & 0x08 == 0 else { throw SafeTensorsError("npz entry '\(name)': sizes after the data are not supported") }
            let start = i + 30 + nameLength + extra
            guard start + size <= b.count else { throw SafeTensorsError("npz entry '\(name)': truncated (\(size) bytes declared)") }
            let key = name.hasSuffix(".npy") ? String(name.dropLast(4)) : name
            arrays[key] = try parseNPY(Array(b[start..<(start + size)]), name: name)
            i = start + size
        }
        guard !arrays.isEmpty else { throw SafeTensorsError("npz: no stored .npy entries (not a numpy.savez archive)") }
        return arrays
    }

    /// True when `data` starts like a ZIP archive.
    public static func looksLike(_ data: Data) -> Bool { data.count >= 4 && data.prefix(4) == Data([0x50, 0x4b, 0x03, 0x04]) }

    /// One `.npy` (format 1.0): magic, header dict padded to 64 bytes, little-endian float32 data.
    static func npy(_ t: SafeTensors.Tensor) -> [UInt8] {
        let shape = t.shape.count == 1 ? "(\(t.shape[0]),)" : "(" + t.shape.map(String.init).joined(separator: ", ") + ")"
        var header = Array("{'descr': '<f4', 'fortran_order': False, 'shape': \(shape), }".utf8)
        while (10 + header.count + 1) % 64 != 0 { header.append(UInt8(ascii: " ")) }
        header.append(UInt8(ascii: "\n"))
        var out: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.count & 0xFF), UInt8(header.count >> 8)] + header
        for v in t.values { withUnsafeBytes(of: v.bitPattern.littleEndian) { out.append(contentsOf: $0) } }
        return out
    }

    /// A `.npy` of `<f4`, `<f8` or `<f2` in C order.
    static func parseNPY(_ b: [UInt8], name: String) throws -> SafeTensors.Tensor {
        guard b.count >= 10, b[0] == 0x93, Array(b[1..<6]) == Array("NUMPY".utf8) else { throw SafeTensorsError("npz entry '\(name)' is not a .npy array") }
        let (headerStart, headerLength) =
            b[6] == 1 ? (10, Int(b[8]) | Int(b[9]) << 8) : (12, b.count >= 12 ? Int(b[8]) | Int(b[9]) << 8 | Int(b[10]) << 16 | Int(b[11]) << 24 : -1)
        guard headerLength >= 0, headerStart + headerLength <= b.count else { throw SafeTensorsError("npz entry '\(name)': truncated .npy header") }
        let header = String(decoding: b[headerStart..<(headerStart + headerLength)], as: UTF8.self)
        func field(_ key: String) -> String? {
            guard let r = header.range(of: "'\(key)':") else { return nil }
            return String(header[r.upperBound...]).trimmingCharacters(in: .whitespaces)
        }
        guard let descr = field("descr"), let order = field("fortran_order"), let shapeText = field("shape") else {
            throw SafeTensorsError("npz entry '\(name)': .npy header lacks descr, fortran_order or shape")
        }
        guard order.hasPrefix("False") else { throw SafeTensorsError("npz entry '\(name)': Fortran order is not supported; save a C-ordered array") }
        // Floats, and integers and booleans (labels, 0/1 targets), all read as Float.
        let kinds: [(String, Int, Character)] = [
            ("'<f4'", 4, "f"), ("'<f8'", 8, "f"), ("'<f2'", 2, "f"), ("'<i8'", 8, "i"), ("'<i4'", 4, "i"), ("'<i2'", 2, "i"),
            ("'|i1'", 1, "i"), ("'|u1'", 1, "u"), ("'<u2'", 2, "u"), ("'<u4'", 4, "u"), ("'<u8'", 8, "u"), ("'|b1'", 1, "u"),
        ]
        guard let (_, width, kind) = kinds.first(where: { descr.hasPrefix($0.0) }) else {
            throw SafeTensorsError(
                "npz entry '\(name)': dtype \(descr.prefix(while: { $0 != "," })) is not one of <f2, <f4, <f8, integers (<i8 … |u1) or |b1")
        }
        guard let close = shapeText.firstIndex(of: ")") else { throw SafeTensorsError("npz entry '\(name)': unreadable shape") }
        let shape = try shapeText.dropFirst().prefix(upTo: close).split(separator: ",").map { part -> Int in
            guard let n = Int(part.trimmingCharacters(in: .whitespaces)), n >= 0 else { throw SafeTensorsError("npz entry '\(name)': unreadable shape \(shapeText)") }
            return n
        }
        let count = shape.reduce(1) { $0.multipliedReportingOverflow(by: $1).overflow ? Int.max : $0 * $1 }
        let start = headerStart + headerLength
        guard count <= Int(Int32.max), start + count * width == b.count else {
            throw SafeTensorsError("npz entry '\(name)': shape \(shape) of \(width)-byte values does not match its \(b.count - start) data bytes")
        }
        func u(_ i: Int) -> UInt64 { (0..<width).reduce(UInt64(0)) { $0 | UInt64(b[start + i * width + $1]) << (8 * UInt64($1)) } }
        let values: [Float] = (0..<count).map { i in
            let raw = u(i)
            switch (kind, width) {
            case ("f", 4): return Float(bitPattern: UInt32(raw))
            case ("f", 8): return Float(Double(bitPattern: raw))
            case ("f", _): return Float(Float16(bitPattern: UInt16(raw)))
            case ("u", _): return Float(raw)
            default:
                // Sign-extend a two's-complement integer of `width` bytes.
                let shift = UInt64(64 - 8 * width)
                return Float(Int64(bitPattern: raw << shift) >> Int64(shift))
            }
        }
        return SafeTensors.Tensor(shape: shape, values: values)
    }

    static func le16(_ v: UInt16) -> Data { Data([UInt8(v & 0xFF), UInt8(v >> 8)]) }
    static func le32(_ v: UInt32) -> Data { Data((0..<4).map { UInt8(truncatingIfNeeded: v >> (8 * UInt32($0))) }) }
}

/// CRC-32 (the ZIP/zlib polynomial 0xEDB88320).
enum CRC32 {
    static let table: [UInt32] = (0..<256).map { n in
        (0..<8).reduce(UInt32(n)) { c, _ in c & 1 == 1 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
    }
    static func checksum(_ bytes: [UInt8]) -> UInt32 {
        ~bytes.reduce(UInt32.max) { c, b in table[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8) }
    }
}
