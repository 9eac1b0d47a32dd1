// Every invalid manifest ends in one ManifestError line "<file>: <field>: <problem>".
import Foundation
import Pruning
import Tasks
import Training
@testable import Sweeps
import XCTest

final class ManifestValidationTests: XCTestCase {
    /// The error for `yaml`, checked to be a one-line ManifestError from `sweep.yaml`.
    private func error(_ yaml: String, file: StaticString = #filePath, line: UInt = #line) -> ManifestError? {
        do {
            let m = try SweepManifest.parse(yaml: yaml, name: "sweep.yaml")
            XCTFail("parsed into \(m.jobs.count) jobs; expected an error", file: file, line: line)
            return nil
        } catch let e as ManifestError {
            XCTAssertEqual(e.file, "sweep.yaml", file: file, line: line)
            XCTAssertFalse(e.description.contains("\n"), "not one line: \(e)", file: file, line: line)
            XCTAssertTrue(e.description.hasPrefix("sweep.yaml: "), file: file, line: line)
            return e
        } catch {
            XCTFail("not a ManifestError: \(error)", file: file, line: line)
            return nil
        }
    }

    /// One architecture entry with `entry` spliced in, under tasks [xor-pairs].
    private func entry(_ entry: String) -> String {
        """
        tasks: [xor-pairs]
        architectures:
          - {arch: [4, 24, 4], lr: 0.05, batch_size: 8, epochs: 15}
          - \(entry)
        """
    }

    func testBadLearningRate() {
        XCTAssertEqual(
            error(entry("{arch: [4, 36, 4], lr: fast, batch_size: 8, epochs: 15}"))?.description,
            "sweep.yaml: architectures[1].lr: expected a positive number, got 'fast'")
        XCTAssertEqual(
            error(entry("{arch: [4, 36, 4], lr: -0.1, batch_size: 8, epochs: 15}"))?.description,
            "sweep.yaml: architectures[1].lr: expected a positive number, got '-0.1'")
        XCTAssertEqual(error(entry("{arch: [4, 36, 4], lr: 0, batch_size: 8, epochs: 15}"))?.field, "architectures[1].lr")
        XCTAssertEqual(error(entry("{arch: [4, 36, 4], lr: .nan, batch_size: 8, epochs: 15}"))?.field, "architectures[1].lr")
        XCTAssertEqual(
            error(entry("{arch: [4, 36, 4], lr: , batch_size: 8, epochs: 15}"))?.description,
            "sweep.yaml: architectures[1].lr: expected a positive number, got nothing")
        XCTAssertEqual(
            error(entry("{arch: [4, 36, 4], lr: [0.1], batch_size: 8, epochs: 15}"))?.description,
            "sweep.yaml: architectures[1].lr: expected a positive number, got a list")
    }

    func testUnknownKeysAreNamed() {
        let e = error(entry("{arch: [4, 36, 4], lrate: 0.1, batch_size: 8, epochs: 15}"))
        XCTAssertEqual(e?.field, "architectures[1].lrate")
        XCTAssertEqual(
            e?.description,
            "sweep.yaml: architectures[1].lrate: unknown key; expected one of arch, lr, "
                + "batch_size, epochs, seeds, unit_steps, edge_steps, chains, accuracy_threshold, detection, "
                + "weight_decay, noise, dropout, init, snapshot_loss, bce_gradient, edge_norm, cleanup, "
                + "data, validation_images, train_pairs, validation_pairs, test_pairs, data_seed, center_inputs")
        XCTAssertEqual(error("seed: [0]\n" + entry("[4, 36, 4]"))?.field, "seed")
        XCTAssertEqual(
            error(
                """
                groups:
                  - tasks: [xor-pairs]
                    architecture: [{arch: [4, 24, 4], lr: 0.05, batch_size: 8, epochs: 15}]
                """)?.field, "groups[0].architecture")
        XCTAssertEqual(
            error("detection: {merge: 0.9}\n" + entry("[4, 36, 4]"))?.description,
            "sweep.yaml: detection.merge: unknown key; expected one of merge_threshold, weak_modularity, feature_steps, test_steps")
    }

