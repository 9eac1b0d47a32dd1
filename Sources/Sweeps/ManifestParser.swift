import Analysis
import Pruning
import Tasks
import Training
// YAML manifest → flattened jobs, with every field checked. Schema: docs/sweeps.md.
import Foundation
import Yams

/// Settings one level passes down to the next (document → group → architecture entry).
private struct Inherited {
    var learningRate: Double?
    var batchSize: Int?
    var epochs: Int?
    var seeds = SweepJob.defaultSeeds
    var unitSteps = SweepJob.defaultUnitSteps
    var edgeSteps = SweepJob.defaultEdgeSteps
    /// Set by `chains`, which replaces the three lists above with the values the chains use.
    var chains: [Chain]?
    var accuracyThreshold = SweepJob.defaultAccuracyThreshold
    var detection = DetectionOptions()
    var options = SweepJobOptions()
}

/// A job before ids are made unique, with the fields it came from (for error messages).
private struct Origin {
    var job: SweepJob
    var field: String
}

struct ManifestParser {
    /// File path or name, first word of every error.
    let source: String

    static let settingKeys =
        [
            "lr", "batch_size", "epochs", "seeds", "unit_steps", "edge_steps", "chains",
            "accuracy_threshold", "detection",
        ] + optionKeys + dataKeys
    /// Training and pruning options, as `sculpt run`'s flags of the same names.
    static let optionKeys = ["weight_decay", "noise", "dropout", "init", "snapshot_loss", "bce_gradient", "edge_norm", "cleanup"]
    /// Vision tasks' data and splits, as `sculpt run`'s flags of the same names.
    static let dataKeys = ["data", "validation_images", "train_pairs", "validation_pairs", "test_pairs", "data_seed", "center_inputs"]
    static let documentKeys = ["name", "tasks", "architectures", "groups"] + settingKeys
    static let groupKeys = ["tasks", "architectures"] + settingKeys
    static let architectureKeys = ["arch"] + settingKeys
    static let detectionKeys = ["merge_threshold", "weak_modularity", "feature_steps", "test_steps"]

    /// Manifests nested deeper than this are refused before YAML parsing, whose recursion would
    /// otherwise overflow the stack on a pathological file; real manifests nest a few levels.
    static let maxNesting = 64

