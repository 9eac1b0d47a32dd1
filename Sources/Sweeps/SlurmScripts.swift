import Foundation
import SculptCore

/// The batch scripts that run a sweep on a Slurm cluster: an `sbatch --array` of N tasks, task K running
/// shard K/N of the manifest into its own folder, and a merge job that starts when every task has
/// succeeded and writes the sweep directory exactly as one process would (docs/cluster.md).
public struct SlurmScripts: Sendable {
    /// The `sculpt` binary the tasks run (an absolute path, visible from the compute nodes).
    public var binary: String
    /// The manifest: a built-in name or an absolute path.
    public var manifest: String
    /// The merged sweep directory (absolute); scripts, shards and logs go to `folder`.
    public var out: String
    public var tasks: Int
    /// `sweep` arguments every task repeats (e.g. `--only xor-pairs`, `--device 0`).
    public var sweepArguments: [String]
    public var partition: String?
    public var gpusPerTask: Int?
    public var cpusPerTask: Int?
    public var time: String?

    public init(
        binary: String, manifest: String, out: String, tasks: Int, sweepArguments: [String] = [], partition: String? = nil,
        gpusPerTask: Int? = nil, cpusPerTask: Int? = nil, time: String? = nil
    ) {
        self.binary = binary
        self.manifest = manifest
        self.out = out
        self.tasks = tasks
        self.sweepArguments = sweepArguments
        self.partition = partition
        self.gpusPerTask = gpusPerTask
        self.cpusPerTask = cpusPerTask
        self.time = time
    }

    /// `<out>.slurm`: the scripts, `shards/K`, and `logs/`.
    public var folder: String { out + ".slurm" }

    /// Single-quoted for bash.
    static func quoted(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }

    var header: [String] {
        var lines = ["#!/bin/bash"]
        if let partition { lines.append("#SBATCH --partition=\(partition)") }
        if let gpusPerTask { lines.append("#SBATCH --gpus-per-task=\(gpusPerTask)") }
        if let cpusPerTask { lines.append("#SBATCH --cpus-per-task=\(cpusPerTask)") }
        if let time { lines.append("#SBATCH --time=\(time)") }
        return lines
    }

    /// One array task per shard; `--resume` lets a requeued task keep its finished jobs.
    public var array: String {
        let args = ([manifest] + sweepArguments).map(Self.quoted).joined(separator: " ")
        return
            (header + [
                "#SBATCH --job-name=sculpt-sweep",
                "#SBATCH --array=1-\(tasks)",
                "#SBATCH --output=\(folder)/logs/shard-%a.out",
                "set -euo pipefail",
                "exec \(Self.quoted(binary)) sweep \(args) --shard \"$SLURM_ARRAY_TASK_ID/\(tasks)\" --resume --out \(Self.quoted(folder + "/shards/"))\"$SLURM_ARRAY_TASK_ID\"",
            ]).joined(separator: "\n") + "\n"
    }

    /// Merges the shards into `out` (run after every array task succeeded).
    public var merge: String {
        let shards = (1...tasks).map { Self.quoted("\(folder)/shards/\($0)") }.joined(separator: " ")
        return
            ([
                "#!/bin/bash", "#SBATCH --job-name=sculpt-merge", "#SBATCH --output=\(folder)/logs/merge.out", "set -euo pipefail",
                "exec \(Self.quoted(binary)) merge \(shards) --out \(Self.quoted(out))",
            ]).joined(separator: "\n") + "\n"
    }

    /// Submits the array, then the merge with `--dependency=afterok` on it; prints both job ids.
    public var submit: String {
        """
        #!/bin/bash
        # Submits the sweep's array job and its merge job (which waits for every array task to succeed).
        set -euo pipefail
        cd \(Self.quoted(folder))
        array=$(sbatch --parsable array.sh)
        merge=$(sbatch --parsable --dependency=afterok:"${array%%;*}" merge.sh)
        echo "array job ${array%%;*}, merge job ${merge%%;*}"

        """
    }

    /// Writes `array.sh`, `merge.sh` and `submit.sh` (executable) into `folder`, with `logs/`.
    /// - Throws: `OutputDirectoryError` when `folder` or `out` already holds something.
    public func write() throws -> [String] {
        let fm = FileManager.default
        if let items = try? fm.contentsOfDirectory(atPath: out), !items.isEmpty {
            throw OutputDirectoryError(path: out, problem: "already exists and is not empty; the merge job writes the sweep there, so choose another --out")
        }
        if fm.fileExists(atPath: folder) {
            throw OutputDirectoryError(path: folder, problem: "already exists (scripts of an earlier --slurm); remove it or choose another --out")
        }
        try fm.createDirectory(atPath: folder + "/logs", withIntermediateDirectories: true)
        var written: [String] = []
        for (name, text) in [("array.sh", array), ("merge.sh", merge), ("submit.sh", submit)] {
            let path = folder + "/" + name
            try AtomicFile.write(Data(text.utf8), to: path)
            try fm.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
            written.append(path)
        }
        return written
    }
}
