import Analysis
// The YAML schema of docs/sweeps.md: the minimal manifest, defaults, groups and overrides, ids.
import Foundation
import Tasks
import SculptCore
@testable import Sweeps
import XCTest

final class ManifestParsingTests: XCTestCase {
    static let minimal = """
        tasks: [xor-pairs]
        architectures:
          - {arch: [4, 24, 4], lr: 0.05, batch_size: 8, epochs: 15}
        seeds: [0, 1, 2, 5]
        unit_steps: [70, 65, 60, 55, 50, 45, 40, 35, 30, 25, 20, 15, 10, 5]
        edge_steps: [2.5, 2.0, 1.5, 1.0, 0.5]
        accuracy_threshold: 100
        """

    func testMinimalManifestIsOneJob() throws {
        let m = try SweepManifest.parse(yaml: Self.minimal, name: "sweep.yaml")
        XCTAssertEqual(m.name, "sweep")
        XCTAssertEqual(m.jobs.count, 1)
        let job = try XCTUnwrap(m.jobs.first)
        XCTAssertEqual(job.task, "xor-pairs")
        XCTAssertEqual(job.arch, [4, 24, 4])
        XCTAssertEqual(job.learningRate, 0.05)
        XCTAssertEqual(job.batchSize, 8)
        XCTAssertEqual(job.epochs, 15)
        XCTAssertEqual(job.seeds, [0, 1, 2, 5])
        XCTAssertEqual(job.unitSteps, [70, 65, 60, 55, 50, 45, 40, 35, 30, 25, 20, 15, 10, 5])
        XCTAssertEqual(job.edgeSteps, [2.5, 2.0, 1.5, 1.0, 0.5])
        XCTAssertEqual(job.accuracyThreshold, 100)
        XCTAssertEqual(job.detection, DetectionOptions(featureSteps: nil, testSteps: nil, mergeThreshold: 0.9, weakModularity: 0.2))
        XCTAssertEqual(job.id, "xor-pairs/4-24-4")
        XCTAssertEqual(job.hiddenLayers, 1)
        XCTAssertEqual(job.depth, 2)
        XCTAssertEqual(job.resolvedFeatureSteps, 2)
        XCTAssertEqual(job.resolvedTestSteps, 2)
        XCTAssertEqual(try job.architecture().widths, [4, 24, 4])
        XCTAssertEqual(m.runCount, 4)
    }

    /// Leaving out seeds, steps, threshold and detection gives the paper's values.
    func testDefaults() throws {
        let m = try SweepManifest.parse(
            yaml: """
                tasks: [and-or]
                architectures: [{arch: [6, 24, 24, 3], lr: 0.05, batch_size: 32, epochs: 10}]
                """, name: "d.yml")
        XCTAssertEqual(m.name, "d")
        let job = try XCTUnwrap(m.jobs.first)
        XCTAssertEqual(job.seeds, [0, 1, 2, 5])
        XCTAssertEqual(job.unitSteps, stride(from: 70.0, through: 5, by: -5).map { $0 })
        XCTAssertEqual(job.unitSteps.count, 14)
        XCTAssertEqual(job.edgeSteps, [2.5, 2.0, 1.5, 1.0, 0.5])
        XCTAssertEqual(job.accuracyThreshold, 100)
        XCTAssertEqual(job.detection, DetectionOptions())
        XCTAssertEqual(job.resolvedFeatureSteps, 3)
        XCTAssertEqual(job, SweepJob(task: "and-or", arch: [6, 24, 24, 3], learningRate: 0.05, batchSize: 32, epochs: 10))
    }

    /// tasks × architectures, task-major, in manifest order.
    func testCrossProductOrder() throws {
        let m = try SweepManifest.parse(
            yaml: """
                tasks: [xor-pairs, non-modular]
                architectures:
                  - {arch: [4, 24, 4], lr: 0.05, batch_size: 8, epochs: 15}
                  - {arch: [4, 36, 36, 4], lr: 0.1, batch_size: 8, epochs: 20}
                """, name: "x")
        XCTAssertEqual(
            m.jobs.map(\.id),
            [
                "xor-pairs/4-24-4", "xor-pairs/4-36-36-4",
                "non-modular/4-24-4", "non-modular/4-36-36-4",
            ])
        XCTAssertEqual(m.jobs.map(\.learningRate), [0.05, 0.1, 0.05, 0.1])
    }