    /// `sculpt run`'s options and the vision data settings, inherited like the other settings.
    func testRunOptionsAndDataSettings() throws {
        let m = try SweepManifest.parse(
            yaml: """
                noise: 0
                dropout: 0.2
                init: glorot
                groups:
                  - tasks: [mnist-pairs]
                    data: images
                    train_pairs: 300
                    edge_norm: mean
                    snapshot_loss: reference
                    bce_gradient: probabilities
                    cleanup: true
                    center_inputs: true
                    architectures:
                      - {arch: [1568, 8, 20], lr: 0.01, batch_size: 32, epochs: 2, weight_decay: 0, test_pairs: 0, data_seed: 3}
                  - tasks: [xor-pairs]
                    architectures: [{arch: [4, 8, 4], lr: 0.05, batch_size: 8, epochs: 3}]
                """, name: "sweep.yaml")
        let o = m.jobs[0].options
        XCTAssertEqual(o.noise, 0)
        XCTAssertEqual(o.dropout, 0.2)
        XCTAssertEqual(o.initialization, .glorotUniform)
        XCTAssertEqual(o.edgeNorm, .mean)
        XCTAssertEqual(o.snapshotLoss, .reference)
        XCTAssertEqual(o.bceGradient, .probabilities)
        XCTAssertEqual(o.training(epochs: 2, batchSize: 32).options(for: try TaskData.load("xor-pairs")).bceGradient, .probabilities)
        XCTAssertEqual(o.training(epochs: 2, batchSize: 32).options(for: try TaskData.load("xor-pairs")).snapshotLoss, .reference)
        XCTAssertNil(m.jobs[1].options.snapshotLoss, "the other group keeps the mean")
        XCTAssert(o.cleanup)
        XCTAssertEqual(o.weightDecay, 0)
        XCTAssertEqual(o.vision, VisionSettings(data: "images", trainPairs: 300, testPairs: 0, dataSeed: 3, centerInputs: true))
        XCTAssertEqual(m.jobs[1].options.edgeNorm, .none, "the other group keeps the defaults")
        XCTAssertFalse(m.jobs[1].options.cleanup)
        XCTAssertNil(m.jobs[1].options.vision)
        XCTAssertEqual(m.jobs[1].options.dropout, 0.2, "document-level settings reach every group")
        for (yaml, message) in [
            ("dropout: 1", "sweep.yaml: dropout: expected a rate in [0, 1), got '1'"),
            ("init: he", "sweep.yaml: init: expected kaiming or glorot, got 'he'"),
            ("edge_norm: max", "sweep.yaml: edge_norm: expected none or mean, got 'max'"),
            ("snapshot_loss: last", "sweep.yaml: snapshot_loss: expected mean or reference, got 'last'"),
            ("bce_gradient: sigmoid", "sweep.yaml: bce_gradient: expected logits or probabilities, got 'sigmoid'"),
            ("cleanup: yes", "sweep.yaml: cleanup: expected true or false, got 'yes'"),
            ("noise: -1", "sweep.yaml: noise: expected a standard deviation ≥ 0, got '-1'"),
            ("test_pairs: -1", "sweep.yaml: test_pairs: expected an integer ≥ 0, got '-1'"),
            ("data: ''", "sweep.yaml: data: expected a folder with the four MNIST-format files (or mnist / fashion-mnist), got ''"),
        ] {
            XCTAssertEqual(error(yaml + "\n" + entry("[4, 36, 4]"))?.description, message, yaml)
        }
    }

    func testBadWidths() {
        XCTAssertEqual(
            error(entry("{arch: [4, 0, 4], lr: 0.1, batch_size: 8, epochs: 15}"))?.description,
            "sweep.yaml: architectures[1].arch[1]: expected a width ≥ 1, got '0'")
        XCTAssertEqual(error(entry("{arch: [4, 2.5, 4], lr: 0.1, batch_size: 8, epochs: 15}"))?.field, "architectures[1].arch[1]")
        XCTAssertEqual(
            error(entry("{arch: [4, 4], lr: 0.1, batch_size: 8, epochs: 15}"))?.description,
            "sweep.yaml: architectures[1].arch: expected at least 3 widths (inputs, one or more hidden layers, outputs), got 2")
        XCTAssertEqual(
            error(entry("{arch: 4-24-4, lr: 0.1, batch_size: 8, epochs: 15}"))?.description,
            "sweep.yaml: architectures[1].arch: expected a list, got '4-24-4'")
        XCTAssertEqual(
            error(entry("{lr: 0.1, batch_size: 8, epochs: 15}"))?.description,
            "sweep.yaml: architectures[1].arch: missing")
    }

    func testBadBatchAndEpochs() {
        XCTAssertEqual(
            error(entry("{arch: [4, 36, 4], lr: 0.1, batch_size: 0, epochs: 15}"))?.description,
            "sweep.yaml: architectures[1].batch_size: expected an integer ≥ 1, got '0'")
        XCTAssertEqual(
            error(entry("{arch: [4, 36, 4], lr: 0.1, batch_size: 8, epochs: 1.5}"))?.description,
            "sweep.yaml: architectures[1].epochs: expected an integer ≥ 1, got '1.5'")
        XCTAssertEqual(
            error(entry("{arch: [4, 36, 4], lr: 0.1, epochs: 15}"))?.description,
            "sweep.yaml: architectures[1].batch_size: missing (set it here, on the group or at the top)")
    }