    /// An upper bound on the YAML nesting of `text`, from the text alone: flow brackets open at once
    /// (outside quotes and comments) plus, per line, the indentation in spaces and the `- ` / `? `
    /// markers that start it. Over-counts (indentation is not one level per space), never under-counts.
    static func nestingBound(_ text: String) -> Int {
        var deepest = 0, flow = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let chars = Array(line.utf8)
            var i = 0, block = 0
            while i < chars.count, chars[i] == UInt8(ascii: " ") { i += 1 }
            block = i
            while i + 1 < chars.count, chars[i] == UInt8(ascii: "-") || chars[i] == UInt8(ascii: "?"), chars[i + 1] == UInt8(ascii: " ") {
                block += 2
                i += 2
                while i < chars.count, chars[i] == UInt8(ascii: " ") { i += 1 }
            }
            var quote: UInt8? = nil
            for c in chars[i...] {
                if let q = quote {
                    if c == q { quote = nil }
                    continue
                }
                switch c {
                case UInt8(ascii: "\""), UInt8(ascii: "'"): quote = c
                case UInt8(ascii: "["), UInt8(ascii: "{"): flow += 1
                case UInt8(ascii: "]"), UInt8(ascii: "}"): flow = max(0, flow - 1)
                default: break
                }
                if c == UInt8(ascii: "#") && quote == nil { break }
                deepest = max(deepest, block / 2 + flow)
            }
            deepest = max(deepest, block / 2 + flow)
        }
        return deepest
    }

    func parse(_ yaml: String) throws -> SweepManifest {
        guard Self.nestingBound(yaml) <= Self.maxNesting else {
            throw fail("", "nested more than \(Self.maxNesting) levels deep (lists, mappings or indentation); manifests need only a few")
        }
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch {
            throw fail("", "not valid YAML: " + Self.describe(error))
        }
        guard let root else {
            throw fail("", "the manifest is empty; expected a mapping with 'tasks' and 'architectures', or 'groups'")
        }
        guard let top = root.mapping else {
            throw fail("", "expected a mapping with 'tasks' and 'architectures', or 'groups', got \(Self.shown(root))")
        }
        let fields = try keyed(top, at: "", allowed: Self.documentKeys)

        var name = Self.defaultName(source)
        if let node = fields["name"] {
            guard let text = node.scalar?.string, !Self.isNull(node), !text.trimmingCharacters(in: .whitespaces).isEmpty
            else { throw fail("name", "expected a non-empty string, got \(Self.shown(node))") }
            name = text
        }
        let settings = try inherit(Inherited(), from: fields, at: "")

        var origins: [Origin] = []
        switch (fields["tasks"], fields["architectures"]) {
        case let (tasks?, archs?):
            origins += try group(tasks: tasks, architectures: archs, settings: settings, at: "")
        case (nil, nil):
            guard fields["groups"] != nil else {
                throw fail("", "expected 'tasks' and 'architectures', or 'groups'")
            }
        case (nil, _?):
            throw fail("tasks", "missing; 'architectures' needs a 'tasks' list beside it")
        case (_?, nil):
            throw fail("architectures", "missing; 'tasks' needs an 'architectures' list beside it")
        }
        if let groupsNode = fields["groups"] {
            let groups = try list(groupsNode, at: "groups", nonEmpty: true)
            for (i, node) in groups.enumerated() {
                let at = "groups[\(i)]"
                guard let mapping = node.mapping else {
                    throw fail(at, "expected a mapping with 'tasks' and 'architectures', got \(Self.shown(node))")
                }
                let g = try keyed(mapping, at: at, allowed: Self.groupKeys)
                guard let tasks = g["tasks"] else { throw fail(at + ".tasks", "missing") }
                guard let archs = g["architectures"] else { throw fail(at + ".architectures", "missing") }
                let local = try inherit(settings, from: g, at: at)
                origins += try group(tasks: tasks, architectures: archs, settings: local, at: at)
            }
        }
        return SweepManifest(name: name, jobs: try uniqueIDs(origins))
    }

    // MARK: - Groups and architecture entries

    private func group(
        tasks tasksNode: Node, architectures archsNode: Node, settings: Inherited,
        at prefix: String
    ) throws -> [Origin] {
        let tasksAt = join(prefix, "tasks")
        var tasks: [String] = []
        for (i, node) in try list(tasksNode, at: tasksAt, nonEmpty: true).enumerated() {
            guard let text = node.scalar?.string, !Self.isNull(node),
                !text.trimmingCharacters(in: .whitespaces).isEmpty
            else {
                throw fail("\(tasksAt)[\(i)]", "expected a task name or task file path, got \(Self.shown(node))")
            }
            if tasks.contains(text) { throw fail("\(tasksAt)[\(i)]", "duplicate task '\(text)'") }
            tasks.append(text)
        }
        let archsAt = join(prefix, "architectures")
        var entries: [(job: SweepJob, field: String)] = []
        for (i, node) in try list(archsNode, at: archsAt, nonEmpty: true).enumerated() {
            entries.append((try architecture(node, settings: settings, at: "\(archsAt)[\(i)]"), "\(archsAt)[\(i)]"))
        }
        var origins: [Origin] = []
        for task in tasks {
            for entry in entries {
                var job = entry.job
                job.task = task
                origins.append(Origin(job: job, field: entry.field))
            }
        }
        return origins
    }

    /// `{arch: [...], lr:, batch_size:, epochs:, …}`, or a bare width list when lr, batch_size and
    /// epochs are inherited.
    private func architecture(_ node: Node, settings: Inherited, at: String) throws -> SweepJob {
        let fields: [String: Node]
        let archNode: Node
        let archAt: String
        if node.sequence != nil {
            fields = [:]
            archNode = node
            archAt = at
        } else if let mapping = node.mapping {
            fields = try keyed(mapping, at: at, allowed: Self.architectureKeys)
            guard let a = fields["arch"] else { throw fail(join(at, "arch"), "missing") }
            archNode = a
            archAt = join(at, "arch")
        } else {
            throw fail(at, "expected a mapping like {arch: [4, 24, 4], lr: 0.05, batch_size: 8, epochs: 15}, got \(Self.shown(node))")
        }
        let widths = try list(archNode, at: archAt, nonEmpty: true).enumerated().map { i, w in
            try integer(w, at: "\(archAt)[\(i)]", minimum: 1, expected: "a width ≥ 1")
        }
        guard widths.count >= 3 else {
            throw fail(archAt, "expected at least 3 widths (inputs, one or more hidden layers, outputs), got \(widths.count)")
        }
        let s = try inherit(settings, from: fields, at: at)
        guard let lr = s.learningRate else {
            throw fail(join(at, "lr"), "missing (set it here, on the group or at the top)")
        }
        guard let batch = s.batchSize else {
            throw fail(join(at, "batch_size"), "missing (set it here, on the group or at the top)")
        }
        guard let epochs = s.epochs else {
            throw fail(join(at, "epochs"), "missing (set it here, on the group or at the top)")
        }
        return SweepJob(
            task: "", arch: widths, learningRate: lr, batchSize: batch, epochs: epochs,
            seeds: s.seeds, unitSteps: s.unitSteps, edgeSteps: s.edgeSteps,
            accuracyThreshold: s.accuracyThreshold, detection: s.detection, options: s.options, chains: s.chains)
    }

    /// Same task and architecture twice → both ids name lr, batch and epochs; still equal → error.
    private func uniqueIDs(_ origins: [Origin]) throws -> [SweepJob] {
        var count: [String: Int] = [:]
        for o in origins { count[o.job.id, default: 0] += 1 }
        var jobs: [SweepJob] = []
        var seen: [String: Origin] = [:]
        for var o in origins {
            if count[o.job.id, default: 0] > 1 { o.job.hyperparametersInID = true }
            let id = o.job.id
            if let first = seen[id] {
                let same = first.field == o.field ? "" : " (first made by \(first.field))"
                throw fail(
                    o.field,
                    "duplicate job id '\(id)' for task '\(o.job.task)'\(same); "
                        + "two jobs need a different task, architecture, lr, batch_size or epochs")
            }
            seen[id] = o
            jobs.append(o.job)
        }
        return jobs
    }

    // MARK: - Settings

    private func inherit(_ base: Inherited, from fields: [String: Node], at prefix: String) throws -> Inherited {
        var s = base
        if let n = fields["lr"] {
            s.learningRate = try number(n, at: join(prefix, "lr"), expected: "a positive number") { $0 > 0 }
        }
        if let n = fields["batch_size"] {
            s.batchSize = try integer(n, at: join(prefix, "batch_size"), minimum: 1, expected: "an integer ≥ 1")
        }
        if let n = fields["epochs"] {
            s.epochs = try integer(n, at: join(prefix, "epochs"), minimum: 1, expected: "an integer ≥ 1")
        }
        // `chains` replaces the three lists; they cannot sit beside it, nor refine chains from above.
        for key in ["seeds", "unit_steps", "edge_steps"] where fields[key] != nil && (fields["chains"] != nil || s.chains != nil) {
            throw fail(
                join(prefix, key),
                fields["chains"] != nil
                    ? "cannot be given with chains, which set every seed, unit step and edge step"
                    : "cannot refine chains set above; give chains here instead")
        }
        if let n = fields["seeds"] { s.seeds = try seeds(n, at: join(prefix, "seeds")) }
        if let n = fields["unit_steps"] { s.unitSteps = try steps(n, at: join(prefix, "unit_steps")) }
        if let n = fields["edge_steps"] { s.edgeSteps = try steps(n, at: join(prefix, "edge_steps")) }
        if let n = fields["chains"] {
            let c = try chains(n, at: join(prefix, "chains"))
            (s.chains, s.seeds, s.unitSteps, s.edgeSteps) = (c, c.seeds, c.unitSteps, c.edgeSteps)
        }
        if let n = fields["accuracy_threshold"] {
            s.accuracyThreshold = try number(
                n, at: join(prefix, "accuracy_threshold"),
                expected: "a percentage in [0, 100]"
            ) { $0 >= 0 && $0 <= 100 }
        }
        if let n = fields["detection"] { s.detection = try detection(n, base: s.detection, at: join(prefix, "detection")) }
        try options(&s.options, from: fields, at: prefix)
        return s
    }

    /// The training, pruning and data keys (`optionKeys`, `dataKeys`), checked as `sculpt run` checks its flags.
    private func options(_ o: inout SweepJobOptions, from fields: [String: Node], at prefix: String) throws {
        if let n = fields["weight_decay"] {
            o.weightDecay = Float(try number(n, at: join(prefix, "weight_decay"), expected: "a number ≥ 0") { $0 >= 0 })
        }
        if let n = fields["noise"] {
            o.noise = Float(try number(n, at: join(prefix, "noise"), expected: "a standard deviation ≥ 0") { $0 >= 0 })
        }
        if let n = fields["dropout"] {
            o.dropout = Float(try number(n, at: join(prefix, "dropout"), expected: "a rate in [0, 1)") { $0 >= 0 && $0 < 1 })
        }
        if let n = fields["init"] {
            let names: [String: WeightInitialization] = ["kaiming": .kaimingNormal, "glorot": .glorotUniform]
            guard let v = n.scalar.flatMap({ names[$0.string] }) else { throw fail(join(prefix, "init"), "expected kaiming or glorot, got \(Self.shown(n))") }
            o.initialization = v
        }
        if let n = fields["snapshot_loss"] {
            guard let v = n.scalar.flatMap({ SnapshotLoss(rawValue: $0.string) }) else {
                throw fail(join(prefix, "snapshot_loss"), "expected mean or reference, got \(Self.shown(n))")
            }
            o.snapshotLoss = v
        }
        if let n = fields["bce_gradient"] {
            guard let v = n.scalar.flatMap({ BCEGradient(rawValue: $0.string) }) else {
                throw fail(join(prefix, "bce_gradient"), "expected logits or probabilities, got \(Self.shown(n))")
            }
            o.bceGradient = v
        }
        if let n = fields["edge_norm"] {
            guard let v = n.scalar.flatMap({ EdgeNormalization(rawValue: $0.string) }) else {
                throw fail(join(prefix, "edge_norm"), "expected none or mean, got \(Self.shown(n))")
            }
            o.edgeNorm = v
        }
        if let n = fields["cleanup"] { o.cleanup = try boolean(n, at: join(prefix, "cleanup")) }
        guard Self.dataKeys.contains(where: { fields[$0] != nil }) else { return }
        var v = o.vision ?? VisionSettings()
        if let n = fields["data"] {
            guard let text = n.scalar?.string, !Self.isNull(n), !text.isEmpty else {
                throw fail(join(prefix, "data"), "expected a folder with the four MNIST-format files (or mnist / fashion-mnist), got \(Self.shown(n))")
            }
            v.data = text
        }
        if let n = fields["validation_images"] { v.validationImages = try integer(n, at: join(prefix, "validation_images"), minimum: 1, expected: "an integer ≥ 1") }
        if let n = fields["train_pairs"] { v.trainPairs = try integer(n, at: join(prefix, "train_pairs"), minimum: 1, expected: "an integer ≥ 1") }
        if let n = fields["validation_pairs"] {
            v.validationPairs = try integer(n, at: join(prefix, "validation_pairs"), minimum: 1, expected: "an integer ≥ 1")
        }
        if let n = fields["test_pairs"] { v.testPairs = try integer(n, at: join(prefix, "test_pairs"), minimum: 0, expected: "an integer ≥ 0") }
        if let n = fields["data_seed"] { v.dataSeed = UInt64(try integer(n, at: join(prefix, "data_seed"), minimum: 0, expected: "an integer ≥ 0")) }
        if let n = fields["center_inputs"] { v.centerInputs = try boolean(n, at: join(prefix, "center_inputs")) }
        o.vision = v
    }

    private func boolean(_ node: Node, at: String) throws -> Bool {
        guard let text = node.scalar?.string, node.scalar?.style == .plain, ["true", "false"].contains(text) else {
            throw fail(at, "expected true or false, got \(Self.shown(node))")
        }
        return text == "true"
    }

    private func seeds(_ node: Node, at: String) throws -> [UInt64] {
        var out: [UInt64] = []
        for (i, n) in try list(node, at: at, nonEmpty: true).enumerated() {
            guard let text = n.scalar?.string, let seed = UInt64(text.trimmingCharacters(in: .whitespaces)) else {
                throw fail("\(at)[\(i)]", "expected an integer seed ≥ 0, got \(Self.shown(n))")
            }
            if out.contains(seed) { throw fail("\(at)[\(i)]", "duplicate seed \(seed)") }
            out.append(seed)
        }
        return out
    }

    /// `[[seed, P_u, P_e], …]`: distinct triples.
    private func chains(_ node: Node, at: String) throws -> [Chain] {
        var out: [Chain] = []
        for (i, n) in try list(node, at: at, nonEmpty: true).enumerated() {
            let item = "\(at)[\(i)]"
            guard let parts = n.sequence, parts.count == 3 else {
                throw fail(item, "expected [seed, P_u, P_e], e.g. [0, 10, 0.5], got \(Self.shown(n))")
            }
            guard let text = parts[0].scalar?.string, let seed = UInt64(text.trimmingCharacters(in: .whitespaces)) else {
                throw fail("\(item)[0]", "expected an integer seed ≥ 0, got \(Self.shown(parts[0]))")
            }
            let pu = try number(parts[1], at: "\(item)[1]", expected: "a percentage in (0, 100)") { $0 > 0 && $0 < 100 }
            let pe = try number(parts[2], at: "\(item)[2]", expected: "a percentage in (0, 100)") { $0 > 0 && $0 < 100 }
            let chain = Chain(seed: seed, unitStep: pu, edgeStep: pe)
            if out.contains(chain) { throw fail(item, "duplicate chain \(chain.text)") }
            out.append(chain)
        }
        return out
    }

    private func steps(_ node: Node, at: String) throws -> [Double] {
        var out: [Double] = []
        for (i, n) in try list(node, at: at, nonEmpty: true).enumerated() {
            let step = try number(n, at: "\(at)[\(i)]", expected: "a percentage in (0, 100)") { $0 > 0 && $0 < 100 }
            if out.contains(step) { throw fail("\(at)[\(i)]", "duplicate step \(SweepJob.format(step))") }
            out.append(step)
        }
        return out
    }

    /// Keys missing here keep the inherited values; `feature_steps: depth` (or `~`) resets to the depth `L`.
    private func detection(_ node: Node, base: DetectionOptions, at: String) throws -> DetectionOptions {
        guard let mapping = node.mapping else {
            throw fail(at, "expected a mapping with keys among \(Self.detectionKeys.joined(separator: ", ")), got \(Self.shown(node))")
        }
        let fields = try keyed(mapping, at: at, allowed: Self.detectionKeys)
        var d = base
        if let n = fields["merge_threshold"] {
            d.mergeThreshold = try number(n, at: join(at, "merge_threshold"), expected: "a number in [0, 1]") { DetectionOptions.thresholdRange.contains($0) }
        }
        if let n = fields["weak_modularity"] {
            d.weakModularity = try number(n, at: join(at, "weak_modularity"), expected: "a number in [0, 1]") { DetectionOptions.thresholdRange.contains($0) }
        }
        if let n = fields["feature_steps"] { d.featureSteps = try stepSize(n, at: join(at, "feature_steps")) }
        if let n = fields["test_steps"] { d.testSteps = try stepSize(n, at: join(at, "test_steps")) }
        return d
    }

    private func stepSize(_ node: Node, at: String) throws -> Int? {
        if Self.isNull(node) || node.scalar?.string == "depth" { return nil }
        return try integer(node, at: at, minimum: 1, expected: "an integer ≥ 1 or 'depth'")
    }

    // MARK: - Scalars, lists, mappings

    /// The mapping as a dictionary; unknown and repeated keys are errors.
    private func keyed(_ mapping: Node.Mapping, at: String, allowed: [String]) throws -> [String: Node] {
        var out: [String: Node] = [:]
        for (keyNode, value) in mapping {
            guard let key = keyNode.scalar?.string else {
                throw fail(at, "expected plain keys, got \(Self.shown(keyNode)) as a key")
            }
            guard allowed.contains(key) else {
                throw fail(join(at, key), "unknown key; expected one of \(allowed.joined(separator: ", "))")
            }
            guard out[key] == nil else { throw fail(join(at, key), "given twice") }
            out[key] = value
        }
        return out
    }

    private func list(_ node: Node, at: String, nonEmpty: Bool) throws -> [Node] {
        guard let seq = node.sequence else { throw fail(at, "expected a list, got \(Self.shown(node))") }
        let items = Array(seq)
        if nonEmpty && items.isEmpty { throw fail(at, "expected a non-empty list, got []") }
        return items
    }

    /// A plain decimal YAML number: not a string (`"0.05"`, `!!str 0.05`) and not Swift's wider
    /// syntax (`0x10`, `nan`, `inf`), which YAML's core schema does not read as these numbers.
    static func isDecimal(_ node: Node) -> Bool {
        guard let text = node.scalar?.string, node.tag.description != Tag.Name.str.rawValue, node.scalar?.style == .plain else { return false }
        return text.range(of: #"^[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)?$"#, options: .regularExpression) != nil
    }

    private func number(_ node: Node, at: String, expected: String, valid: (Double) -> Bool) throws -> Double {
        guard let text = node.scalar?.string, !Self.isNull(node), Self.isDecimal(node),
            let x = Double(text.trimmingCharacters(in: .whitespaces)), x.isFinite, valid(x)
        else {
            throw fail(at, "expected \(expected), got \(Self.shown(node))")
        }
        return x
    }

    private func integer(_ node: Node, at: String, minimum: Int, expected: String) throws -> Int {
        guard let text = node.scalar?.string, Self.isDecimal(node), let n = Int(text.trimmingCharacters(in: .whitespaces)), n >= minimum else {
            throw fail(at, "expected \(expected), got \(Self.shown(node))")
        }
        return n
    }

    private func join(_ prefix: String, _ key: String) -> String { prefix.isEmpty ? key : prefix + "." + key }

    private func fail(_ field: String, _ problem: String) -> ManifestError {
        ManifestError(file: source, field: field, problem: problem)
    }

    // MARK: - Helpers

    /// `'fast'`, `nothing`, `a list`, `a mapping`.
    static func shown(_ node: Node) -> String {
        if let s = node.scalar { return isNull(node) ? "nothing" : "'\(s.string)'" }
        if node.sequence != nil { return "a list" }
        if node.mapping != nil { return "a mapping" }
        return "an alias"
    }

    /// Plain `~`, `null` or an empty value.
    static func isNull(_ node: Node) -> Bool {
        guard let s = node.scalar else { return false }
        return s.style == .plain && ["", "~", "null", "Null", "NULL"].contains(s.string)
    }

    static func defaultName(_ source: String) -> String {
        var name = source
        if let slash = name.lastIndex(of: "/") { name = String(name[name.index(after: slash)...]) }
        for ext in [".yaml", ".yml"] where name.hasSuffix(ext) && name.count > ext.count {
            name = String(name.dropLast(ext.count))
        }
        return name.isEmpty ? source : name
    }

    /// One line from a Yams error: the problem and where.
    static func describe(_ error: Error) -> String {
        if let e = error as? YamlError {
            switch e {
            case let .scanner(_, problem, mark, _), let .parser(_, problem, mark, _), let .composer(_, problem, mark, _):
                return "\(problem) at line \(mark.line), column \(mark.column)"
            case let .reader(problem, offset, _, _):
                return offset.map { "\(problem) at offset \($0)" } ?? problem
            default:
                break
            }
        }
        return String(describing: error).split(whereSeparator: \.isNewline).first.map(String.init) ?? "unreadable"
    }
}
