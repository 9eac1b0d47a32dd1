import Foundation

/// A pruned network's surviving edges: the `sculpt-masks/1` format (docs/formats.md).
///
/// `{"format":"sculpt-masks/1","arch":[n0,…,nL],"task":"xor-pairs","layers":[{"shape":[n_out,n_in],
/// "edges":[[source,target],…],"weights":[w,…]},…]}` — layer l's surviving edges from unit `source`
/// of layer l to unit `target` of layer l+1; `weights` (optional) in the order of `edges`.
public struct MaskFile: Equatable, Sendable {
    public static let formatTag = "sculpt-masks/1"

    public var arch: [Int]
    /// The most units (all layers' widths together) a masks file may declare: ~1 M, far above any
    /// network Sculpt trains, low enough that analysis state for them fits in memory.
    public static let maxUnits = 1 << 20
    /// The task's name (a built-in name or a file path), when known; judges use it.
    public var task: String?
    /// `edges[l]` = surviving edges of weight layer l as (source in layer l, target in layer l+1).
    public var edges: [[Edge]]
    /// `weights[l][e]` = weight of `edges[l][e]`, when stored.
    public var weights: [[Float]]?
    /// Free-form string facts (seed, P_u, P_e, accuracy, …) carried along for reports.
    public var meta: [String: String]

    public struct Edge: Hashable, Sendable, Comparable {
        public var source: Int
        public var target: Int
        public init(_ source: Int, _ target: Int) { self.source = source; self.target = target }
        public static func < (a: Edge, b: Edge) -> Bool { (a.source, a.target) < (b.source, b.target) }
    }

    public init(arch: [Int], task: String? = nil, edges: [[Edge]], weights: [[Float]]? = nil, meta: [String: String] = [:]) {
        self.arch = arch
        self.task = task
        self.edges = edges
        self.weights = weights
        self.meta = meta
    }

    /// Builds the file from dense 0/1 masks of one model, `masks[l]` row-major `[n_out][n_in]`
    /// (docs/layout.md "Conventions"), with the matching weights when given.
    public init(arch: Architecture, task: String?, masks: [[Float]], weights: [[Float]]? = nil, meta: [String: String] = [:]) {
        var edges: [[Edge]] = []
        var ws: [[Float]] = []
        for l in 0..<arch.depth {
            let (nOut, nIn) = arch.shape(l)
            var le: [Edge] = []
            var lw: [Float] = []
            // Edges sorted by (source, target), so files are stable and diffable.
            for i in 0..<nIn {
                for j in 0..<nOut where masks[l][j * nIn + i] != 0 {
                    le.append(Edge(i, j))
                    if let weights { lw.append(weights[l][j * nIn + i]) }
                }
            }
            edges.append(le)
            ws.append(lw)
        }
        self.init(arch: arch.widths, task: task, edges: edges, weights: weights == nil ? nil : ws, meta: meta)
    }

    /// Number of surviving edges over all layers.
    public var edgeCount: Int { edges.reduce(0) { $0 + $1.count } }

    /// Dense 0/1 mask of layer `l`, row-major `[n_out][n_in]`.
    public func denseMask(_ l: Int) -> [Float] {
        let nIn = arch[l], nOut = arch[l + 1]
        var m = [Float](repeating: 0, count: nIn * nOut)
        for e in edges[l] { m[e.target * nIn + e.source] = 1 }
        return m
    }

    // MARK: - JSON

    /// The document as written: keys exactly as named here (meta keys are the caller's), sorted.
    private struct Document: Encodable {
        struct Layer: Encodable {
            var shape: [Int]
            var edges: [[Int]]
            var weights: [Float]?
        }
        var format: String
        var arch: [Int]
        var task: String?
        var layers: [Layer]
        var meta: [String: String]?
    }

    /// Compact, key-sorted JSON of the file.
    /// - Throws: `EncodingError` for a weight that is not finite.
    public func jsonData() throws -> Data {
        let layers = (0..<edges.count).map { l in
            Document.Layer(shape: [arch[l + 1], arch[l]], edges: edges[l].map { [$0.source, $0.target] }, weights: weights?[l])
        }
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try e.encode(Document(format: Self.formatTag, arch: arch, task: task, layers: layers, meta: meta.isEmpty ? nil : meta))
    }