    /// Groups: each its own tasks and architectures; settings inherit document → group → entry,
    /// detection key by key; lr/batch_size/epochs may come from above; a bare width list is an entry.
    func testGroupsAndOverrides() throws {
        let m = try SweepManifest.parse(
            yaml: """
                name: mixed
                seeds: [0, 1]
                accuracy_threshold: 99.5
                detection: {merge_threshold: 0.8}
                groups:
                  - tasks: [xor-pairs]
                    architectures:
                      - {arch: [4, 24, 4], lr: 0.05, batch_size: 8, epochs: 15}
                      - {arch: [4, 24, 24, 4], lr: 0.05, batch_size: 8, epochs: 10, seeds: [7], unit_steps: [50, 25]}
                  - tasks: [hierarchy-8, hierarchy-16]
                    lr: 0.1
                    batch_size: 32
                    epochs: 40
                    edge_steps: [2.5]
                    detection: {weak_modularity: 0.3, feature_steps: 5}
                    architectures:
                      - [8, 36, 8]
                      - {arch: [8, 60, 60, 8], epochs: 20, detection: {feature_steps: depth, test_steps: 2}}
                """, name: "groups.yaml")
        XCTAssertEqual(m.name, "mixed")
        XCTAssertEqual(
            m.jobs.map(\.id),
            [
                "xor-pairs/4-24-4", "xor-pairs/4-24-24-4",
                "hierarchy-8/8-36-8", "hierarchy-8/8-60-60-8",
                "hierarchy-16/8-36-8", "hierarchy-16/8-60-60-8",
            ])
        let (a, b, c, d) = (m.jobs[0], m.jobs[1], m.jobs[2], m.jobs[3])
        XCTAssertEqual(a.seeds, [0, 1])
        XCTAssertEqual(a.accuracyThreshold, 99.5)
        XCTAssertEqual(a.unitSteps, SweepJob.defaultUnitSteps)
        XCTAssertEqual(a.detection, DetectionOptions(mergeThreshold: 0.8, weakModularity: 0.2))
        XCTAssertEqual(b.seeds, [7])
        XCTAssertEqual(b.unitSteps, [50, 25])
        XCTAssertEqual(b.epochs, 10)
        XCTAssertEqual(c.learningRate, 0.1)
        XCTAssertEqual(c.batchSize, 32)
        XCTAssertEqual(c.epochs, 40)
        XCTAssertEqual(c.edgeSteps, [2.5])
        XCTAssertEqual(c.seeds, [0, 1])
        XCTAssertEqual(c.detection, DetectionOptions(featureSteps: 5, testSteps: nil, mergeThreshold: 0.8, weakModularity: 0.3))
        XCTAssertEqual(c.resolvedFeatureSteps, 5)
        XCTAssertEqual(c.resolvedTestSteps, 2)
        XCTAssertEqual(d.epochs, 20)
        XCTAssertEqual(d.batchSize, 32)
        XCTAssertEqual(d.detection, DetectionOptions(featureSteps: nil, testSteps: 2, mergeThreshold: 0.8, weakModularity: 0.3))
        XCTAssertEqual(d.resolvedFeatureSteps, 3)
        XCTAssertEqual(
            m.jobs[5],
            {
                var j = d; j.task = "hierarchy-16"; return j
            }())
    }

    /// Top-level tasks/architectures come before the groups.
    func testTopLevelAndGroupsTogether() throws {
        let m = try SweepManifest.parse(
            yaml: """
                tasks: [reuse-16]
                architectures: [{arch: [4, 8, 8, 16], lr: 0.1, batch_size: 16, epochs: 120}]
                groups:
                  - tasks: [reuse-2]
                    architectures: [{arch: [4, 24, 2], lr: 0.1, batch_size: 8, epochs: 20}]
                """, name: "t")
        XCTAssertEqual(m.jobs.map(\.id), ["reuse-16/4-8-8-16", "reuse-2/4-24-2"])
    }

    /// The same task and architecture with other hyper-parameters: both ids name lr, batch, epochs;
    /// other jobs keep the short id.
    func testHyperparametersInIDOnlyWhenNeeded() throws {
        let m = try SweepManifest.parse(
            yaml: """
                tasks: [xor-pairs]
                architectures:
                  - {arch: [4, 24, 4], lr: 0.05, batch_size: 8, epochs: 15}
                  - {arch: [4, 24, 4], lr: 0.1, batch_size: 16, epochs: 40}
                  - {arch: [4, 36, 4], lr: 0.05, batch_size: 8, epochs: 15}
                  - {arch: [4, 24, 4], lr: 0.001, batch_size: 8, epochs: 1}
                """, name: "x")
        XCTAssertEqual(
            m.jobs.map(\.id),
            [
                "xor-pairs/4-24-4-lr0.05-b8-e15", "xor-pairs/4-24-4-lr0.1-b16-e40",
                "xor-pairs/4-36-4", "xor-pairs/4-24-4-lr0.001-b8-e1",
            ])
        XCTAssertEqual(m.jobs.map(\.hyperparametersInID), [true, true, false, true])
    }

