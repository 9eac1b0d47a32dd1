// Gzip: whole-buffer gzip decompression and compression through zlib (CZlib).
import CZlib

/// gzip (RFC 1952) in memory, through zlib. Concatenated members are decompressed one after another,
/// as `gunzip` does.
enum Gzip {
    /// True when `bytes` start with the gzip magic `1f 8b`.
    static func isGzip(_ bytes: [UInt8]) -> Bool { bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B }

    /// Decompresses a gzip file, stopping once `limit` bytes are out (the result is then the first
    /// `limit` bytes; shorter data is returned whole); `file` names it in errors.
    /// - Throws: `IDXError.badGzip` for corrupt or truncated data.
    static func decompress(_ input: [UInt8], file: String, limit: Int = .max) throws -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(min(limit, input.count * 4))
        var stream = z_stream()
        // 15 + 16: a gzip wrapper (not zlib, not raw deflate).
        guard inflateInit2_(&stream, 15 + 16, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw IDXError(.badGzip, file: file, "gzip: cannot initialise zlib")
        }
        defer { inflateEnd(&stream) }
        let chunk = 1 << 20
        var buffer = [UInt8](repeating: 0, count: chunk)
        try input.withUnsafeBufferPointer { inBuf in
            stream.next_in = UnsafeMutablePointer(mutating: inBuf.baseAddress!)
            stream.avail_in = UInt32(inBuf.count)
            while true {
                let (status, produced) = buffer.withUnsafeMutableBufferPointer { out -> (Int32, Int) in
                    stream.next_out = out.baseAddress
                    stream.avail_out = UInt32(chunk)
                    let s = inflate(&stream, Z_NO_FLUSH)
                    return (s, chunk - Int(stream.avail_out))
                }
                output.append(contentsOf: buffer[0..<min(produced, limit - output.count)])
                if output.count >= limit { return }
                switch status {
                case Z_OK:
                    continue
                case Z_STREAM_END:
                    // Another member may follow; anything else after the end is not gzip.
                    let rest = Int(stream.avail_in)
                    if rest == 0 { return }
                    let offset = inBuf.count - rest
                    guard rest >= 2, inBuf[offset] == 0x1F, inBuf[offset + 1] == 0x8B else {
                        throw IDXError(.badGzip, file: file, "gzip: \(rest) bytes of garbage after the compressed data")
                    }
                    guard inflateReset(&stream) == Z_OK else { throw IDXError(.badGzip, file: file, "gzip: cannot reset zlib") }
                case Z_BUF_ERROR where stream.avail_in == 0:
                    throw IDXError(.badGzip, file: file, "gzip: truncated: the compressed data ends early (\(output.count) bytes decompressed)")
                default:
                    let why = stream.msg.map { String(cString: $0) } ?? "zlib error \(status)"
                    throw IDXError(.badGzip, file: file, "gzip: corrupt compressed data (\(why))")
                }
            }
        }
        return output
    }

    /// Compresses `input` into one gzip member (level 6).
    static func compress(_ input: [UInt8]) -> [UInt8] {
        var stream = z_stream()
        let ok = deflateInit2_(&stream, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        precondition(ok == Z_OK, "deflateInit2 failed (\(ok))")
        defer { deflateEnd(&stream) }
        let bound = Int(deflateBound(&stream, UInt(input.count))) + 64
        var output = [UInt8](repeating: 0, count: bound)
        var input = input
        let produced = input.withUnsafeMutableBufferPointer { inBuf -> Int in
            output.withUnsafeMutableBufferPointer { out -> Int in
                stream.next_in = inBuf.baseAddress
                stream.avail_in = UInt32(inBuf.count)
                stream.next_out = out.baseAddress
                stream.avail_out = UInt32(out.count)
                let s = deflate(&stream, Z_FINISH)
                precondition(s == Z_STREAM_END, "deflate did not finish (\(s))")
                return out.count - Int(stream.avail_out)
            }
        }
        return Array(output[0..<produced])
    }
}
