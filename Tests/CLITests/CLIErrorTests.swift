import Foundation
import XCTest

/// Bad input ends with one clear line on stderr, a non-zero exit, and no run directory.
final class CLIErrorTests: XCTestCase {
    func testBadInputGivesOneLineAndNoRunDirectory() throws {
        let cwd = try CLI.tempDir()
        let base = ["--task", "xor-pairs", "--batch-size", "8", "--epochs", "2", "--out", "out"]
        let cases: [([String], String)] = [
            (["run", "--arch", "3,24,4", "--lr", "0.05"] + base, "does not fit task xor-pairs"),
            (["run", "--arch", "4,0,4", "--lr", "0.05"] + base, "layer 1 has width 0"),
            (["train", "--arch", "4,24,4", "--lr=-1"] + base, "learning rate must be a positive number"),
            (["train", "--arch", "4,24,4", "--lr", "0.1", "--task", "no-such-task"] + base.dropFirst(2), "unknown task 'no-such-task'"),
            (["run", "--arch", "4,24,4", "--lr", "0.05", "--edge-step", "120"] + base, "edge step 120"),
            (
                ["train", "--arch", "4,24,4", "--lr", "0.05", "--task", "xor-pairs", "--batch-size", "17", "--epochs", "1", "--out", "out"],
                "larger than the data (16 rows)"
            ),
            // Values that would take billions of rounds or overflow are refused up front.
            (["run", "--arch", "4,24,4", "--lr", "0.05", "--unit-step", "1e-9"] + base, "unit step 1e-09% removes"),
            (["run", "--arch", "4,24,4", "--lr", "0.05", "--edge-step", "1e-12"] + base, "edge step 1e-12% removes"),
            (
                ["run", "--arch", "4,24,4", "--lr", "0.05", "--task", "xor-pairs", "--batch-size", "8", "--epochs", "9223372036854775807", "--out", "out"],
                "epochs must be between 1 and 100000"
            ),
            (["run", "--arch", "4,4611686018427387904,4", "--lr", "0.05"] + base, "more than 2147483647 weights per model"),
            (["run", "--arch", "4,24,4", "--lr", "0.05", "--test-steps", "9223372036854775807"] + base, "--test-steps must be between 1 and 1000"),
            (["run", "--arch", "4,24,4", "--lr", "0.05", "--chains", "0:70"] + base, "'0:70' is not seed:P_u:P_e"),
            (["run", "--arch", "4,24,4", "--lr", "0.05", "--chains", "0:70:1", "--seeds", "0"] + base, "--seeds cannot be combined with --chains"),
            (["run", "--arch", "4,24,4", "--lr", "0.05", "--chains", "0:70:1", "--edge-step", "1"] + base, "--edge-step cannot be combined"),
            (["run", "--arch", "4,24,4", "--lr", "0.05", "--chains", "0:170:1"] + base, "unit step 170"),
        ]
        for (args, needle) in cases {
            let r = try CLI.run(args, cwd: cwd)
            XCTAssertNotEqual(r.status, 0, "\(args)")
            let lines = r.stderr.split(separator: "\n")
            XCTAssertEqual(lines.count, 1, "one line for \(args): \(r.stderr)")
            XCTAssert(r.stderr.contains(needle), "\(args): \(r.stderr)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: cwd + "/out"), "no run directory left for \(args)")
        }
    }

    /// An --out that cannot be a directory fails in one line naming the path and the cause, before any work.
    func testUnwritableOutputIsOneLine() throws {
        let cwd = try CLI.tempDir()
        try Data("x".utf8).write(to: URL(fileURLWithPath: cwd + "/afile"))
        let r = try CLI.run(["--out", "afile/run"], cwd: cwd)
        XCTAssertNotEqual(r.status, 0)
        XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
        XCTAssert(r.stderr.contains("afile is not a directory") && !r.stderr.contains("Domain="), r.stderr)
        XCTAssertFalse(r.stderr.contains("[") && r.stderr.contains("training"), "fails before training")
    }

    /// A model that diverges is reported as such and its run still writes every file.
    func testDivergedModelsAreReportedNotFatal() throws {
        let cwd = try CLI.tempDir()
        let common = ["--task", "xor-pairs", "--arch", "4,8,4", "--lr", "1e20", "--batch-size", "8", "--epochs", "3", "--seeds", "0,1"]
        let run = try CLI.run(["run"] + common + ["--out", "r"], cwd: cwd)
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssert(run.stdout.contains("diverged: non-finite weights"), run.stdout)
        let record = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: cwd + "/r/run.json"))) as! [String: Any]
        XCTAssertEqual((record["models"] as! [[String: Any]]).count, 2)
        XCTAssert(FileManager.default.fileExists(atPath: cwd + "/r/models/s1-u70-e2.5/weights.json"))
        let train = try CLI.run(["train"] + common + ["--out", "t"], cwd: cwd)
        XCTAssertEqual(train.status, 0, train.stderr)
        let masks = try String(contentsOfFile: cwd + "/t/models/s0/masks.json", encoding: .utf8)
        XCTAssert(masks.contains(#""diverged":"true""#), masks)
    }

    /// Two commands started together with the default run directory get one directory each.
    func testConcurrentDefaultRunDirectoriesDiffer() throws {
        let cwd = try CLI.tempDir()
        let args = ["train", "--task", "xor-pairs", "--arch", "4,8,4", "--lr", "0.05", "--batch-size", "8", "--epochs", "2"]
        let a = try CLI.start(args, cwd: cwd), b = try CLI.start(args, cwd: cwd)
        for p in [a, b] {
            _ = p.out.fileHandleForReading.readDataToEndOfFile()
            p.process.waitUntilExit()
            XCTAssertEqual(p.process.terminationStatus, 0)
        }
        let dirs = try FileManager.default.contentsOfDirectory(atPath: cwd + "/runs").sorted()
        XCTAssertEqual(dirs.count, 2, "\(dirs)")
        for d in dirs { XCTAssert(FileManager.default.fileExists(atPath: cwd + "/runs/\(d)/run.json"), d) }
    }

    /// A directory another process is writing is refused, naming that process; once it is gone the
    /// directory is free (the system drops the lock with the process).
    func testAnOutputDirectoryInUseIsRefused() throws {
        let cwd = try CLI.tempDir(), out = cwd + "/out"
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        try "4242\n".write(toFile: out + "/.sculpt-lock", atomically: false, encoding: .utf8)
        // Another process holds the same kind of lock (flock) sculpt takes, and says when it has it.
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        holder.arguments = [
            "python3", "-c",
            "import fcntl, sys, time\nf = open(sys.argv[1], 'a')\nfcntl.flock(f, fcntl.LOCK_EX)\nprint('held', flush=True)\ntime.sleep(60)",
            out + "/.sculpt-lock",
        ]
        let said = Pipe()
        holder.standardOutput = said
        try holder.run()
        defer { if holder.isRunning { holder.terminate() } }
        XCTAssert(String(decoding: said.fileHandleForReading.availableData, as: UTF8.self).hasPrefix("held"), "the lock is held")
        let args = ["run", "--task", "xor-pairs", "--arch", "4,8,4", "--lr", "0.05", "--batch-size", "8", "--epochs", "2", "--seeds", "0", "--out", out]
        let refused = try CLI.run(args, cwd: cwd)
        XCTAssertNotEqual(refused.status, 0)
        XCTAssert(refused.stderr.contains("is being written by another sculpt process (pid 4242)"), refused.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out + "/run.json"))
        holder.terminate()
        holder.waitUntilExit()
        let free = try CLI.run(args, cwd: cwd)
        XCTAssertEqual(free.status, 0, free.stderr)
    }
}