    /// A task file path contributes its file name, without extension, made filesystem-safe.
    func testTaskPathID() throws {
        XCTAssertEqual(
            SweepJob(task: "tasks/my task.task", arch: [3, 5, 1], learningRate: 0.1, batchSize: 8, epochs: 1).id,
            "my_task/3-5-1")
        XCTAssertEqual(
            SweepJob(task: "/tmp/x/overlap.v2.task", arch: [3, 5, 1], learningRate: 0.1, batchSize: 8, epochs: 1).id,
            "overlap.v2/3-5-1")
        XCTAssertEqual(
            SweepJob(task: "overlap-3-16", arch: [5, 24, 16], learningRate: 0.1, batchSize: 8, epochs: 1).id,
            "overlap-3-16/5-24-16")
        // Two paths with the same file name and architecture collide even with hyper-parameters in the id.
        XCTAssertThrowsError(
            try SweepManifest.parse(
                yaml: """
                    tasks: [custom/a.task, other/a.task]
                    architectures: [{arch: [3, 5, 1], lr: 0.1, batch_size: 8, epochs: 1}]
                    """, name: "p.yaml")
        ) { error in
            XCTAssertEqual(
                "\(error)",
                "p.yaml: architectures[0]: duplicate job id 'a/3-5-1-lr0.1-b8-e1' for task "
                    + "'other/a.task'; two jobs need a different task, architecture, lr, batch_size or epochs")
        }
    }

    /// Jobs travel as JSON (run directories, the engine); missing optional keys take the defaults.
    func testJSONRoundTrip() throws {
        let job = SweepJob(
            task: "reuse-4", arch: [4, 36, 36, 4], learningRate: 0.1, batchSize: 16, epochs: 20,
            seeds: [3], unitSteps: [40], edgeSteps: [1], accuracyThreshold: 98,
            detection: DetectionOptions(featureSteps: 4, testSteps: nil, mergeThreshold: 0.6, weakModularity: 0.3),
            hyperparametersInID: true)
        let data = try JSONEncoder().encode(job)
        XCTAssertEqual(try JSONDecoder().decode(SweepJob.self, from: data), job)
        let short = #"{"task":"xor-pairs","arch":[4,24,4],"learningRate":0.05,"batchSize":8,"epochs":15}"#
        XCTAssertEqual(
            try JSONDecoder().decode(SweepJob.self, from: Data(short.utf8)),
            SweepJob(task: "xor-pairs", arch: [4, 24, 4], learningRate: 0.05, batchSize: 8, epochs: 15))
    }

    func testLoadFromFileAndBuiltinName() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("sweeps-\(UUID().uuidString).yaml")
        try Self.minimal.write(to: url, atomically: true, encoding: .utf8)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        let m = try SweepManifests.load(url.path)
        XCTAssertEqual(m.jobs.map(\.id), ["xor-pairs/4-24-4"])
        XCTAssertEqual(m.name, url.deletingPathExtension().lastPathComponent)
        XCTAssertEqual(try SweepManifests.load("reuse"), try SweepManifests.builtin("reuse"))
    }
}

/// The YAML examples of docs/sweeps.md parse, with the jobs the text says.
final class DocumentationExampleTests: XCTestCase {
    func testDocsExamplesParse() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let text = try String(contentsOf: root.appendingPathComponent("docs/sweeps.md"), encoding: .utf8)
        let blocks = text.components(separatedBy: "```yaml\n").dropFirst().map { $0.components(separatedBy: "```")[0] }
        XCTAssertEqual(blocks.count, 3)
        let minimal = try SweepManifest.parse(yaml: blocks[0], name: "minimal.yaml")
        XCTAssertEqual(minimal, try SweepManifest.parse(yaml: ManifestParsingTests.minimal, name: "minimal.yaml"))
        // The README's mnist-pairs recipe as a manifest.
        let vision = try SweepManifest.parse(yaml: blocks[1], name: "vision.yaml")
        XCTAssertEqual(vision.jobs.map(\.id), ["mnist-pairs/1568-64-20"])
        let o = try XCTUnwrap(vision.jobs.first).options
        XCTAssert(o.cleanup && o.vision?.centerInputs == true, "\(o)")
        XCTAssertEqual(o.vision?.data, "/usr/share/datasets/fashion-mnist")
        XCTAssertEqual(vision.jobs[0].seeds, [0, 1])
        let groups = try SweepManifest.parse(yaml: blocks[2], name: "groups.yaml")
        XCTAssertEqual(groups.name, "reuse-and-hierarchy")
        XCTAssertEqual(
            groups.jobs.map(\.id),
            [
                "reuse-16/4-24-16", "reuse-16/4-8-8-16",
                "hierarchy-4/8-36-8", "hierarchy-4/8-60-60-8",
                "hierarchy-8/8-36-8", "hierarchy-8/8-60-60-8",
            ])
        let last = try XCTUnwrap(groups.jobs.last)
        XCTAssertEqual(last.learningRate, 0.05)
        XCTAssertEqual(last.batchSize, 32)
        XCTAssertEqual(last.epochs, 20)
        XCTAssertEqual(last.seeds, [0])
        XCTAssertEqual(last.detection, DetectionOptions(mergeThreshold: 0.8, weakModularity: 0.2))
    }
}