    /// Reads and validates a `sculpt-masks/1` document.
    /// - Throws: `MaskFileError` naming the field that is wrong.
    public init(jsonData data: Data) throws {
        let any: Any
        // JSONSerialization keeps one of two equal keys silently; a file that says two things is refused.
        if let key = Self.duplicateKey(in: data) { throw MaskFileError(field: key, problem: "appears twice in one object") }
        do { any = try JSONSerialization.jsonObject(with: data) } catch {
            throw MaskFileError(field: nil, problem: "not JSON")
        }
        guard let o = any as? [String: Any] else { throw MaskFileError(field: nil, problem: "expected a JSON object") }
        guard let format = o["format"] as? String else { throw MaskFileError(field: "format", problem: "missing") }
        guard format == Self.formatTag else {
            throw MaskFileError(field: "format", problem: "is '\(format)', expected '\(Self.formatTag)'")
        }
        guard let archAny = o["arch"] as? [Any] else { throw MaskFileError(field: "arch", problem: "missing or not a list") }
        let arch = try archAny.enumerated().map { i, v -> Int in
            guard let n = Self.int(v) else { throw MaskFileError(field: "arch[\(i)]", problem: "not an integer") }
            guard n >= 1 else { throw MaskFileError(field: "arch[\(i)]", problem: "width \(n) is below 1") }
            return n
        }
        guard arch.count >= 2 else { throw MaskFileError(field: "arch", problem: "needs at least 2 layers") }
        // Checked before anything is allocated from the declared widths: analysis keeps state per unit.
        let units = arch.reduce(0) { $0 > Self.maxUnits ? $0 : $0 + min($1, Self.maxUnits + 1) }
        guard units <= Self.maxUnits else {
            throw MaskFileError(field: "arch", problem: "declares more than \(Self.maxUnits) units in all; analysis supports at most that many")
        }
        guard (try? Architecture(arch)) != nil else {
            throw MaskFileError(field: "arch", problem: "has more than \(Architecture.maxWeights) weights; at most that many are supported")
        }
        var task: String? = nil
        if let t = o["task"] {
            guard let s = t as? String else { throw MaskFileError(field: "task", problem: "not a string") }
            task = s
        }
        guard let layersAny = o["layers"] as? [Any] else { throw MaskFileError(field: "layers", problem: "missing or not a list") }
        guard layersAny.count == arch.count - 1 else {
            throw MaskFileError(field: "layers", problem: "has \(layersAny.count) entries, arch \(arch) needs \(arch.count - 1)")
        }
        var edges: [[Edge]] = []
        var weights: [[Float]] = []
        var sawWeights: Bool? = nil
        for (l, layerAny) in layersAny.enumerated() {
            let f = "layers[\(l)]"
            guard let layer = layerAny as? [String: Any] else { throw MaskFileError(field: f, problem: "not an object") }
            if let shapeAny = layer["shape"] {
                guard let shape = shapeAny as? [Any], shape.count == 2, let a = Self.int(shape[0]), let b = Self.int(shape[1]) else {
                    throw MaskFileError(field: "\(f).shape", problem: "expected [n_out, n_in]")
                }
                guard a == arch[l + 1] && b == arch[l] else {
                    throw MaskFileError(field: "\(f).shape", problem: "is [\(a),\(b)] but arch needs [\(arch[l + 1]),\(arch[l])]")
                }
            }
            guard let edgeList = layer["edges"] as? [Any] else { throw MaskFileError(field: "\(f).edges", problem: "missing or not a list") }
            var seen = Set<Edge>()
            var le: [Edge] = []
            for (e, pairAny) in edgeList.enumerated() {
                guard let pair = pairAny as? [Any], pair.count == 2, let s = Self.int(pair[0]), let t = Self.int(pair[1]) else {
                    throw MaskFileError(field: "\(f).edges[\(e)]", problem: "expected [source, target]")
                }
                guard s >= 0 && s < arch[l] else {
                    throw MaskFileError(field: "\(f).edges[\(e)]", problem: "source \(s) out of range 0..<\(arch[l])")
                }
                guard t >= 0 && t < arch[l + 1] else {
                    throw MaskFileError(field: "\(f).edges[\(e)]", problem: "target \(t) out of range 0..<\(arch[l + 1])")
                }
                let edge = Edge(s, t)
                guard seen.insert(edge).inserted else {
                    throw MaskFileError(field: "\(f).edges[\(e)]", problem: "duplicate edge [\(s),\(t)]")
                }
                le.append(edge)
            }
            let hasW = layer["weights"] != nil
            if let prior = sawWeights, prior != hasW {
                throw MaskFileError(field: "\(f).weights", problem: "present in some layers and not others")
            }
            sawWeights = hasW
            if hasW {
                guard let ws = layer["weights"] as? [Any] else { throw MaskFileError(field: "\(f).weights", problem: "not a list") }
                guard ws.count == le.count else {
                    throw MaskFileError(field: "\(f).weights", problem: "has \(ws.count) values for \(le.count) edges")
                }
                weights.append(
                    try ws.enumerated().map { i, v in
                        guard let d = (v as? NSNumber)?.doubleValue, d.isFinite else {
                            throw MaskFileError(field: "\(f).weights[\(i)]", problem: "not a finite number")
                        }
                        // Weights are Float: 1e39 would become infinity.
                        guard Float(d).isFinite else {
                            throw MaskFileError(field: "\(f).weights[\(i)]", problem: "\(d) is beyond the range of a 32-bit float")
                        }
                        return Float(d)
                    })
            }
            edges.append(le)
        }
        var meta: [String: String] = [:]
        if let m = o["meta"] as? [String: Any] {
            for (k, v) in m { meta[k] = (v as? String) ?? "\(v)" }
        }
        self.init(arch: arch, task: task, edges: edges, weights: sawWeights == true ? weights : nil, meta: meta)
    }

