import Foundation

/// Reads the tensors of a PyTorch `torch.save` file (a zip with `data.pkl` and one `data/<key>` entry
/// per storage), such as a `state_dict` — the reference implementation's stored networks are these.
///
/// The pickle is interpreted by a strict machine that knows only what a `state_dict` needs: a handful
/// of opcodes, and as callables only `collections.OrderedDict`, `torch._utils._rebuild_tensor_v2`,
/// `torch._utils._rebuild_parameter` and the storage types. Anything else is refused, so no code in
/// a file ever runs.
public enum TorchFile {
    /// Whether `data` is a zip archive holding a `data.pkl` (how `torch.save` writes since PyTorch 1.6).
    public static func looksLike(_ data: Data) -> Bool {
        guard NPZ.looksLike(data), let entries = try? ZipStore.entries([UInt8](data)) else { return false }
        return entries.contains { $0.name.hasSuffix("/data.pkl") || $0.name == "data.pkl" }
    }

    /// The named tensors of a saved mapping (e.g. a `state_dict`), as Float.
    /// - Throws: `SafeTensorsError` naming what is wrong.
    public static func read(_ data: Data) throws -> [String: SafeTensors.Tensor] {
        let entries = try ZipStore.entries([UInt8](data))
        guard let pickle = entries.first(where: { $0.name.hasSuffix("/data.pkl") || $0.name == "data.pkl" }) else {
            throw SafeTensorsError("pth: no data.pkl in the archive (not a torch.save file of PyTorch 1.6 or later)")
        }
        let prefix = String(pickle.name.dropLast("data.pkl".count))
        let storages = Dictionary(entries.map { ($0.name, $0.bytes) }, uniquingKeysWith: { a, _ in a })
        var machine = Machine(bytes: Array(pickle.bytes)) { key in
            guard let b = storages[prefix + "data/" + key] else { throw SafeTensorsError("pth: storage '\(key)' is missing from the archive") }
            return b
        }
        guard case .dict(let items) = try machine.run() else {
            throw SafeTensorsError("pth: the file holds no mapping of names to tensors (save a state_dict)")
        }
        var out: [String: SafeTensors.Tensor] = [:]
        for (k, v) in items {
            guard case .string(let name) = k else { continue }
            if case .tensor(let t) = v { out[name] = t }
        }
        guard !out.isEmpty else { throw SafeTensorsError("pth: the mapping holds no tensors") }
        return out
    }

    /// A pickle value the machine builds.
    indirect enum Value {
        case none, bool(Bool), int(Int), float(Double), string(String), mark
        case tuple([Value]), list([Value]), dict([(Value, Value)])
        case global(String)
        /// A storage from the archive: its raw bytes and element type (`torch.FloatStorage` …).
        case storage(ArraySlice<UInt8>, String)
        case tensor(SafeTensors.Tensor)
    }

    /// Element width and decoder of each storage type.
    static let storageTypes: [String: (width: Int, decode: @Sendable (UInt64) -> Float)] = [
        "torch.FloatStorage": (4, { Float(bitPattern: UInt32($0)) }),
        "torch.DoubleStorage": (8, { Float(Double(bitPattern: $0)) }),
        "torch.HalfStorage": (2, { Float(Float16(bitPattern: UInt16($0))) }),
        "torch.BFloat16Storage": (2, { Float(bitPattern: UInt32($0) << 16) }),
        "torch.LongStorage": (8, { Float(Int64(bitPattern: $0)) }),
        "torch.IntStorage": (4, { Float(Int32(bitPattern: UInt32($0))) }),
        "torch.ShortStorage": (2, { Float(Int16(bitPattern: UInt16($0))) }),
        "torch.CharStorage": (1, { Float(Int8(bitPattern: UInt8($0))) }),
        "torch.ByteStorage": (1, { Float($0) }),
        "torch.BoolStorage": (1, { $0 != 0 ? 1 : 0 }),
    ]
    static let callables: Set<String> = ["collections.OrderedDict", "torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_parameter"]

    struct Machine {
        let bytes: [UInt8]
        let storage: (String) throws -> ArraySlice<UInt8>
        var i = 0
        var stack: [Value] = []
        var memo: [Int: Value] = [:]

        init(bytes: [UInt8], storage: @escaping (String) throws -> ArraySlice<UInt8>) {
            self.bytes = bytes
            self.storage = storage
        }

