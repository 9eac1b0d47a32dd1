import Foundation
import SculptCore
import XCTest

/// safetensors files of PyTorch MLPs: round trip, F16/BF16/F64, masks, and one-line errors naming the
/// tensor for every malformation.
final class SafeTensorsTests: XCTestCase {
    typealias T = SafeTensors.Tensor

    /// A file with a hand-made header (for dtypes and malformations the writer never produces).
    func file(_ header: String, data: [UInt8]) -> Data {
        var d = Data((0..<8).map { UInt8(truncatingIfNeeded: UInt64(header.utf8.count) >> (8 * UInt64($0))) })
        d.append(contentsOf: Array(header.utf8))
        d.append(contentsOf: data)
        return d
    }

    func testRoundTripAndStateDictNaming() throws {
        let w0 = T(shape: [3, 2], values: [1, 0, 0, 2, 3, 0]), w1 = T(shape: [1, 3], values: [0, 4, 5])
        let data = try SafeTensors.write([("0.weight", w0), ("0.bias", T(shape: [3], values: [0, 0, 0])), ("2.weight", w1)], metadata: ["task": "t"])
        XCTAssert(SafeTensors.looksLike(data))
        let read = try SafeTensors.read(data)
        XCTAssertEqual(read.tensors["0.weight"], w0)
        XCTAssertEqual(read.metadata["task"], "t")
        let masks = try StateDict.maskFile(read.tensors)
        XCTAssertEqual(masks.arch, [2, 3, 1])
        XCTAssertEqual(masks.edges.map(\.count), [3, 2], "zeros are pruned")
    }