    /// Reads a masks file, or a safetensors, NumPy `.npz` or PyTorch `.pth` (`torch.save` of a
    /// `state_dict`) file of a PyTorch-named MLP (`StateDict`).
    /// - Throws: `MaskFileError` with the path.
    public init(contentsOf path: String) throws {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw MaskFileError(file: path, field: nil, problem: "cannot be read")
        }
        do {
            if let (tensors, metadata) = try StateDict.tensors(in: data, path: path) {
                self = try StateDict.maskFile(tensors, task: metadata["task"])
                return
            }
        } catch {
            throw MaskFileError(file: path, field: nil, problem: "\(error)")
        }
        do { try self.init(jsonData: data) } catch var e as MaskFileError {
            e.file = path
            throw e
        }
    }

    /// The first key that appears twice in one JSON object of `data`, if any (a single linear scan of
    /// the text; malformed JSON is left to the parser).
    static func duplicateKey(in data: Data) -> String? {
        var stack: [Set<String>?] = []  // per open container: the object's keys, nil for an array
        var i = data.startIndex, lastString: String? = nil
        while i < data.endIndex {
            let c = data[i]
            switch c {
            case UInt8(ascii: "{"): stack.append([])
            case UInt8(ascii: "["): stack.append(nil)
            case UInt8(ascii: "}"), UInt8(ascii: "]"): if !stack.isEmpty { stack.removeLast() }
            case UInt8(ascii: "\""):
                var j = i + 1, bytes: [UInt8] = []
                while j < data.endIndex && data[j] != UInt8(ascii: "\"") {
                    if data[j] == UInt8(ascii: "\\") { bytes.append(data[j]); j += 1 }
                    if j < data.endIndex { bytes.append(data[j]) }
                    j += 1
                }
                lastString = String(decoding: bytes, as: UTF8.self)
                i = j
            case UInt8(ascii: ":"):
                if let key = lastString, let top = stack.last, var keys = top {
                    if keys.contains(key) { return key }
                    keys.insert(key)
                    stack[stack.count - 1] = keys
                }
            default: break
            }
            if c != UInt8(ascii: "\"") && c != UInt8(ascii: ":") && c > 0x20 { lastString = nil }
            i += 1
        }
        return nil
    }

    private static func int(_ v: Any) -> Int? {
        guard let n = v as? NSNumber, String(cString: n.objCType) != "c" else { return nil }
        let d = n.doubleValue
        guard d.isFinite, d == d.rounded(), abs(d) < 1e15 else { return nil }
        return Int(d)
    }
}

/// A malformed masks file: the file, the field and what is wrong with it.
public struct MaskFileError: Error, CustomStringConvertible, Equatable {
    public var file: String?
    public var field: String?
    public var problem: String

    public init(file: String? = nil, field: String?, problem: String) {
        self.file = file
        self.field = field
        self.problem = problem
    }

    public var description: String {
        let where_ = [file, field.map { "field \($0)" }].compactMap { $0 }.joined(separator: ": ")
        return (where_.isEmpty ? "" : where_ + ": ") + problem
    }
}
