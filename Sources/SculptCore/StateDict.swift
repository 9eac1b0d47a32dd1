import Foundation

/// MLP weights named as PyTorch's `state_dict` names them: `P.weight` `[n_out, n_in]` and `P.bias`
/// `[n_out]` per `nn.Linear`, with `P` an `nn.Sequential` index (`0`, `2`, …) or a layer name (`fc1`, …),
/// and, as `torch.nn.utils.prune` leaves them, `P.weight_orig` with `P.weight_mask`. Reading and writing
/// safetensors files of such networks.
public enum StateDict {
    /// A masks file from a state dict. Layers are ordered by their names (numbers compared as numbers:
    /// `2` before `10`), and each must take the previous one's outputs as inputs. The edges are the
    /// nonzero entries of `P.weight_mask` when present, else of the weight: a zero weight counts as pruned.
    /// - Throws: `SafeTensorsError` naming the tensor that does not fit.
    public static func maskFile(_ tensors: [String: SafeTensors.Tensor], task: String? = nil) throws -> MaskFile {
        let n = try network(tensors)
        return MaskFile(arch: n.arch, task: task, masks: n.masks, weights: n.weights)
    }

    /// A whole MLP as a state dict holds it: the layers as `maskFile` orders and masks them, with their
    /// biases (zeros for a layer without `P.bias`).
    /// - Throws: `SafeTensorsError` naming the tensor that does not fit.
    public static func network(_ tensors: [String: SafeTensors.Tensor]) throws -> Network {
        var prefixes = Set<String>()
        for name in tensors.keys {
            for suffix in [".weight", ".weight_orig"] where name.hasSuffix(suffix) { prefixes.insert(String(name.dropLast(suffix.count))) }
        }
        guard !prefixes.isEmpty else {
            throw SafeTensorsError("no '<layer>.weight' tensors: expected a PyTorch MLP state_dict (found \(tensors.keys.sorted().prefix(5).joined(separator: ", ")))")
        }
        let order = prefixes.sorted(by: naturalOrder)
        var widths: [Int] = [], masks: [[Float]] = [], weights: [[Float]] = [], biases: [Float] = []
        for p in order {
            let name = tensors[p + ".weight"] != nil ? p + ".weight" : p + ".weight_orig"
            let w = tensors[name]!
            guard w.shape.count == 2, w.shape[0] >= 1, w.shape[1] >= 1 else {
                throw SafeTensorsError("tensor '\(name)': shape \(w.shape) is not [n_out, n_in]")
            }
            let (nOut, nIn) = (w.shape[0], w.shape[1])
            if widths.isEmpty {
                widths = [nIn]
            } else if nIn != widths.last! {
                throw SafeTensorsError(
                    "tensor '\(name)': [\(nOut), \(nIn)] cannot follow the layer before it, which has \(widths.last!) outputs (layers are taken in the order \(order.joined(separator: ", ")))"
                )
            }
            widths.append(nOut)
            if let b = tensors[p + ".bias"] {
                guard b.shape == [nOut] else { throw SafeTensorsError("tensor '\(p).bias': shape \(b.shape), expected [\(nOut)]") }
                guard b.values.allSatisfy({ $0.isFinite }) else { throw SafeTensorsError("tensor '\(p).bias': holds a value that is not finite") }
                biases += b.values
            } else {
                biases += [Float](repeating: 0, count: nOut)
            }
            let mask: [Float]
            if let m = tensors[p + ".weight_mask"] {
                guard m.shape == w.shape else { throw SafeTensorsError("tensor '\(p).weight_mask': shape \(m.shape), expected \(w.shape) like its weight") }
                mask = m.values.map { $0 != 0 ? 1 : 0 }
            } else {
                mask = w.values.map { $0 != 0 ? 1 : 0 }
            }
            guard w.values.allSatisfy({ $0.isFinite }) else { throw SafeTensorsError("tensor '\(name)': holds a value that is not finite") }
            masks.append(mask)
            weights.append(zip(w.values, mask).map { $0 * $1 })
        }
        let arch: Architecture
        do { arch = try Architecture(widths) } catch { throw SafeTensorsError("architecture \(widths): \(error)") }
        return Network(arch: arch, weights: weights, masks: masks, biases: biases)
    }

    /// One MLP's parameters: per layer the weights (pruned ones zero) and 0/1 masks, row-major
    /// `[n_out][n_in]`, and every layer's biases concatenated.
    public struct Network: Sendable, Equatable {
        public var arch: Architecture
        public var weights: [[Float]]
        public var masks: [[Float]]
        public var biases: [Float]

        public init(arch: Architecture, weights: [[Float]], masks: [[Float]], biases: [Float]) {
            self.arch = arch
            self.weights = weights
            self.masks = masks
            self.biases = biases
        }