        func fail(_ what: String) -> SafeTensorsError { SafeTensorsError("pth: data.pkl at byte \(i): \(what)") }

        mutating func take(_ n: Int) throws -> ArraySlice<UInt8> {
            guard n >= 0, i + n <= bytes.count else { throw fail("truncated") }
            defer { i += n }
            return bytes[i..<(i + n)]
        }
        mutating func uint(_ n: Int) throws -> Int { try take(n).reversed().reduce(0) { $0 << 8 | Int($1) } }
        mutating func line() throws -> String {
            guard let end = bytes[i...].firstIndex(of: 0x0A) else { throw fail("unterminated name") }
            defer { i = end + 1 }
            return String(decoding: bytes[i..<end], as: UTF8.self)
        }
        mutating func pop() throws -> Value {
            guard let v = stack.popLast() else { throw fail("stack underflow") }
            return v
        }
        /// The values above the topmost mark, which is removed.
        mutating func popMark() throws -> [Value] {
            guard let m = stack.lastIndex(where: { if case .mark = $0 { return true } else { return false } }) else { throw fail("no mark") }
            defer { stack.removeSubrange(m...) }
            return Array(stack[(m + 1)...])
        }

        mutating func run() throws -> Value {
            while true {
                let op = try take(1).first!
                switch op {
                case 0x80: _ = try take(1)  // PROTO
                case 0x95: _ = try take(8)  // FRAME
                case 0x2E: return try pop()  // STOP
                case 0x28: stack.append(.mark)  // MARK
                case 0x4E: stack.append(.none)
                case 0x88: stack.append(.bool(true))
                case 0x89: stack.append(.bool(false))
                case 0x29: stack.append(.tuple([]))
                case 0x5D: stack.append(.list([]))
                case 0x7D: stack.append(.dict([]))
                case 0x4B: stack.append(.int(try uint(1)))  // BININT1
                case 0x4D: stack.append(.int(try uint(2)))  // BININT2
                case 0x4A: stack.append(.int(Int(Int32(truncatingIfNeeded: try uint(4)))))  // BININT
                case 0x8A:  // LONG1
                    let n = try uint(1)
                    guard n <= 8 else { throw fail("integer of \(n) bytes") }
                    let raw = try take(n)
                    var v = raw.reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
                    if n > 0 && n < 8 && raw.last! & 0x80 != 0 { v |= ~UInt64(0) << (8 * UInt64(n)) }
                    stack.append(.int(Int(Int64(bitPattern: v))))
                case 0x47: stack.append(.float(Double(bitPattern: UInt64(try take(8).reduce(0) { $0 << 8 | Int($1) }))))  // BINFLOAT, big-endian
                case 0x58: let n = try uint(4); stack.append(.string(String(decoding: try take(n), as: UTF8.self)))  // BINUNICODE
                case 0x8C: let n = try uint(1); stack.append(.string(String(decoding: try take(n), as: UTF8.self)))  // SHORT_BINUNICODE
                case 0x55: let n = try uint(1); stack.append(.string(String(decoding: try take(n), as: UTF8.self)))  // SHORT_BINSTRING
                case 0x71: memo[try uint(1)] = stack.last  // BINPUT
                case 0x72: memo[try uint(4)] = stack.last  // LONG_BINPUT
                case 0x94: memo[memo.count] = stack.last  // MEMOIZE
                case 0x68, 0x6A:  // BINGET, LONG_BINGET
                    let k = try uint(op == 0x68 ? 1 : 4)
                    guard let v = memo[k] else { throw fail("memo \(k) is empty") }
                    stack.append(v)
                case 0x74: stack.append(.tuple(try popMark()))  // TUPLE
                case 0x85: stack.append(.tuple([try pop()]))
                case 0x86: let b = try pop(), a = try pop(); stack.append(.tuple([a, b]))
                case 0x87: let c = try pop(), b = try pop(), a = try pop(); stack.append(.tuple([a, b, c]))
                case 0x63:  // GLOBAL
                    let name = try line() + "." + line()
                    guard TorchFile.callables.contains(name) || TorchFile.storageTypes[name] != nil else {
                        throw fail("refuses the global '\(name)': only tensors and state_dicts are read, and no code in a file is run")
                    }
                    stack.append(.global(name))
                case 0x51:  // BINPERSID: ('storage', type, key, location, numel)
                    guard case .tuple(let id) = try pop(), id.count >= 3, case .string("storage") = id[0], case .global(let type) = id[1],
                        case .string(let key) = id[2], TorchFile.storageTypes[type] != nil
                    else { throw fail("a persistent id that is not a tensor storage") }
                    stack.append(.storage(try storage(key), type))
                case 0x52:  // REDUCE
                    guard case .tuple(let args) = try pop(), case .global(let f) = try pop() else { throw fail("REDUCE without a callable and arguments") }
                    stack.append(try call(f, args))
                case 0x73:  // SETITEM
                    let v = try pop(), k = try pop()
                    try insert([(k, v)])
                case 0x75:  // SETITEMS
                    let flat = try popMark()
                    guard flat.count % 2 == 0 else { throw fail("SETITEMS with an odd count") }
                    try insert(stride(from: 0, to: flat.count, by: 2).map { (flat[$0], flat[$0 + 1]) })
                case 0x61:  // APPEND
                    let v = try pop()
                    guard case .list(let l) = try pop() else { throw fail("APPEND to a non-list") }
                    stack.append(.list(l + [v]))
                case 0x65:  // APPENDS
                    let vs = try popMark()
                    guard case .list(let l) = try pop() else { throw fail("APPENDS to a non-list") }
                    stack.append(.list(l + vs))
                case 0x62: _ = try pop()  // BUILD: state (e.g. a state_dict's _metadata) is not needed
                default: throw fail(String(format: "opcode 0x%02x is not read (a state_dict never needs it)", op))
                }
            }
        }