/// Jobs round-trip through the files a sweep writes (snake_case keys), every field included.
final class SweepJobRecordTests: XCTestCase {
    func testJobSurvivesTheRecordCoding() throws {
        let job = SweepJob(
            task: "reuse-4", arch: [4, 24, 4], learningRate: 0.05, batchSize: 8, epochs: 15, seeds: [3, 4],
            unitSteps: [40], edgeSteps: [2.5], accuracyThreshold: 99,
            detection: DetectionOptions(featureSteps: 2, testSteps: nil, mergeThreshold: 0.7, weakModularity: 0.1),
            hyperparametersInID: true)
        let data = try RecordCoding.encoder().encode(job)
        XCTAssert(String(decoding: data, as: UTF8.self).contains("\"hyperparameters_in_id\" : true"))
        XCTAssertEqual(try RecordCoding.decoder().decode(SweepJob.self, from: data), job)
        // The run options and vision data settings, every one away from its default.
        var options = SweepJobOptions()
        options.weightDecay = 0
        options.noise = 0.05
        options.dropout = 0.3
        options.initialization = .glorotUniform
        options.edgeNorm = .mean
        options.cleanup = true
        options.vision = VisionSettings(data: "d", validationImages: 7, trainPairs: 9, validationPairs: 8, testPairs: 0, dataSeed: 4, centerInputs: true)
        var vision = job
        vision.task = "mnist-pairs"
        vision.options = options
        let encoded = try RecordCoding.encoder().encode(vision)
        XCTAssertEqual(try RecordCoding.decoder().decode(SweepJob.self, from: encoded), vision)
        // A job written before the options existed reads with the defaults.
        var old = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        old["options"] = nil
        let decoded = try RecordCoding.decoder().decode(SweepJob.self, from: try JSONSerialization.data(withJSONObject: old))
        XCTAssertEqual(decoded.options, SweepJobOptions())
    }
}

/// A manifest nested deep enough to overflow the YAML parser's recursion is refused before parsing.
final class ManifestNestingTests: XCTestCase {
    func testDeepNestingIsRefusedBeforeParsing() {
        let n = 50_000
        for (what, yaml) in [
            ("flow", "name: x\ntasks: " + String(repeating: "[", count: n) + String(repeating: "]", count: n) + "\n"),
            ("block", "name: x\ntasks:\n" + String(repeating: "- ", count: n) + "x\n"),
        ] {
            XCTAssertThrowsError(try SweepManifest.parse(yaml: yaml, name: "deep")) { error in
                XCTAssert("\(error)".contains("nested more than 64 levels"), "\(what): \(error)")
            }
        }
        // Brackets inside quotes and comments do not count.
        XCTAssertEqual(ManifestParser.nestingBound("a: '[[[[['  # {{{{\nb: [1, [2]]\n"), 2)
    }

    /// Only plain decimal numbers are numbers: not hex (Swift's Double reads "0x10" as 16), not strings.
    func testNumbersAreDecimalAndUnquoted() {
        for value in ["0x10", "!!str 0.05", "'0.05'", "\"0.05\"", "nan", ".inf"] {
            let yaml = "tasks: [xor-pairs]\narchitectures:\n  - {arch: [4, 8, 4], lr: \(value), batch_size: 8, epochs: 1}\nseeds: [0]\n"
            XCTAssertThrowsError(try SweepManifest.parse(yaml: yaml, name: "m"), value) {
                XCTAssert("\($0)".contains("lr: expected"), "\(value): \($0)")
            }
        }
        let ok = "tasks: [xor-pairs]\narchitectures:\n  - {arch: [4, 8, 4], lr: 5e-2, batch_size: 8, epochs: 1}\nseeds: [0]\n"
        XCTAssertNoThrow(try SweepManifest.parse(yaml: ok, name: "m"))
    }

    func testEveryBuiltinManifestIsWellWithinTheLimit() throws {
        for name in SweepManifests.builtinNames {
            XCTAssertLessThan(ManifestParser.nestingBound(try SweepManifests.yaml(ofBuiltin: name)), 16, name)
        }
    }
}
