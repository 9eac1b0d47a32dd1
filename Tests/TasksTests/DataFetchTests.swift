import Foundation
import SculptCore
import TestSupport
import XCTest

@testable import Tasks

final class MD5Tests: XCTestCase {
    func testKnownDigests() {
        // RFC 1321's test suite, and lengths around the 64-byte block and its 56-byte padding edge.
        XCTAssertEqual(MD5.hex([UInt8]()), "d41d8cd98f00b204e9800998ecf8427e")
        XCTAssertEqual(MD5.hex(Array("abc".utf8)), "900150983cd24fb0d6963f7d28e17f72")
        XCTAssertEqual(MD5.hex(Array("message digest".utf8)), "f96b697d7cb7938d525a2f31aaf161d0")
        for (n, digest) in [
            (55, "ef1772b6dff9a122358552954ad0df65"), (56, "3b0c8ac703f828b04c6c197006d17218"),
            (63, "b06521f39153d618550606be297466d5"), (64, "014842d480b571495a4a0363793f7367"),
            (1_000_000, "7707d6ae4e027c70eea2a935c2296f21"),
        ] {
            XCTAssertEqual(MD5.hex([UInt8](repeating: UInt8(ascii: "a"), count: n)), digest, "\(n) × a")
        }
    }

    func testUpdatesInPiecesGiveTheWholeDigest() {
        let bytes = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 37) }
        var m = MD5()
        for piece in [0..<1, 1..<70, 70..<128, 128..<999, 999..<1000] { m.update(bytes[piece]) }
        XCTAssertEqual(m.finalize(), MD5.hex(bytes))
    }

    /// The MNIST training images decompressed: the digest their authors' distribution has.
    func testMNISTTrainingImages() throws {
        guard let dir = mnistDirectory() else { try skipOrFail("MNIST files not found (set SCULPT_TEST_MNIST)") }
        let gz = [UInt8](try Data(contentsOf: URL(fileURLWithPath: dir + "/train-images-idx3-ubyte.gz")))
        XCTAssertEqual(MD5.hex(try Gzip.decompress(gz, file: "train-images")), "6bbc9ace898e44ae57da46a324031adb")
    }
}

final class DataFetchTests: XCTestCase {
    var root = ""

    override func setUpWithError() throws {
        root = NSTemporaryDirectory() + "sculpt-fetch-\(UUID().uuidString)"
        for d in ["good", "bad", "partial", "out"] { try FileManager.default.createDirectory(atPath: root + "/" + d, withIntermediateDirectories: true) }
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: root) }

    /// Two files, served correctly from `good/`, corrupted in `bad/`, and only the first in `partial/`.
    func dataset() throws -> DownloadableDataset {
        var r = TestRandom(5)
        let a = Data(r.floats(3000).map { UInt8(truncatingIfNeeded: Int(($0 + 4) * 31)) }), b = Data("labels".utf8)
        try a.write(to: URL(fileURLWithPath: root + "/good/a.gz"))
        try b.write(to: URL(fileURLWithPath: root + "/good/b.gz"))
        try a.write(to: URL(fileURLWithPath: root + "/partial/a.gz"))
        var corrupted = a
        corrupted[100] ^= 0xFF
        try corrupted.write(to: URL(fileURLWithPath: root + "/bad/a.gz"))
        try b.write(to: URL(fileURLWithPath: root + "/bad/b.gz"))
        return DownloadableDataset(
            name: "test", files: [.init(name: "a.gz", md5: MD5.hex(a)), .init(name: "b.gz", md5: MD5.hex(b))], mirrors: [])
    }

    func leftovers(_ dir: String) throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: dir).sorted() }

    func testDownloadsChecksAndKeepsWhatIsThere() throws {
        let d = try dataset(), server = try LoopbackHTTPServer(directory: root + "/good"), out = root + "/out"
        let first = try DataFetch.fetch(d, into: out, mirrors: [server.baseURL])
        XCTAssertEqual(first, [.downloaded(from: server.baseURL + "a.gz"), .downloaded(from: server.baseURL + "b.gz")])
        XCTAssertEqual(try leftovers(out), ["a.gz", "b.gz"], "no partial file left")
        XCTAssertEqual(FileManager.default.contents(atPath: out + "/a.gz"), FileManager.default.contents(atPath: root + "/good/a.gz"))
        XCTAssertEqual(try DataFetch.fetch(d, into: out, mirrors: [server.baseURL]), [.present, .present])
    }

    func testACorruptedDownloadLeavesNothingBehind() throws {
        let d = try dataset(), server = try LoopbackHTTPServer(directory: root + "/bad"), out = root + "/out"
        XCTAssertThrowsError(try DataFetch.fetch(d, into: out, mirrors: [server.baseURL])) { error in
            let text = "\(error)"
            XCTAssert(text.contains("a.gz") && text.contains("checksum mismatch"), text)
            XCTAssertFalse(text.contains("\n"), "one line")
        }
        XCTAssertEqual(try leftovers(out), [], "neither the bad file nor a partial one")
    }

    func testAFileMissingFromOneMirrorComesFromTheNext() throws {
        let d = try dataset(), out = root + "/out"
        let partial = try LoopbackHTTPServer(directory: root + "/partial"), good = try LoopbackHTTPServer(directory: root + "/good")
        let got = try DataFetch.fetch(d, into: out, mirrors: [partial.baseURL, good.baseURL])
        XCTAssertEqual(got, [.downloaded(from: partial.baseURL + "a.gz"), .downloaded(from: good.baseURL + "b.gz")])
        // No mirror has it: the error names every attempt (the 404 and the refused connection).
        let onlyA = DownloadableDataset(name: "test", files: [.init(name: "c.gz", md5: String(repeating: "0", count: 32))], mirrors: [])
        XCTAssertThrowsError(try DataFetch.fetch(onlyA, into: out, mirrors: [partial.baseURL, "http://127.0.0.1:9/"])) { error in
            XCTAssert("\(error)".contains("404") && "\(error)".contains("127.0.0.1:9"), "\(error)")
        }
        XCTAssertEqual(try leftovers(out), ["a.gz", "b.gz"])
    }

    func testDataNamesResolveToTheDownloadedCopy() throws {
        let env = ["SCULPT_DATA_HOME": root + "/cache"]
        XCTAssertEqual(DataCache.directory(for: "mnist", environment: env), root + "/cache/mnist")
        XCTAssertEqual(DataCache.directory(for: "mnist", environment: ["XDG_CACHE_HOME": "/x"]), "/x/sculpt/data/mnist")
        XCTAssertEqual(try DataCache.resolve(root + "/good", environment: env), root + "/good", "a folder is itself")
        XCTAssertThrowsError(try DataCache.resolve("mnist", environment: env)) { XCTAssert("\($0)".contains("sculpt data fetch mnist"), "\($0)") }
        let dir = root + "/cache/mnist"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for f in DownloadableDataset.mnist.files { FileManager.default.createFile(atPath: dir + "/" + f.name, contents: Data()) }
        XCTAssertEqual(try DataCache.resolve("MNIST", environment: env), dir)
        XCTAssertThrowsError(try DownloadableDataset.named("cifar")) { XCTAssert("\($0)".contains("mnist or fashion-mnist"), "\($0)") }
    }
}
