import Foundation
import SculptCore

/// `sculpt merge`: the shard directories of one sweep combined into exactly the files an unsharded
/// run writes (`sweep.json`, `jobs/`, `results.jsonl`, `results.csv`, `success.md`, `success.json`).
public enum SweepMerge {
    /// - Throws: `OutputDirectoryError` for an `out` that is not empty; `RecordError` for shards of
    ///   different sweeps or settings, a job result in the wrong shard, or missing jobs (all named).
    public static func merge(_ shards: [String], into out: String) throws -> SweepRunner.Summary {
        let began = Date()
        guard !shards.isEmpty else { throw RecordError(path: out, problem: "has nothing to merge: give the shard directories") }
        let states = try shards.map { try RunDirectory(path: $0).read(SweepState.self, "sweep.json") }
        let first = states[0]
        for (path, s) in zip(shards, states) where s.name != first.name || s.jobs != first.jobs || s.earlyStopPatience != first.earlyStopPatience {
            throw RecordError(path: path + "/sweep.json", problem: "is another sweep than \(shards[0]) (its manifest, jobs or --early-stop differ)")
        }
        guard RunDirectory(path: out).isEmpty else { throw OutputDirectoryError(path: out, problem: "already exists and is not empty; choose another directory") }
        let target = try RunDirectory.claimed(out)
        guard target.isEmpty else { throw OutputDirectoryError(path: out, problem: "already exists and is not empty; choose another directory") }
        var rows: [SweepRow] = [], missing: [String] = []
        var copies: [(from: String, to: String)] = []
        for job in first.jobs {
            let relative = "jobs/\(job.id)"
            let holders = shards.filter { RunDirectory(path: $0).exists(relative + "/result.json") }
            guard let holder = holders.first else { missing.append(job.id); continue }
            let result = try RunDirectory(path: holder).read(JobResult.self, relative + "/result.json")
            guard result.job == job else {
                throw RecordError(path: holder + "/" + relative + "/result.json", problem: "was made by another job than the manifest's \(job.id)")
            }
            rows += result.rows
            copies.append((holder + "/" + relative, relative))
        }
        guard missing.isEmpty else {
            throw RecordError(path: shards.joined(separator: ", "), problem: "lack \(missing.count) job(s) of \(first.name): \(missing.joined(separator: ", "))")
        }
        for c in copies { try copyTree(c.from, to: target.file(c.to)) }
        var state = first
        state.shard = nil
        try target.write(state, "sweep.json")
        try SweepRunner.writeAggregates(rows, name: first.name, to: target)
        return SweepRunner.Summary(
            table: SweepRunner.successTable(rows), jobs: first.jobs.count, ranNow: 0, reused: first.jobs.count, rows: rows.count,
            seconds: Date().timeIntervalSince(began))
    }

    /// Copies every file under `source` to the same place under `destination`, each atomically.
    static func copyTree(_ source: String, to destination: String) throws {
        guard let walker = FileManager.default.enumerator(atPath: source) else { return }
        for case let relative as String in walker {
            let from = (source as NSString).appendingPathComponent(relative)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: from, isDirectory: &isDirectory), !isDirectory.boolValue,
                !(relative as NSString).lastPathComponent.hasPrefix(AtomicFile.temporaryPrefix)
            else { continue }
            guard let data = FileManager.default.contents(atPath: from) else { throw FileWriteError(path: from, cause: "cannot be read") }
            try AtomicFile.write(data, to: (destination as NSString).appendingPathComponent(relative))
        }
    }
}
