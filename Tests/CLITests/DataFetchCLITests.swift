import Foundation
import TestSupport
import XCTest

/// `sculpt data fetch` against a loopback server: a bad download is one error line and leaves nothing.
final class DataFetchCLITests: XCTestCase {
    func testACorruptedMirrorIsOneLineAndLeavesNothing() throws {
        let root = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let served = root + "/served", out = root + "/mnist"
        try FileManager.default.createDirectory(atPath: served, withIntermediateDirectories: true)
        // Files with MNIST's names but not its bytes.
        for name in ["train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"] {
            try Data("not mnist".utf8).write(to: URL(fileURLWithPath: served + "/" + name))
        }
        let server = try LoopbackHTTPServer(directory: served)
        let r = try CLI.run(["data", "fetch", "mnist", "--dir", out, "--mirror", server.baseURL])
        XCTAssertNotEqual(r.status, 0)
        let errors = r.stderr.split(separator: "\n").filter { $0.hasPrefix("sculpt: error:") }
        XCTAssertEqual(errors.count, 1, r.stderr)
        XCTAssert(r.stderr.contains("checksum mismatch") && r.stderr.contains("train-images-idx3-ubyte.gz"), r.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: out), [], "nothing half-written")
        XCTAssertEqual(r.stdout, "", "no path printed for a failed fetch")

        let unknown = try CLI.run(["data", "fetch", "cifar"])
        XCTAssertNotEqual(unknown.status, 0)
        XCTAssert(unknown.stderr.contains("unknown data set 'cifar'"), unknown.stderr)
    }

    func testDataNamingAMissingDownloadSaysHowToGetIt() throws {
        let root = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let r = try CLI.run(
            ["train", "--task", "mnist-pairs", "--data", "mnist", "--arch", "1568,4,20", "--lr", "0.01", "--batch-size", "10", "--epochs", "1", "--out", "o"],
            cwd: root, env: ["SCULPT_DATA_HOME": root + "/cache"])
        XCTAssertNotEqual(r.status, 0)
        XCTAssert(r.stderr.contains("sculpt data fetch mnist"), r.stderr)
    }
}
