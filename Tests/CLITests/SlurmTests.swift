import Foundation
import XCTest

/// The Slurm round trip on a real one-node cluster (`scripts/slurm-local.sh`, started by `make test`):
/// a sweep submitted as a 4-task array plus its merge job equals a single-process run, file for file.
final class SlurmTests: XCTestCase {
    let manifest = """
        tasks: [xor-pairs]
        architectures:
          - {arch: [4, 8, 4], lr: 0.05, batch_size: 8, epochs: 6}
          - {arch: [4, 12, 4], lr: 0.05, batch_size: 8, epochs: 6}
          - {arch: [4, 10, 4], lr: 0.05, batch_size: 8, epochs: 6}
          - {arch: [4, 6, 4], lr: 0.05, batch_size: 8, epochs: 6}
        seeds: [0, 1]
        unit_steps: [70]
        edge_steps: [2.5]
        accuracy_threshold: 100
        """

    /// The cluster's slurm.conf, or a skip that says how to get one (a failure where Slurm is required).
    func slurmConf() throws -> String {
        let env = ProcessInfo.processInfo.environment
        if let conf = env["SCULPT_TEST_SLURM_CONF"], !conf.isEmpty { return conf }
        if env["REQUIRE_SLURM"] == "1" {
            XCTFail("REQUIRE_SLURM=1 but SCULPT_TEST_SLURM_CONF is not set: scripts/slurm-local.sh up did not run")
        }
        throw XCTSkip("no Slurm cluster: `make test` starts one with scripts/slurm-local.sh (root, apt), or export SCULPT_TEST_SLURM_CONF")
    }

    func shell(_ command: String, env: [String: String]) throws -> (status: Int32, out: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/bash")
        p.arguments = ["-c", command]
        p.environment = ProcessInfo.processInfo.environment.merging(env) { _, b in b }
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        try p.run()
        let out = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        return (p.terminationStatus, out)
    }

    func testArrayAndMergeEqualOneProcess() throws {
        let conf = try slurmConf()
        let env = ["SLURM_CONF": conf]
        let cwd = try CLI.tempDir()
        try manifest.write(toFile: cwd + "/tiny.yaml", atomically: true, encoding: .utf8)
        let full = try CLI.run(["sweep", "tiny.yaml", "--out", "full"], cwd: cwd)
        XCTAssertEqual(full.status, 0, full.stderr)

        let tooMany = try CLI.run(["sweep", "tiny.yaml", "--out", "x", "--slurm", "5"], cwd: cwd)
        XCTAssertNotEqual(tooMany.status, 0)
        XCTAssert(tooMany.stderr.contains("use 1 to 4 array tasks"), tooMany.stderr)

        let submitted = try CLI.run(["sweep", "tiny.yaml", "--out", "merged", "--slurm", "4", "--time", "10:00", "--submit"], cwd: cwd, env: env)
        XCTAssertEqual(submitted.status, 0, submitted.stderr)
        let script = try String(contentsOfFile: cwd + "/merged.slurm/array.sh", encoding: .utf8)
        XCTAssert(script.contains("#SBATCH --array=1-4") && script.contains("#SBATCH --time=10:00"), script)
        let ids = submitted.stdout.components(separatedBy: .whitespacesAndNewlines).compactMap { Int($0.trimmingCharacters(in: .punctuationCharacters)) }
        XCTAssertEqual(ids.count, 2, "array and merge job ids: \(submitted.stdout)")

        // Wait for both jobs to leave the queue (the merge job waits for every array task).
        let deadline = Date().addingTimeInterval(300)
        while Date() < deadline {
            let q = try shell("squeue -h -j \(ids.map(String.init).joined(separator: ","))", env: env)
            if q.status == 0 && q.out.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { break }
            Thread.sleep(forTimeInterval: 0.5)
        }
        let logs = (try? FileManager.default.contentsOfDirectory(atPath: cwd + "/merged.slurm/logs").sorted()) ?? []
        XCTAssertEqual(logs, ["merge.out", "shard-1.out", "shard-2.out", "shard-3.out", "shard-4.out"])
        let mergeLog = (try? String(contentsOfFile: cwd + "/merged.slurm/logs/merge.out", encoding: .utf8)) ?? "(no merge log)"
        let a = try SweepFiles.read(cwd + "/full"), b = try SweepFiles.read(cwd + "/merged")
        XCTAssertEqual(a.keys.sorted(), b.keys.sorted(), mergeLog)
        for (name, text) in a { XCTAssertEqual(b[name], text, name) }
    }
}