    func testStepsOutOfRange() {
        XCTAssertEqual(
            error("unit_steps: [70, 100]\n" + entry("[4, 36, 4]"))?.description,
            "sweep.yaml: unit_steps[1]: expected a percentage in (0, 100), got '100'")
        XCTAssertEqual(
            error("edge_steps: [2.5, 0]\n" + entry("[4, 36, 4]"))?.description,
            "sweep.yaml: edge_steps[1]: expected a percentage in (0, 100), got '0'")
        XCTAssertEqual(
            error(entry("{arch: [4, 36, 4], lr: 0.1, batch_size: 8, epochs: 15, unit_steps: [-5]}"))?.description,
            "sweep.yaml: architectures[1].unit_steps[0]: expected a percentage in (0, 100), got '-5'")
        XCTAssertEqual(
            error("unit_steps: []\n" + entry("[4, 36, 4]"))?.description,
            "sweep.yaml: unit_steps: expected a non-empty list, got []")
        XCTAssertEqual(
            error("edge_steps: [1, 1.0]\n" + entry("[4, 36, 4]"))?.description,
            "sweep.yaml: edge_steps[1]: duplicate step 1")
    }

    func testThresholdSeedsAndDetection() {
        XCTAssertEqual(
            error("accuracy_threshold: 101\n" + entry("[4, 36, 4]"))?.description,
            "sweep.yaml: accuracy_threshold: expected a percentage in [0, 100], got '101'")
        XCTAssertEqual(
            error("seeds: [0, -1]\n" + entry("[4, 36, 4]"))?.description,
            "sweep.yaml: seeds[1]: expected an integer seed ≥ 0, got '-1'")
        XCTAssertEqual(
            error("seeds: [0, 0]\n" + entry("[4, 36, 4]"))?.description,
            "sweep.yaml: seeds[1]: duplicate seed 0")
        XCTAssertEqual(
            error("detection: {merge_threshold: 2}\n" + entry("[4, 36, 4]"))?.description,
            "sweep.yaml: detection.merge_threshold: expected a number in [0, 1], got '2'")
        XCTAssertEqual(
            error("detection: {feature_steps: 0}\n" + entry("[4, 36, 4]"))?.description,
            "sweep.yaml: detection.feature_steps: expected an integer ≥ 1 or 'depth', got '0'")
    }

    func testDuplicateJobID() {
        let e = error(entry("{arch: [4, 24, 4], lr: 0.05, batch_size: 8, epochs: 15, seeds: [9]}"))
        XCTAssertEqual(e?.field, "architectures[1]")
        XCTAssertEqual(
            e?.description,
            "sweep.yaml: architectures[1]: duplicate job id 'xor-pairs/4-24-4-lr0.05-b8-e15' "
                + "for task 'xor-pairs' (first made by architectures[0]); two jobs need a different task, "
                + "architecture, lr, batch_size or epochs")
        // Across groups.
        XCTAssertEqual(
            error(
                """
                groups:
                  - tasks: [and-or]
                    architectures: [{arch: [6, 24, 3], lr: 0.05, batch_size: 32, epochs: 15}]
                  - tasks: [xor-pairs, and-or]
                    architectures: [{arch: [6, 24, 3], lr: 0.05, batch_size: 32, epochs: 15}]
                """)?.description.hasPrefix("sweep.yaml: groups[1].architectures[0]: duplicate job id 'and-or/6-24-3-lr0.05-b32-e15'"),
            true)
        XCTAssertEqual(
            error(
                """
                tasks: [xor-pairs, xor-pairs]
                architectures: [[4, 24, 4]]
                lr: 0.1
                batch_size: 8
                epochs: 1
                """)?.description, "sweep.yaml: tasks[1]: duplicate task 'xor-pairs'")
    }