        /// Hidden units with at least one incoming and one outgoing edge.
        public var liveHiddenUnits: Int {
            (1..<arch.depth).reduce(0) { sum, l in
                let (nOut, nIn) = arch.shape(l)  // layer l reads the hidden layer l's units as inputs
                let (_, inPrev) = arch.shape(l - 1)
                return sum
                    + (0..<nIn).filter { u in
                        (0..<nOut).contains { masks[l][$0 * nIn + u] != 0 } && (0..<inPrev).contains { masks[l - 1][u * inPrev + $0] != 0 }
                    }.count
            }
        }
    }

    /// The state dict in a PyTorch `.pth`/`.pt` (`torch.save`), NumPy `.npz` or `.safetensors` file, by
    /// extension or content, with the safetensors metadata; nil when `data` is none of the three.
    /// - Throws: the reader's error, prefixed with the format's name for npz and safetensors.
    public static func tensors(in data: Data, path: String) throws -> (tensors: [String: SafeTensors.Tensor], metadata: [String: String])? {
        if path.hasSuffix(".pth") || path.hasSuffix(".pt") || TorchFile.looksLike(data) {
            return (try TorchFile.read(data), [:])
        }
        if path.hasSuffix(".npz") || NPZ.looksLike(data) {
            do { return (try NPZ.read(data), [:]) } catch { throw SafeTensorsError("npz: \(error)") }
        }
        if path.hasSuffix(".safetensors") || SafeTensors.looksLike(data) {
            do { return try SafeTensors.read(data) } catch { throw SafeTensorsError("safetensors: \(error)") }
        }
        return nil
    }

    /// The network in a `.pth`, `.npz` or `.safetensors` file (`tensors(in:path:)`, `network(_:)`).
    /// - Throws: `MaskFileError` with the path and what is wrong.
    public static func network(contentsOf path: String) throws -> Network {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw MaskFileError(file: path, field: nil, problem: "cannot be read")
        }
        do {
            guard let (tensors, _) = try tensors(in: data, path: path) else {
                throw SafeTensorsError("not a .pth, .npz or .safetensors state dict of an MLP")
            }
            return try network(tensors)
        } catch let e as MaskFileError {
            throw e
        } catch {
            throw MaskFileError(file: path, field: nil, problem: "\(error)")
        }
    }

    /// A safetensors file of one masked MLP as `nn.Sequential(Linear, ReLU, …, Linear)` names it
    /// (`0.weight`, `0.bias`, `2.weight`, …), pruned weights as zeros, and `arch`/`task` metadata.
    public static func safetensors(arch: Architecture, weights: [[Float]], biases: [Float], masks: [[Float]], task: String?) throws -> Data {
        var metadata = ["format": "sculpt-export/1", "arch": arch.widths.map(String.init).joined(separator: ",")]
        if let task { metadata["task"] = task }
        return try SafeTensors.write(tensors(arch: arch, weights: weights, biases: biases, masks: masks), metadata: metadata)
    }

    /// The same tensors as a NumPy `.npz` (`numpy.load(path)["0.weight"]`; no metadata).
    public static func npz(arch: Architecture, weights: [[Float]], biases: [Float], masks: [[Float]]) -> Data {
        NPZ.write(tensors(arch: arch, weights: weights, biases: biases, masks: masks))
    }

    /// `0.weight`, `0.bias`, `2.weight`, … of a masked MLP, pruned weights as zeros.
    static func tensors(arch: Architecture, weights: [[Float]], biases: [Float], masks: [[Float]]) -> [(name: String, tensor: SafeTensors.Tensor)] {
        var tensors: [(name: String, tensor: SafeTensors.Tensor)] = []
        var offset = 0
        for l in 0..<arch.depth {
            let (nOut, nIn) = arch.shape(l)
            tensors.append(("\(2 * l).weight", .init(shape: [nOut, nIn], values: zip(weights[l], masks[l]).map { $1 != 0 ? $0 : 0 })))
            tensors.append(("\(2 * l).bias", .init(shape: [nOut], values: Array(biases[offset..<(offset + nOut)]))))
            offset += nOut
        }
        return tensors
    }

    /// `a` before `b` with dot-separated parts compared as numbers when both are numbers.
    static func naturalOrder(_ a: String, _ b: String) -> Bool {
        let x = a.split(separator: ".", omittingEmptySubsequences: false), y = b.split(separator: ".", omittingEmptySubsequences: false)
        for (p, q) in zip(x, y) where p != q {
            if let i = Int(p), let j = Int(q) { return i < j }
            let (pd, qd) = (p.drop { !$0.isNumber }, q.drop { !$0.isNumber })
            let (ps, qs) = (p.prefix { !$0.isNumber }, q.prefix { !$0.isNumber })
            if ps == qs, let i = Int(pd), let j = Int(qd) { return i < j }  // fc2 before fc10
            return p < q
        }
        return x.count < y.count
    }
}