        mutating func insert(_ items: [(Value, Value)]) throws {
            guard case .dict(let d) = try pop() else { throw fail("SETITEM on a non-dict") }
            stack.append(.dict(d + items))
        }

        func call(_ f: String, _ args: [Value]) throws -> Value {
            switch f {
            case "collections.OrderedDict": return .dict([])
            case "torch._utils._rebuild_parameter":
                guard case .tensor(let t)? = args.first else { throw fail("_rebuild_parameter without a tensor") }
                return .tensor(t)
            case "torch._utils._rebuild_tensor_v2":
                guard args.count >= 4, case .storage(let raw, let type) = args[0], case .int(let offset) = args[1], case .tuple(let sizeValues) = args[2],
                    case .tuple(let strideValues) = args[3]
                else { throw fail("_rebuild_tensor_v2 with unexpected arguments") }
                let shape = try sizeValues.map { v -> Int in
                    guard case .int(let n) = v, n >= 0 else { throw fail("a tensor size that is not an integer ≥ 0") }
                    return n
                }
                let strides = try strideValues.map { v -> Int in
                    guard case .int(let n) = v, n >= 0 else { throw fail("a tensor stride that is not an integer ≥ 0") }
                    return n
                }
                guard shape.count == strides.count, offset >= 0 else { throw fail("tensor sizes and strides differ in rank") }
                let (width, decode) = TorchFile.storageTypes[type]!
                let elements = raw.count / width
                let count = shape.reduce(1) { $0.multipliedReportingOverflow(by: $1).overflow ? Int.max : $0 * $1 }
                guard count <= Int(Int32.max) else { throw fail("a tensor of more than 2^31 elements") }
                if count > 0 {
                    let last = offset + zip(shape, strides).reduce(0) { $0 + ($1.0 - 1) * $1.1 }
                    guard last < elements else { throw fail("tensor \(shape) at offset \(offset) reaches past its storage of \(elements) elements") }
                }
                let base = raw.startIndex
                func element(_ e: Int) -> Float {
                    let at = base + e * width
                    return decode((0..<width).reduce(UInt64(0)) { $0 | UInt64(raw[at + $1]) << (8 * UInt64($1)) })
                }
                var values = [Float]()
                values.reserveCapacity(count)
                var index = [Int](repeating: 0, count: shape.count)
                for _ in 0..<count {
                    values.append(element(offset + zip(index, strides).reduce(0) { $0 + $1.0 * $1.1 }))
                    var d = shape.count - 1
                    while d >= 0 {
                        index[d] += 1
                        if index[d] < shape[d] { break }
                        index[d] = 0
                        d -= 1
                    }
                }
                return .tensor(SafeTensors.Tensor(shape: shape, values: values))
            default: throw fail("'\(f)' is not called by this reader")
            }
        }
    }
}