    func testNotYAMLAndWrongShapes() {
        let e = error("tasks: [xor-pairs\narchitectures: {")
        XCTAssertEqual(e?.field, "")
        XCTAssertTrue(e?.description.hasPrefix("sweep.yaml: not valid YAML: ") ?? false, "\(String(describing: e))")
        XCTAssertTrue(e?.description.contains("line ") ?? false, "\(String(describing: e))")
        XCTAssertEqual(error("key: value: other")?.description.hasPrefix("sweep.yaml: not valid YAML: "), true)
        XCTAssertEqual(
            error("")?.description,
            "sweep.yaml: the manifest is empty; expected a mapping with 'tasks' and 'architectures', or 'groups'")
        XCTAssertEqual(
            error("- xor-pairs\n- and-or")?.description,
            "sweep.yaml: expected a mapping with 'tasks' and 'architectures', or 'groups', got a list")
        XCTAssertEqual(
            error("tasks: [xor-pairs]")?.description,
            "sweep.yaml: architectures: missing; 'tasks' needs an 'architectures' list beside it")
        XCTAssertEqual(error("name: x")?.description, "sweep.yaml: expected 'tasks' and 'architectures', or 'groups'")
        XCTAssertEqual(
            error("tasks: []\narchitectures: [[4, 24, 4]]")?.description,
            "sweep.yaml: tasks: expected a non-empty list, got []")
        XCTAssertEqual(
            error("tasks: ['']\narchitectures: [[4, 24, 4]]")?.description,
            "sweep.yaml: tasks[0]: expected a task name or task file path, got ''")
        XCTAssertEqual(error("lr: 0.1\nlr: 0.2\n" + entry("[4, 36, 4]"))?.description, "sweep.yaml: lr: given twice")
        XCTAssertEqual(error("groups: [{tasks: [xor-pairs]}]")?.description, "sweep.yaml: groups[0].architectures: missing")
        XCTAssertEqual(error(entry("fast"))?.description.hasPrefix("sweep.yaml: architectures[1]: expected a mapping like"), true)
    }

    /// `chains`: [seed, P_u, P_e] triples, distinct, never beside (or under) seeds / unit_steps / edge_steps.
    func testChains() throws {
        let m = try SweepManifest.parse(
            yaml: entry("{arch: [4, 36, 4], lr: 0.1, batch_size: 8, epochs: 15, chains: [[5, 40, 1.5], [1, 70, 2.5], [5, 40, 2.5]]}"), name: "m")
        let j = m.jobs[1]
        XCTAssertEqual(j.chains?.map(\.text), ["5:40:1.5", "1:70:2.5", "5:40:2.5"])
        XCTAssertEqual([j.seeds, j.unitSteps.map { UInt64($0) }, j.edgeSteps.map { UInt64($0 * 10) }], [[5, 1], [40, 70], [15, 25]])
        XCTAssertNil(m.jobs[0].chains)
        XCTAssertEqual(m.runCount, 4 + 2)
        // Lower levels may replace chains with their own chains.
        let nested = try SweepManifest.parse(
            yaml: "chains: [[0, 10, 1]]\ntasks: [xor-pairs]\narchitectures:\n  - {arch: [4, 8, 4], lr: 0.1, batch_size: 8, epochs: 1, chains: [[2, 20, 2]]}\n",
            name: "m")
        XCTAssertEqual(nested.jobs[0].chains, [Chain(seed: 2, unitStep: 20, edgeStep: 2)])
        let bad: [(String, String)] = [
            ("chains: [[0, 10]]", "architectures[1].chains[0]: expected [seed, P_u, P_e], e.g. [0, 10, 0.5], got a list"),
            ("chains: [[-1, 10, 1]]", "architectures[1].chains[0][0]: expected an integer seed ≥ 0, got '-1'"),
            ("chains: [[0, 100, 1]]", "architectures[1].chains[0][1]: expected a percentage in (0, 100), got '100'"),
            ("chains: [[0, 10, 1], [0, 10, 1.0]]", "architectures[1].chains[1]: duplicate chain 0:10:1"),
            ("chains: []", "architectures[1].chains: expected a non-empty list, got []"),
            ("chains: [[0, 10, 1]], seeds: [1]", "architectures[1].seeds: cannot be given with chains, which set every seed, unit step and edge step"),
        ]
        for (field, message) in bad {
            let e = error(entry("{arch: [4, 36, 4], lr: 0.1, batch_size: 8, epochs: 15, \(field)}"))
            XCTAssertEqual(e?.description, "sweep.yaml: " + message, field)
        }
        let under = error("chains: [[0, 10, 1]]\ntasks: [xor-pairs]\narchitectures:\n  - {arch: [4, 8, 4], lr: 0.1, batch_size: 8, epochs: 1, edge_steps: [2]}\n")
        XCTAssertEqual(under?.description, "sweep.yaml: architectures[0].edge_steps: cannot refine chains set above; give chains here instead")
    }

    func testLoadErrors() {
        XCTAssertThrowsError(try SweepManifests.load("/nonexistent/sweep.yaml")) { e in
            XCTAssertEqual(
                "\(e)",
                "/nonexistent/sweep.yaml: no such file, and not a built-in manifest "
                    + "(exemplar, reuse, overlap, hierarchy, mnist)")
        }
        XCTAssertThrowsError(try SweepManifests.builtin("fashion")) { e in
            XCTAssertEqual("\(e)", "fashion: no built-in manifest of that name; the built-ins are exemplar, reuse, overlap, hierarchy, mnist")
        }
        XCTAssertThrowsError(try SweepManifests.load(FileManager.default.temporaryDirectory.path)) { e in
            XCTAssertTrue("\(e)".hasSuffix(": is a directory; expected a YAML manifest file"))
        }
    }
}