    /// The whole network, biases included (zeros where a layer has none), and its live hidden units.
    func testNetworkWithBiasesAndLiveUnits() throws {
        // [2, 3, 1]: hidden unit 0 reads x0 but feeds nothing; 1 reads x1 and feeds the output; 2 reads nothing.
        let t: [String: T] = [
            "lin1.weight": T(shape: [3, 2], values: [1, 0, 0, 2, 0, 0]), "lin1.bias": T(shape: [3], values: [0.5, -1, 0]),
            "lin2.weight": T(shape: [1, 3], values: [0, 4, 5]),
        ]
        let n = try StateDict.network(t)
        XCTAssertEqual(n.arch.widths, [2, 3, 1])
        XCTAssertEqual(n.biases, [0.5, -1, 0, 0], "lin2 has no bias: zero")
        XCTAssertEqual(n.masks, [[1, 0, 0, 1, 0, 0], [0, 1, 1]])
        XCTAssertEqual(n.weights, [[1, 0, 0, 2, 0, 0], [0, 4, 5]])
        XCTAssertEqual(n.liveHiddenUnits, 1)
        var bad = t
        bad["lin1.bias"] = T(shape: [3], values: [0, .nan, 0])
        XCTAssertThrowsError(try StateDict.network(bad)) { XCTAssert("\($0)".contains("lin1.bias"), "\($0)") }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sculpt-net-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("net.safetensors").path
        try SafeTensors.write(t.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }, metadata: [:]).write(to: URL(fileURLWithPath: path))
        XCTAssertEqual(try StateDict.network(contentsOf: path), n)
        let json = dir.appendingPathComponent("masks.json").path
        try Data("{}".utf8).write(to: URL(fileURLWithPath: json))
        XCTAssertThrowsError(try StateDict.network(contentsOf: json)) { XCTAssert("\($0)".contains("not a .pth, .npz or .safetensors"), "\($0)") }
        XCTAssertThrowsError(try StateDict.network(contentsOf: dir.appendingPathComponent("absent.pth").path)) {
            XCTAssert("\($0)".contains("cannot be read"), "\($0)")
        }
    }

    func testOtherDtypesAndPruneMasks() throws {
        // F16 1.0 = 0x3C00, BF16 2.0 = 0x4000, F64 −3.0.
        let f16 = file(#"{"a.weight":{"dtype":"F16","shape":[1,1],"data_offsets":[0,2]}}"#, data: [0x00, 0x3C])
        XCTAssertEqual(try SafeTensors.read(f16).tensors["a.weight"]?.values, [1])
        let bf16 = file(#"{"a.weight":{"dtype":"BF16","shape":[1,1],"data_offsets":[0,2]}}"#, data: [0x00, 0x40])
        XCTAssertEqual(try SafeTensors.read(bf16).tensors["a.weight"]?.values, [2])
        var minus3 = (-3.0).bitPattern.littleEndian
        let f64 = file(#"{"a.weight":{"dtype":"F64","shape":[1,1],"data_offsets":[0,8]}}"#, data: withUnsafeBytes(of: &minus3) { Array($0) })
        XCTAssertEqual(try SafeTensors.read(f64).tensors["a.weight"]?.values, [-3])
        // torch.nn.utils.prune's weight_orig + weight_mask: the mask decides, not the zeros.
        let t: [String: T] = [
            "fc1.weight_orig": T(shape: [2, 2], values: [1, 2, 3, 4]), "fc1.weight_mask": T(shape: [2, 2], values: [1, 0, 0, 1]),
            "fc10.weight": T(shape: [1, 2], values: [5, 6]), "fc2.weight": T(shape: [2, 2], values: [1, 1, 1, 1]),
        ]
        let m = try StateDict.maskFile(t)
        XCTAssertEqual(m.arch, [2, 2, 2, 1], "fc1, fc2, fc10 in that order")
        XCTAssertEqual(m.edges[0].count, 2)
    }

    func testMalformedFilesNameWhatIsWrong() throws {
        let ok = #"{"a.weight":{"dtype":"F32","shape":[1,1],"data_offsets":[0,4]}}"#
        for (what, data, fragment) in [
            ("truncated", file(ok, data: [0, 0]), "needs 4"),
            ("header past the end", Data([200, 0, 0, 0, 0, 0, 0, 0, 0x7B]), "does not fit"),
            ("dtype", file(#"{"a.weight":{"dtype":"I64","shape":[1],"data_offsets":[0,8]}}"#, data: [UInt8](repeating: 0, count: 8)), "dtype I64"),
            ("offsets", file(#"{"a.weight":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0]), "tensor 'a.weight'"),
            (
                "overlap",
                file(
                    #"{"a.weight":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b.weight":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#,
                    data: [0, 0, 0, 0]), "overlap"
            ),
        ] {
            XCTAssertThrowsError(try SafeTensors.read(data), what) { XCTAssert("\($0)".contains(fragment), "\(what): \($0)") }
        }
        // Shapes that do not make an MLP.
        for (what, t, fragment) in [
            ("rank", ["a.weight": T(shape: [4], values: [1, 2, 3, 4])], "is not [n_out, n_in]"),
            ("chain", ["0.weight": T(shape: [3, 2], values: [1, 1, 1, 1, 1, 1]), "1.weight": T(shape: [1, 4], values: [1, 1, 1, 1])], "tensor '1.weight'"),
            ("bias", ["0.weight": T(shape: [1, 1], values: [1]), "0.bias": T(shape: [2], values: [0, 0])], "tensor '0.bias'"),
            ("names", ["conv.kernel": T(shape: [1], values: [1])], "no '<layer>.weight' tensors"),
        ] as [(String, [String: T], String)] {
            XCTAssertThrowsError(try StateDict.maskFile(t), what) { XCTAssert("\($0)".contains(fragment), "\(what): \($0)") }
        }
    }

    func testNPZRoundTripAndRefusals() throws {
        let w = T(shape: [2, 3], values: [1, 0, 2, 0, 3, 0]), b = T(shape: [2], values: [0.5, -1])
        let data = NPZ.write([("0.weight", w), ("0.bias", b)])
        XCTAssert(NPZ.looksLike(data))
        let read = try NPZ.read(data)
        XCTAssertEqual(read["0.weight"], w)
        XCTAssertEqual(read["0.bias"], b)
        XCTAssertEqual(try StateDict.maskFile(read).edges.map(\.count), [3])
        var compressed = [UInt8](data)
        compressed[8] = 8  // method: deflate
        XCTAssertThrowsError(try NPZ.read(Data(compressed))) { XCTAssert("\($0)".contains("savez_compressed"), "\($0)") }
        var truncated = [UInt8](data)
        truncated.removeLast(truncated.count - 120)
        XCTAssertThrowsError(try NPZ.read(Data(truncated)))
        var integer = [UInt8](data)
        let f4 = Array("<f4".utf8)
        let at = try XCTUnwrap((0..<(integer.count - 3)).first { Array(integer[$0..<($0 + 3)]) == f4 })
        integer[at + 1] = UInt8(ascii: "i")
        // '<i4': the same bytes read as 32-bit integers.
        let asIntegers = try NPZ.read(Data(integer))["0.weight"]!.values
        XCTAssertEqual(asIntegers, w.values.map { Float(Int32(bitPattern: $0.bitPattern)) })
        var complex = integer
        complex[at + 1] = UInt8(ascii: "c")
        XCTAssertThrowsError(try NPZ.read(Data(complex))) { XCTAssert("\($0)".contains("dtype '<c4' is not one of"), "\($0)") }
    }
}
