import Foundation
import XCTest

/// `sculpt sweep --devices 0,1` on two PoCL CPU devices writes what a one-device run writes.
final class MultiDeviceTests: XCTestCase {
    let manifest = """
        tasks: [xor-pairs]
        architectures:
          - {arch: [4, 8, 4], lr: 0.05, batch_size: 8, epochs: 6}
          - {arch: [4, 12, 4], lr: 0.05, batch_size: 8, epochs: 6}
          - {arch: [4, 10, 4], lr: 0.05, batch_size: 8, epochs: 6}
        seeds: [0, 1]
        unit_steps: [70]
        edge_steps: [2.5]
        """

    func testTwoDevicesWriteWhatOneWrites() throws {
        let cwd = try CLI.tempDir()
        try manifest.write(toFile: cwd + "/tiny.yaml", atomically: true, encoding: .utf8)
        // PoCL offers one CPU device per entry of POCL_DEVICES.
        let env = ["POCL_DEVICES": "pthread pthread"]
        let devices = try CLI.run(["devices"], env: env)
        XCTAssert(devices.stdout.contains("#1"), "two PoCL devices: \(devices.stdout)")
        let one = try CLI.run(["sweep", "tiny.yaml", "--out", "one"], cwd: cwd, env: env)
        XCTAssertEqual(one.status, 0, one.stderr)
        let two = try CLI.run(["sweep", "tiny.yaml", "--out", "two", "--devices", "0,1"], cwd: cwd, env: env)
        XCTAssertEqual(two.status, 0, two.stderr)
        XCTAssert(two.stdout.contains("3 job(s) (3 run now"), two.stdout)
        let a = try SweepFiles.read(cwd + "/one"), b = try SweepFiles.read(cwd + "/two")
        XCTAssertEqual(a.keys.sorted(), b.keys.sorted())
        for (name, text) in a { XCTAssertEqual(b[name], text, name) }

        for (args, fragment) in [
            (["--devices", "0,0"], "names device #0"), (["--devices", "0,"], "comma-separated list"),
            (["--devices", "0,1", "--device", "0"], "either --device or --devices"),
            (["--devices", "0,1", "--backend", "reference"], "needs --backend opencl"),
        ] {
            let r = try CLI.run(["sweep", "tiny.yaml", "--out", "bad"] + args, cwd: cwd, env: env)
            XCTAssertNotEqual(r.status, 0, "\(args)")
            XCTAssert(r.stderr.contains(fragment), "\(args): \(r.stderr)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: cwd + "/bad"), "\(args): no directory for a refused device list")
        }
    }
}
