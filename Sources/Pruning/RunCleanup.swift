import Analysis
import Foundation
import Reports
import SculptCore
import Tasks
import Training

/// `sculpt cleanup RUN`: the loss-based cleanup of `sculpt run --cleanup` (`EdgeCleanup`) applied after
/// the fact to every model of a finished run directory, written as a new run directory. A run of hours
/// need not be repeated to see what the cleanup changes, and the original stays as it was.
///
/// The new directory has the same layout (`run.json` with `cleanup` true and a `cleanup` summary per
/// model, and per model `masks.json`, `weights.json`, `history.json`, modules and figures), so
/// `sculpt report` and `sculpt analyze` read it. Accuracies of the cleaned networks are measured on the
/// host over their surviving edges (validation per bit as the cleanup's own check; test per bit and per
/// pair as `sculpt run` reports them).
public enum RunCleanup {
    /// Cleans every model of the run in `source` and writes `out`; `threshold` (percent) replaces the
    /// run's accuracy threshold when given. `started(k, n, id)` before model k of n.
    /// - Throws: `RecordError` for an unreadable run, `TrainingConfigError` for a run already cleaned
    ///   or of a softmax task, the task loaders' errors, `MaskFileError` for a bad masks file.
    public static func run(
        source: RunDirectory, out: RunDirectory, threshold: Double? = nil, started: (Int, Int, String) -> Void = { _, _, _ in }
    ) throws -> RunRecord {
        var record = try source.read(RunRecord.self, "run.json")
        guard !record.cleanup else { throw TrainingConfigError("\(source.path) was already cleaned up (its run.json says cleanup: true)") }
        if let t = threshold, !(t >= 0 && t <= 100) { throw TrainingConfigError("accuracy threshold \(t) must be a percentage between 0 and 100") }
        let data = try TaskData.load(record.task, vision: record.data ?? VisionSettings())
        guard !data.isClassification else {
            throw TrainingConfigError("cleanup supports BCE tasks (per-bit accuracy); \(data.name) is a softmax classification task")
        }
        let arch = try Architecture(record.arch)
        let floor = threshold ?? record.config.accuracyThreshold
        let validation = data.validationOrTrain
        for (k, m) in record.models.enumerated() {
            started(k, record.models.count, m.id)
            let began = Date()
            let dir = "models/\(m.id)"
            let file = try MaskFile(contentsOf: source.file("\(dir)/masks.json"))
            guard file.arch == record.arch else { throw TrainingConfigError("\(source.file("\(dir)/masks.json")) is not a \(Architecture.text(record.arch)) network") }
            let stored = try source.read(WeightsRecord.self, "\(dir)/weights.json")
            let masks = (0..<arch.depth).map(file.denseMask)
            let r = EdgeCleanup.run(
                arch: arch, weights: stored.weights, biases: stored.biases.flatMap { $0 }, masks: masks, train: data.train,
                validation: validation, threshold: floor)
            let cleaned = MaskFile(
                arch: arch, task: file.task, masks: r.masks, weights: stored.weights, meta: file.meta.merging(["cleanup": "on"]) { _, new in new })
            try AtomicFile.write(try cleaned.jsonData(), to: out.file("\(dir)/masks.json"))
            try out.write(WeightsRecord(arch: arch, weights: stored.weights, biases: r.biases), "\(dir)/weights.json")
            if FileManager.default.fileExists(atPath: source.file("\(dir)/history.json")) {
                try AtomicFile.write(try Data(contentsOf: URL(fileURLWithPath: source.file("\(dir)/history.json"))), to: out.file("\(dir)/history.json"))
            }
            let modules = ModuleReport.analyze(cleaned, options: record.detection)
            try ModuleReport.write(modules, masks: cleaned, file: "\(dir)/masks.json", to: out.file(dir))

            var s = m
            s.edges = cleaned.edgeCount
            s.density = Double(s.edges) / Double(s.weights)
            s.accuracy = r.accuracyAfter
            s.cleanup = CleanupSummary(r, since: began)
            s.condensedArch = modules.condensedArch
            s.modules = modules.modules.count
            s.judgeSuccess = modules.judge?.success
            s.judge = modules.judge.map { j in Dictionary(uniqueKeysWithValues: j.criteria.map { ($0.name, $0.passed) }) }
            let net = SparseNetwork(arch: arch, weights: stored.weights, biases: r.biases, masks: r.masks)
            s.testAccuracy = data.test.map { net.bitAccuracy($0) }
            s.validationDigits = DigitAccuracy.measure(task: data.name, arch: arch, weights: stored.weights, biases: r.biases, masks: r.masks, data: validation)
            s.testDigits = data.test.flatMap {
                DigitAccuracy.measure(task: data.name, arch: arch, weights: stored.weights, biases: r.biases, masks: r.masks, data: $0)
            }
            s.note = ([m.note, "cleaned up after the run (sculpt cleanup); accuracies measured on the host"] as [String?]).compactMap { $0 }.joined(separator: "; ")
            record.models[k] = s
        }
        record.cleanup = true
        if let threshold { record.config.accuracyThreshold = threshold }
        try out.write(record, "run.json")
        return record
    }
}

extension SparseNetwork {
    /// Percent of output bits right (logit > 0 against target > 0.5) over `data`.
    func bitAccuracy(_ data: Dataset) -> Double {
        let n = data.inputWidth, m = data.outputWidth
        var right = 0
        for s in 0..<data.count {
            let z = outputs(Array(data.inputs[(s * n)..<((s + 1) * n)]))
            for o in 0..<m where (z[o] > 0) == (data.targets[s * m + o] > 0.5) { right += 1 }
        }
        return 100 * Double(right) / Double(max(1, data.count * m))
    }
}
