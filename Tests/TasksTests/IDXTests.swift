// The IDX reader on small generated files: good (plain and gzipped) and corrupt, each error naming the
// file and the problem; the data directory lookup.
import Foundation
@testable import Tasks
import TestSupport
import XCTest

final class IDXTests: XCTestCase {
    private var dir = ""

    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "sculpt-idx-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: dir)
    }

    private func path(_ name: String) -> String { dir + "/" + name }

    /// Asserts `body` throws an `IDXError` of `kind` whose one-line description names `file` and holds `words`.
    private func assertIDXError(
        _ kind: IDXError.Kind, file: String, _ words: [String], line: UInt = #line,
        _ body: () throws -> Void
    ) {
        do {
            try body()
            XCTFail("no error; expected \(kind)", line: line)
        } catch let e as IDXError {
            XCTAssertEqual(e.kind, kind, e.description, line: line)
            XCTAssertTrue(e.description.hasPrefix(file + ": "), e.description, line: line)
            XCTAssertFalse(e.description.contains("\n"), line: line)
            for w in words { XCTAssertTrue(e.description.contains(w), "'\(w)' not in: \(e.description)", line: line) }
        } catch {
            XCTFail("unexpected \(error)", line: line)
        }
    }

    private func images(_ n: Int, rows: Int = 28, columns: Int = 28) -> IDXImages {
        IDXImages(count: n, rows: rows, columns: columns, pixels: (0..<(n * rows * columns)).map { UInt8(($0 * 7) % 256) })
    }

    func testRoundTripPlainAndGzip() throws {
        let imgs = images(5), labels: [UInt8] = [3, 1, 4, 1, 5]
        for gzip in [false, true] {
            let ip = path("img\(gzip)"), lp = path("lab\(gzip)")
            try IDXWriter.write(imgs, to: ip, gzip: gzip)
            try IDXWriter.write(labels: labels, to: lp, gzip: gzip)
            let raw = try Data(contentsOf: URL(fileURLWithPath: ip))
            XCTAssertEqual(raw.prefix(2) == Data([0x1F, 0x8B]), gzip)
            if !gzip { XCTAssertEqual(Array(raw.prefix(4)), [0, 0, 8, 3]) }
            XCTAssertEqual(try IDX.readImages(path: ip), imgs)
            XCTAssertEqual(try IDX.readLabels(path: lp), labels)
        }
        // Header: magic, count, rows, columns, big-endian.
        XCTAssertEqual(Array(IDX.encode(images(1))[0..<16]), [0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0, 28, 0, 0, 0, 28])
        XCTAssertEqual(IDX.encode(labels: [7, 2]), [0, 0, 8, 1, 0, 0, 0, 2, 7, 2])
    }

    func testBadMagic() throws {
        // A label file where images are expected, and garbage.
        try IDXWriter.write(labels: [1, 2], to: path("a"), gzip: false)
        assertIDXError(.badMagic, file: path("a"), ["bad magic number 0x00000801", "label file", "expected 0x00000803"]) {
            _ = try IDX.readImages(path: path("a"))
        }
        try IDXWriter.write(bytes: Array("hello, world!!!!!".utf8), to: path("b.gz"), gzip: true)
        assertIDXError(.badMagic, file: path("b.gz"), ["bad magic number 0x68656C6C", "expected 0x00000801"]) {
            _ = try IDX.readLabels(path: path("b.gz"))
        }
    }

    func testTruncated() throws {
        let full = IDX.encode(images(3))
        try IDXWriter.write(bytes: Array(full.prefix(1234)), to: path("train-images-idx3-ubyte.gz"), gzip: true)
        assertIDXError(
            .truncated, file: path("train-images-idx3-ubyte.gz"),
            ["truncated: header says 3 images of 28×28 (2368 bytes) but the file has 1234 bytes"]
        ) {
            _ = try IDX.readImages(path: path("train-images-idx3-ubyte.gz"))
        }
        try IDXWriter.write(bytes: Array(full.prefix(10)), to: path("short"), gzip: false)
        assertIDXError(.truncated, file: path("short"), ["16-byte header"]) { _ = try IDX.readImages(path: path("short")) }
        try IDXWriter.write(bytes: IDX.encode(labels: [1, 2, 3]).dropLast(), to: path("labels"), gzip: false)
        assertIDXError(.truncated, file: path("labels"), ["header says 3 labels (11 bytes) but the file has 10 bytes"]) {
            _ = try IDX.readLabels(path: path("labels"))
        }
        try IDXWriter.write(bytes: IDX.encode(labels: [1, 2, 3]) + [0], to: path("long"), gzip: false)
        assertIDXError(.trailingBytes, file: path("long"), ["1 bytes after the data"]) { _ = try IDX.readLabels(path: path("long")) }
    }

    /// A small gzip file whose data is far longer than its header promises (a "gzip bomb") is
    /// refused after decompressing one byte past the promise, not inflated in full.
    func testGzipBombIsCutAtWhatTheHeaderPromises() throws {
        // A label header for 100 labels, then 64 MB of zeros: about 64 kB compressed.
        let bomb = IDX.encode(labels: [UInt8](repeating: 1, count: 100)) + [UInt8](repeating: 0, count: 64 << 20)
        let gz = Gzip.compress(bomb)
        XCTAssertLessThan(gz.count, 1 << 20)
        try Data(gz).write(to: URL(fileURLWithPath: path("bomb.gz")))
        assertIDXError(.trailingBytes, file: path("bomb.gz"), ["after the 108 bytes its header promises"]) {
            _ = try IDX.readLabels(path: path("bomb.gz"))
        }
        XCTAssertEqual(try Gzip.decompress(gz, file: "bomb", limit: 16).count, 16)
        XCTAssertEqual(try Gzip.decompress(Gzip.compress([1, 2, 3]), file: "small", limit: 16), [1, 2, 3], "shorter data whole")
    }

    /// A FIFO in place of a file is named as such (reading it would block; Foundation said "Permission denied").
    func testSpecialFileIsRefused() throws {
        XCTAssertEqual(mkfifo(path("fifo"), 0o644), 0)
        assertIDXError(.unreadable, file: path("fifo"), ["not a regular file"]) { _ = try IDX.readLabels(path: path("fifo")) }
    }

    func testCorruptGzip() throws {
        let gz = try { () -> Data in
            try IDXWriter.write(labels: Array(repeating: 3, count: 1000), to: path("ok.gz"), gzip: true)
            return try Data(contentsOf: URL(fileURLWithPath: path("ok.gz")))
        }()
        try gz.prefix(gz.count / 2).write(to: URL(fileURLWithPath: path("half.gz")))
        assertIDXError(.badGzip, file: path("half.gz"), ["gzip: truncated"]) { _ = try IDX.readLabels(path: path("half.gz")) }
        var broken = [UInt8](gz)
        for i in 12..<min(40, broken.count - 8) { broken[i] ^= 0x5A }
        try Data(broken).write(to: URL(fileURLWithPath: path("broken.gz")))
        assertIDXError(.badGzip, file: path("broken.gz"), ["gzip: "]) { _ = try IDX.readLabels(path: path("broken.gz")) }
    }

    func testWrongDimensionsAndLabels() throws {
        try IDXWriter.write(images(2, rows: 32, columns: 32), to: path("big"), gzip: false)
        assertIDXError(.badDimensions, file: path("big"), ["images are 32×32, expected 28×28"]) { _ = try IDX.readImages(path: path("big")) }
        XCTAssertEqual(try IDX.readImages(path: path("big"), expected: nil).rows, 32)
        try IDXWriter.write(labels: [1, 10, 2], to: path("lab"), gzip: false)
        assertIDXError(.badLabel, file: path("lab"), ["label 1 is 10"]) { _ = try IDX.readLabels(path: path("lab")) }
        assertIDXError(.unreadable, file: path("nope"), ["cannot read"]) { _ = try IDX.readLabels(path: path("nope")) }
    }

    func testLoadDirectoryAndCountMismatch() throws {
        let files = try IDXWriter.writeSynthetic(directory: dir, trainCount: 60, testCount: 20, seed: 3, gzip: true)
        XCTAssertTrue(files.trainImages.hasSuffix("train-images-idx3-ubyte.gz"))
        let set = try IDXSet.load(directory: dir)
        XCTAssertEqual(set.trainImages.count, 60)
        XCTAssertEqual(set.testLabels.count, 20)
        XCTAssertEqual(Set(set.trainLabels), Set(0...9))
        // Both forms: the plain file wins; it disagrees with its labels here.
        try IDXWriter.write(images(59), to: path("train-images-idx3-ubyte"), gzip: false)
        XCTAssertEqual(try IDXSet.locate(directory: dir).trainImages, path("train-images-idx3-ubyte"))
        assertIDXError(
            .countMismatch, file: path("train-labels-idx1-ubyte.gz"),
            ["count mismatch: 60 labels but \(path("train-images-idx3-ubyte")) has 59 images"]
        ) {
            _ = try IDXSet.load(directory: dir)
        }
        // A corrupt member names itself.
        try FileManager.default.removeItem(atPath: path("train-images-idx3-ubyte"))
        try IDXWriter.write(bytes: [0, 0, 8, 1], to: path("t10k-labels-idx1-ubyte.gz"), gzip: true)
        assertIDXError(.truncated, file: path("t10k-labels-idx1-ubyte.gz"), ["8-byte header"]) { _ = try IDXSet.load(directory: dir) }
    }

    func testMissingFiles() throws {
        try IDXWriter.writeSynthetic(directory: dir, trainCount: 10, testCount: 10, seed: 0, gzip: false)
        try FileManager.default.removeItem(atPath: path("t10k-images-idx3-ubyte"))
        try FileManager.default.removeItem(atPath: path("t10k-labels-idx1-ubyte"))
        try Data().write(to: URL(fileURLWithPath: path("readme.txt")))
        assertIDXError(
            .missingFiles, file: dir,
            [
                "missing t10k-images-idx3-ubyte[.gz], t10k-labels-idx1-ubyte[.gz]",
                "expected train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte (each optionally .gz)",
                "found readme.txt, train-images-idx3-ubyte, train-labels-idx1-ubyte",
            ]
        ) {
            _ = try IDXSet.load(directory: dir)
        }
        let empty = dir + "/empty"
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        assertIDXError(.missingFiles, file: empty, ["found an empty directory"]) { _ = try IDXSet.locate(directory: empty) }
        assertIDXError(.missingFiles, file: dir + "/none", ["no such directory", "t10k-labels-idx1-ubyte"]) {
            _ = try IDXSet.locate(directory: dir + "/none")
        }
    }

    func testSyntheticIsDeterministicAndBalanced() {
        let a = IDXWriter.synthetic(count: 100, seed: 9), b = IDXWriter.synthetic(count: 100, seed: 9)
        XCTAssertEqual(a.images, b.images)
        XCTAssertEqual(a.labels, b.labels)
        XCTAssertNotEqual(a.images, IDXWriter.synthetic(count: 100, seed: 10).images)
        for d in 0..<10 { XCTAssertEqual(a.labels.filter { $0 == d }.count, 10) }
        // Every image shows its class's pattern: on-pixels ≥ 160, off-pixels < 48.
        for i in 0..<100 {
            let p = IDXWriter.syntheticPattern(Int(a.labels[i]))
            for k in 0..<784 { XCTAssertEqual(a.images.pixels[i * 784 + k] >= 160, p[k]) }
        }
        let patterns = (0..<10).map(IDXWriter.syntheticPattern)
        XCTAssertEqual(Set(patterns).count, 10)
    }
}

/// The real MNIST files (the project's copy, or SCULPT_TEST_MNIST) read cleanly.
final class RealMNISTTests: XCTestCase {
    func testRealMNISTFilesRead() throws {
        guard let dir = mnistDirectory() else { try skipOrFail("no MNIST files (set SCULPT_TEST_MNIST to a folder with the four files)") }
        let files = try IDXSet.locate(directory: dir)
        XCTAssertTrue(files.trainImages.hasSuffix(".gz"))
        // The test split only (10,000 images), to stay fast.
        let images = try IDX.readImages(path: files.testImages)
        let labels = try IDX.readLabels(path: files.testLabels)
        XCTAssertEqual(images.count, 10_000)
        XCTAssertEqual(labels.count, 10_000)
        XCTAssertEqual(Set(labels), Set(0...9))
        // The test split's label counts of MNIST (digits 0–9).
        let counts = (0...9).map { d in labels.filter { Int($0) == d }.count }
        XCTAssertEqual(counts, [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009])
    }
}
