/// The stored (uncompressed) entries of a ZIP archive, read through its central directory — the
/// only reliable source of sizes when entries use data descriptors, as PyTorch's `torch.save`
/// writes them. ZIP64 sizes and offsets are read; compressed entries are refused.
public enum ZipStore {
    /// Entry name → its bytes, in archive order.
    /// - Throws: `SafeTensorsError` naming what is wrong.
    public static func entries(_ b: [UInt8]) throws -> [(name: String, bytes: ArraySlice<UInt8>)] {
        func u16(_ i: Int) -> Int { Int(b[i]) | Int(b[i + 1]) << 8 }
        func u32(_ i: Int) -> Int { u16(i) | u16(i + 2) << 16 }
        func u64(_ i: Int) -> Int? {
            let high = u32(i + 4)
            return high < 1 << 20 ? u32(i) | high << 32 : nil
        }
        // End of central directory: the last signature within 64 KB + 22 bytes of the end.
        guard b.count >= 22 else { throw SafeTensorsError("zip: too short to be an archive") }
        guard let eocd = stride(from: b.count - 22, through: max(0, b.count - 22 - 65_535), by: -1).first(where: { u32($0) == 0x0605_4b50 }) else {
            throw SafeTensorsError("zip: no end-of-central-directory record (truncated or not a zip archive)")
        }
        var count = u16(eocd + 10), offset = u32(eocd + 16)
        if count == 0xFFFF || offset == 0xFFFF_FFFF {
            // ZIP64: the locator just before the record points at the ZIP64 end record.
            let locator = eocd - 20
            guard locator >= 0, u32(locator) == 0x0706_4b50, let at = u64(locator + 8), at >= 0, at + 56 <= b.count, u32(at) == 0x0606_4b50,
                let n = u64(at + 32), let o = u64(at + 48)
            else { throw SafeTensorsError("zip: unreadable ZIP64 end record") }
            (count, offset) = (n, o)
        }
        var out: [(String, ArraySlice<UInt8>)] = []
        var p = offset
        for _ in 0..<count {
            guard p >= 0, p + 46 <= b.count, u32(p) == 0x0201_4b50 else { throw SafeTensorsError("zip: central directory entry out of place") }
            let method = u16(p + 10), nameLength = u16(p + 28), extraLength = u16(p + 30), commentLength = u16(p + 32)
            var compressed = u32(p + 20), size = u32(p + 24), local = u32(p + 42)
            guard p + 46 + nameLength + extraLength <= b.count else { throw SafeTensorsError("zip: truncated central directory") }
            let name = String(decoding: b[(p + 46)..<(p + 46 + nameLength)], as: UTF8.self)
            // ZIP64 extended information (header ID 1): the fields that were 0xFFFFFFFF, in order.
            var e = p + 46 + nameLength
            while e + 4 <= p + 46 + nameLength + extraLength {
                let id = u16(e), length = u16(e + 2)
                if id == 1 {
                    var f = e + 4
                    for field in [0, 1, 2] {
                        let wide = [size, compressed, local][field] == 0xFFFF_FFFF
                        guard wide else { continue }
                        guard f + 8 <= e + 4 + length, let v = u64(f) else { throw SafeTensorsError("zip entry '\(name)': unreadable ZIP64 field") }
                        if field == 0 { size = v } else if field == 1 { compressed = v } else { local = v }
                        f += 8
                    }
                }
                e += 4 + length
            }
            guard method == 0, compressed == size else { throw SafeTensorsError("zip entry '\(name)' is compressed; only stored entries are read") }
            guard local >= 0, local + 30 <= b.count, u32(local) == 0x0403_4b50 else { throw SafeTensorsError("zip entry '\(name)': local header out of place") }
            let start = local + 30 + u16(local + 26) + u16(local + 28)
            guard start + size <= b.count else { throw SafeTensorsError("zip entry '\(name)': truncated (\(size) bytes declared)") }
            out.append((name, b[start..<(start + size)]))
            p += 46 + nameLength + extraLength + commentLength
        }
        return out
    }
}
