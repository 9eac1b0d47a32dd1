import Foundation
import SculptCore
import XCTest

/// PyTorch `torch.save` files: the fixtures (written by PyTorch 2.13 with `torch-fixtures/make_fixtures.py`)
/// read back with the values PyTorch itself reads, as networks, and code-carrying or broken files refused.
final class TorchFileTests: XCTestCase {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("torch-fixtures")

    struct Expected: Decodable { let shape: [Int]; let values: [Double] }

    func testFixturesReadAsPyTorchReadsThem() throws {
        let expected = try JSONDecoder().decode([String: [String: Expected]].self, from: Data(contentsOf: Self.folder.appendingPathComponent("expected.json")))
        XCTAssertEqual(expected.count, 3)
        for (file, tensors) in expected {
            let data = try Data(contentsOf: Self.folder.appendingPathComponent(file))
            XCTAssert(TorchFile.looksLike(data), file)
            let read = try TorchFile.read(data)
            XCTAssertEqual(Set(read.keys), Set(tensors.keys), file)
            for (name, e) in tensors {
                XCTAssertEqual(read[name]?.shape, e.shape, "\(file) \(name)")
                XCTAssertEqual(read[name]?.values, e.values.map(Float.init), "\(file) \(name)")
            }
        }
    }

    func testFixturesAsNetworks() throws {
        let seq = try MaskFile(contentsOf: Self.folder.appendingPathComponent("sequential.pth").path)
        XCTAssertEqual(seq.arch, [3, 4, 2])
        XCTAssertEqual(seq.edges.map(\.count), [12 - 1 - 3, 8 - 2], "zeroed weights are pruned edges")
        let pruned = try MaskFile(contentsOf: Self.folder.appendingPathComponent("pruned.pth").path)
        XCTAssertEqual(pruned.arch, [5, 3, 2])
        XCTAssertEqual(pruned.edges[0].count, 6, "weight_mask decides: 40 % of 15 weights kept")
        let dtypes = try MaskFile(contentsOf: Self.folder.appendingPathComponent("dtypes.pth").path)
        XCTAssertEqual(dtypes.arch, [3, 4, 1], "a transposed view is read through its strides")
        XCTAssertEqual(dtypes.edges.map(\.count), [11, 3])
    }

    /// Writes `pickle` as the data.pkl of a stored zip with python3's zipfile (the standard library).
    func archive(_ pickle: [UInt8], storages: [String: [UInt8]] = [:]) throws -> Data {
        let dir = NSTemporaryDirectory() + "sculpt-pth-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Data(pickle).write(to: URL(fileURLWithPath: dir + "/data.pkl"))
        var script = "import zipfile\nz = zipfile.ZipFile('f.pth', 'w')\nz.write('data.pkl', 'f/data.pkl')\n"
        for (k, v) in storages {
            try Data(v).write(to: URL(fileURLWithPath: dir + "/s\(k)"))
            script += "z.write('s\(k)', 'f/data/\(k)')\n"
        }
        script += "z.close()\n"
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", script]
        p.currentDirectoryURL = URL(fileURLWithPath: dir)
        try p.run()
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0, "python3 wrote the archive")
        return try Data(contentsOf: URL(fileURLWithPath: dir + "/f.pth"))
    }

    func testCodeAndBrokenFilesAreRefused() throws {
        // pickle.dumps of os.system('true'): GLOBAL 'os system', a string, TUPLE1, REDUCE.
        let evil: [UInt8] = [0x80, 0x02] + Array("cos\nsystem\n".utf8) + [0x58, 4, 0, 0, 0] + Array("true".utf8) + [0x85, 0x52, 0x2E]
        XCTAssertThrowsError(try TorchFile.read(try archive(evil))) {
            XCTAssert("\($0)".contains("refuses the global 'os.system'"), "\($0)")
        }
        // A state_dict whose storage entry is missing, and one whose tensor reaches past its storage.
        func dict(numel: Int, size: Int) -> [UInt8] {
            [0x80, 0x02] + Array("ccollections\nOrderedDict\n".utf8) + [0x29, 0x52, 0x28] + [0x58, 1, 0, 0, 0] + Array("w".utf8)
                + Array("ctorch._utils\n_rebuild_tensor_v2\n".utf8) + [0x28, 0x28] + [0x58, 7, 0, 0, 0] + Array("storage".utf8)
                + Array("ctorch\nFloatStorage\n".utf8) + [0x58, 1, 0, 0, 0, UInt8(ascii: "0"), 0x58, 3, 0, 0, 0] + Array("cpu".utf8)
                + [0x4B, UInt8(numel), 0x74, 0x51, 0x4B, 0, 0x4B, UInt8(size), 0x85, 0x4B, 1, 0x85, 0x89, 0x29, 0x74, 0x52, 0x75, 0x2E]
        }
        XCTAssertThrowsError(try TorchFile.read(try archive(dict(numel: 2, size: 2)))) {
            XCTAssert("\($0)".contains("storage '0' is missing"), "\($0)")
        }
        let two = [UInt8](repeating: 0, count: 8)
        XCTAssertEqual(try TorchFile.read(try archive(dict(numel: 2, size: 2), storages: ["0": two]))["w"]?.values, [0, 0], "the hand-made file itself reads")
        XCTAssertThrowsError(try TorchFile.read(try archive(dict(numel: 2, size: 3), storages: ["0": two]))) {
            XCTAssert("\($0)".contains("reaches past its storage"), "\($0)")
        }
        // Truncated archives and pickles.
        let good = try Data(contentsOf: Self.folder.appendingPathComponent("sequential.pth"))
        XCTAssertThrowsError(try TorchFile.read(good.prefix(good.count - 30)))
        XCTAssertThrowsError(try TorchFile.read(try archive(Array(dict(numel: 2, size: 2).prefix(40)), storages: ["0": two]))) {
            XCTAssert("\($0)".contains("pth: data.pkl at byte"), "\($0)")
        }
        // Through analyze's reader: one line naming the file.
        let path = NSTemporaryDirectory() + "sculpt-evil-\(UUID().uuidString).pth"
        try archive(evil).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try MaskFile(contentsOf: path)) { XCTAssert("\($0)".contains(path) && "\($0)".contains("os.system"), "\($0)") }
    }
}
