import Analysis
// The built-in manifests against docs/method.md §8 (exemplar tables, stated ranges) and docs/method.md §8 (job counts),
// with rows spot-checked against the reference's shell/ scripts.
import Foundation
@testable import Sweeps
import XCTest

final class BuiltinManifestTests: XCTestCase {
    private func job(
        _ m: SweepManifest, _ task: String, _ arch: [Int], file: StaticString = #filePath,
        line: UInt = #line
    ) -> SweepJob? {
        let found = m.jobs.filter { $0.task == task && $0.arch == arch }
        XCTAssertEqual(found.count, 1, "\(task) \(arch)", file: file, line: line)
        return found.first
    }

    /// (lr, batch, epochs) of one row.
    private func assertRow(
        _ m: SweepManifest, _ task: String, _ arch: [Int], _ lr: Double, _ batch: Int, _ epochs: Int,
        file: StaticString = #filePath, line: UInt = #line
    ) {
        guard let j = job(m, task, arch, file: file, line: line) else { return }
        XCTAssertEqual(j.learningRate, lr, "\(task) \(arch) lr", file: file, line: line)
        XCTAssertEqual(j.batchSize, batch, "\(task) \(arch) batch", file: file, line: line)
        XCTAssertEqual(j.epochs, epochs, "\(task) \(arch) epochs", file: file, line: line)
    }

    /// Hidden widths × hidden-layer counts, as [[w, w, …]] per job of one task.
    private func hiddenShapes(_ m: SweepManifest, _ task: String) -> [[Int]] {
        m.jobs.filter { $0.task == task }.map { Array($0.arch.dropFirst().dropLast()) }
    }

    private func grid(widths: [Int], layers: ClosedRange<Int>) -> [[Int]] {
        layers.flatMap { h in widths.map { Array(repeating: $0, count: h) } }
    }

    func testNames() {
        XCTAssertEqual(SweepManifests.builtinNames, ["exemplar", "reuse", "overlap", "hierarchy", "mnist"])
    }

    /// Shared by all: seeds, the 14 + 5 steps, threshold 100, detection 0.9 / 0.2 with steps = depth,
    /// unique short ids, a source comment first, and load/yaml agree with builtin.
    /// The embedded YAML files are exactly the built-ins, so a new file cannot go unlisted.
    func testEmbeddedFilesAreTheBuiltins() {
        XCTAssertEqual(Set(EmbeddedManifests.sources.keys), Set(SweepManifests.builtinNames))
    }

    func testCommonSettingsAndUniqueIDs() throws {
        for name in SweepManifests.builtinNames where name != "mnist" {
            let m = try SweepManifests.builtin(name)
            XCTAssertEqual(m.name, name)
            XCTAssertFalse(m.jobs.isEmpty)
            for j in m.jobs {
                XCTAssertEqual(j.seeds, [0, 1, 2, 5], j.id)
                XCTAssertEqual(j.unitSteps, [70, 65, 60, 55, 50, 45, 40, 35, 30, 25, 20, 15, 10, 5], j.id)
                XCTAssertEqual(j.edgeSteps, [2.5, 2.0, 1.5, 1.0, 0.5], j.id)
                XCTAssertEqual(j.accuracyThreshold, 100, j.id)
                XCTAssertEqual(j.detection, DetectionOptions(mergeThreshold: 0.9, weakModularity: 0.2), j.id)
                XCTAssertEqual(j.resolvedFeatureSteps, j.hiddenLayers + 1, j.id)
                XCTAssertFalse(j.hyperparametersInID, j.id)
                XCTAssertTrue([0.1, 0.05].contains(j.learningRate), j.id)
            }
            XCTAssertEqual(Set(m.jobs.map(\.id)).count, m.jobs.count, name)
            let yaml = try SweepManifests.yaml(ofBuiltin: name)
            XCTAssertTrue(yaml.hasPrefix("# Source: "), name)
            XCTAssertEqual(try SweepManifest.parse(yaml: yaml, name: name), m)
            XCTAssertEqual(try SweepManifests.load(name), m)
        }
        XCTAssertEqual(
            Set(try SweepManifests.builtinNames.flatMap { try SweepManifests.builtin($0).jobs.map(\.id) }).count,
            40 + 36 + 225 + 60 + 21)
    }

    /// docs/method.md §8 exemplar tables: 4 tasks with 9 / 9 / 9 / 13 architectures.
    func testExemplar() throws {
        let m = try SweepManifests.builtin("exemplar")
        XCTAssertEqual(m.jobs.count, 40)
        var tasks: [String] = []
        for j in m.jobs where tasks.last != j.task { tasks.append(j.task) }
        XCTAssertEqual(tasks, ["xor-pairs", "non-modular", "and-or", "reuse-16"])
        XCTAssertEqual(tasks.map { t in m.jobs.filter { $0.task == t }.count }, [9, 9, 9, 13])
        for t in ["xor-pairs", "non-modular", "and-or"] {
            XCTAssertEqual(hiddenShapes(m, t), grid(widths: [24, 36, 48], layers: 1...3), t)
        }
        XCTAssertEqual(
            hiddenShapes(m, "reuse-16"),
            [
                [24], [36], [48], [8, 8], [12, 12], [16, 16], [20, 20], [24, 24], [36, 36], [48, 48],
                [24, 24, 24], [36, 36, 36], [48, 48, 48],
            ])
        XCTAssertEqual(m.jobs.filter { $0.task == "xor-pairs" }.map { $0.arch.first! } + [m.jobs[0].arch.last!], Array(repeating: 4, count: 10))
        XCTAssertTrue(m.jobs.filter { $0.task == "and-or" }.allSatisfy { $0.arch.first == 6 && $0.arch.last == 3 })
        XCTAssertTrue(m.jobs.filter { $0.task == "reuse-16" }.allSatisfy { $0.arch.first == 4 && $0.arch.last == 16 })
        // Rows of docs/method.md §8.
        assertRow(m, "reuse-16", [4, 8, 8, 16], 0.1, 16, 120)
        assertRow(m, "reuse-16", [4, 12, 12, 16], 0.1, 8, 60)
        assertRow(m, "reuse-16", [4, 48, 48, 48, 16], 0.1, 16, 30)
        assertRow(m, "reuse-16", [4, 24, 16], 0.1, 8, 40)
        assertRow(m, "and-or", [6, 24, 24, 3], 0.05, 32, 10)
        assertRow(m, "and-or", [6, 48, 48, 48, 3], 0.05, 32, 15)
        assertRow(m, "non-modular", [4, 24, 4], 0.1, 8, 40)
        assertRow(m, "non-modular", [4, 24, 24, 4], 0.05, 8, 30)
        assertRow(m, "non-modular", [4, 36, 4], 0.1, 8, 20)
        assertRow(m, "xor-pairs", [4, 24, 4], 0.05, 8, 15)
        assertRow(m, "xor-pairs", [4, 36, 36, 4], 0.05, 8, 10)
        assertRow(m, "xor-pairs", [4, 48, 48, 48, 4], 0.05, 8, 20)
        // xor-pairs and and-or use one lr everywhere.
        XCTAssertTrue(m.jobs.filter { ["xor-pairs", "and-or"].contains($0.task) }.allSatisfy { $0.learningRate == 0.05 })
    }

    /// reuse-U for U = 2, 4, 8, 12 (16 is in exemplar): 4 × 9 jobs, widths 24/36/48 × 1–3 hidden layers.
    func testReuse() throws {
        let m = try SweepManifests.builtin("reuse")
        XCTAssertEqual(m.jobs.count, 36)
        for u in [2, 4, 8, 12] {
            XCTAssertEqual(hiddenShapes(m, "reuse-\(u)"), grid(widths: [24, 36, 48], layers: 1...3))
            XCTAssertTrue(m.jobs.filter { $0.task == "reuse-\(u)" }.allSatisfy { $0.arch.first == 4 && $0.arch.last == u })
        }
        // docs/method.md §8: "lr 0.1 (some 0.05), batch 8 or 16, epochs 20–40".
        XCTAssertTrue(m.jobs.allSatisfy { [8, 16].contains($0.batchSize) && (20...40).contains($0.epochs) })
        XCTAssertGreaterThan(m.jobs.filter { $0.learningRate == 0.1 }.count, m.jobs.filter { $0.learningRate == 0.05 }.count)
        // Rows of shell/non_separable_increasing_use/use_K.sh.
        assertRow(m, "reuse-2", [4, 24, 24, 24, 2], 0.1, 16, 20)
        assertRow(m, "reuse-2", [4, 36, 36, 2], 0.05, 8, 30)
        assertRow(m, "reuse-4", [4, 48, 48, 48, 4], 0.05, 8, 40)
        assertRow(m, "reuse-4", [4, 36, 36, 4], 0.1, 16, 20)
        assertRow(m, "reuse-8", [4, 24, 24, 8], 0.1, 16, 30)
        assertRow(m, "reuse-8", [4, 36, 36, 36, 8], 0.1, 8, 40)
        assertRow(m, "reuse-12", [4, 36, 36, 36, 12], 0.1, 16, 30)
        assertRow(m, "reuse-12", [4, 48, 48, 12], 0.1, 8, 20)
    }

    /// overlap-O-U: 5 overlaps × 5 U × 9 architectures = 225 jobs.
    func testOverlap() throws {
        let m = try SweepManifests.builtin("overlap")
        XCTAssertEqual(m.jobs.count, 225)
        let inputs = [8, 7, 6, 5, 4]
        for o in 0...4 {
            for u in [2, 4, 8, 12, 16] {
                let t = "overlap-\(o)-\(u)"
                XCTAssertEqual(hiddenShapes(m, t), grid(widths: [24, 36, 48], layers: 1...3), t)
                XCTAssertTrue(m.jobs.filter { $0.task == t }.allSatisfy { $0.arch.first == inputs[o] && $0.arch.last == u }, t)
            }
        }
        // docs/method.md §8 ranges. Overlap 0: lr 0.1, batch 32, 15–20 epochs (1 hidden), 40–50 (2); lr 0.05, batch 32/64, 30–40 (3).
        for j in m.jobs where j.task.hasPrefix("overlap-0-") {
            switch j.hiddenLayers {
            case 1: XCTAssertTrue(j.learningRate == 0.1 && j.batchSize == 32 && (15...20).contains(j.epochs), j.id)
            case 2: XCTAssertTrue(j.learningRate == 0.1 && j.batchSize == 32 && (40...50).contains(j.epochs), j.id)
            default: XCTAssertTrue(j.learningRate == 0.05 && [32, 64].contains(j.batchSize) && (30...40).contains(j.epochs), j.id)
            }
        }
        // Overlaps 1–2: batch 16–64, 20–120 epochs; overlaps 3–4: batch 8–16, 15–60 epochs.
        for j in m.jobs where j.task.hasPrefix("overlap-1-") || j.task.hasPrefix("overlap-2-") {
            XCTAssertTrue((16...64).contains(j.batchSize) && (20...120).contains(j.epochs), j.id)
        }
        for j in m.jobs where j.task.hasPrefix("overlap-3-") || j.task.hasPrefix("overlap-4-") {
            XCTAssertTrue((8...16).contains(j.batchSize) && (15...60).contains(j.epochs), j.id)
        }
        // Rows of shell/input_overlap_exp/overlap_O_use_K.sh.
        assertRow(m, "overlap-0-2", [8, 24, 2], 0.1, 32, 20)
        assertRow(m, "overlap-0-8", [8, 48, 48, 48, 8], 0.05, 64, 30)
        assertRow(m, "overlap-1-4", [7, 24, 24, 4], 0.05, 16, 30)
        assertRow(m, "overlap-1-2", [7, 24, 24, 24, 2], 0.05, 16, 60)
        assertRow(m, "overlap-2-16", [6, 24, 24, 24, 16], 0.05, 32, 120)
        assertRow(m, "overlap-2-16", [6, 48, 48, 48, 16], 0.05, 64, 60)
        assertRow(m, "overlap-3-4", [5, 36, 4], 0.05, 8, 20)
        assertRow(m, "overlap-3-16", [5, 48, 16], 0.1, 8, 20)
        assertRow(m, "overlap-4-2", [4, 48, 2], 0.05, 8, 20)
        assertRow(m, "overlap-4-16", [4, 24, 24, 16], 0.1, 8, 15)
    }

    /// hierarchy-U for U = 2, 4, 8, 12, 16: 5 × 12 jobs, widths 36/48/60 × 1–4 hidden layers.
    func testHierarchy() throws {
        let m = try SweepManifests.builtin("hierarchy")
        XCTAssertEqual(m.jobs.count, 60)
        for u in [2, 4, 8, 12, 16] {
            XCTAssertEqual(hiddenShapes(m, "hierarchy-\(u)"), grid(widths: [36, 48, 60], layers: 1...4))
            XCTAssertTrue(m.jobs.filter { $0.task == "hierarchy-\(u)" }.allSatisfy { $0.arch.first == 8 && $0.arch.last == u })
        }
        // docs/method.md §8: lr 0.1 or 0.05, batch 16–128, epochs 15–80; 1 hidden layer uses lr 0.1, batch 32, 40 epochs.
        XCTAssertTrue(m.jobs.allSatisfy { (16...128).contains($0.batchSize) && (15...80).contains($0.epochs) })
        XCTAssertTrue(m.jobs.filter { $0.hiddenLayers == 1 }.allSatisfy { $0.learningRate == 0.1 && $0.batchSize == 32 && $0.epochs == 40 })
        // Rows of shell/increasing_hierarchical_levels/depth_D.sh.
        assertRow(m, "hierarchy-8", [8, 36, 36, 36, 8], 0.1, 128, 80)
        assertRow(m, "hierarchy-16", [8, 48, 48, 16], 0.05, 64, 15)
        assertRow(m, "hierarchy-12", [8, 48, 48, 12], 0.1, 32, 20)
        assertRow(m, "hierarchy-4", [8, 60, 60, 60, 60, 4], 0.05, 128, 40)
        assertRow(m, "hierarchy-4", [8, 48, 48, 48, 4], 0.1, 128, 40)
        assertRow(m, "hierarchy-2", [8, 60, 60, 2], 0.05, 32, 30)
        assertRow(m, "hierarchy-16", [8, 48, 48, 48, 16], 0.1, 32, 60)
    }

    /// The MNIST scripts: 9 mnist-pairs and 12 mnist-xor jobs, each exactly the four published chains
    /// (seeds 0, 1, 2, 5), lr 0.001, τ 0.6 / 0.3, the cached MNIST copy; rows spot-checked against
    /// shell/MNIST/classifying_2_digits.sh and hierarchical_task.sh.
    func testMnist() throws {
        let m = try SweepManifests.builtin("mnist")
        XCTAssertEqual(m.name, "mnist")
        XCTAssertEqual(hiddenShapes(m, "mnist-pairs"), grid(widths: [392, 784, 1568], layers: 2...4))
        XCTAssertEqual(hiddenShapes(m, "mnist-xor"), grid(widths: [392, 784, 1568], layers: 2...5))
        for j in m.jobs {
            XCTAssertEqual(j.learningRate, 0.001, j.id)
            XCTAssertEqual(j.chains?.map(\.seed), [0, 1, 2, 5], j.id)
            XCTAssertEqual(j.seeds, [0, 1, 2, 5], j.id)
            XCTAssertEqual(j.accuracyThreshold, j.task == "mnist-pairs" ? 98 : 93, j.id)
            XCTAssertEqual(j.detection, DetectionOptions(mergeThreshold: 0.6, weakModularity: 0.3), j.id)
            XCTAssertEqual(j.options.vision?.data, "mnist", j.id)
            XCTAssertEqual(j.arch.first, 1568, j.id)
            XCTAssertEqual(j.arch.last, j.task == "mnist-pairs" ? 20 : 3, j.id)
        }
        func chains(_ task: String, _ arch: [Int]) -> [[Double]]? {
            job(m, task, arch)?.chains?.map { [Double($0.seed), $0.unitStep, $0.edgeStep] }
        }
        assertRow(m, "mnist-pairs", [1568, 392, 392, 20], 0.001, 512, 40)
        XCTAssertEqual(chains("mnist-pairs", [1568, 392, 392, 20]), [[0, 10, 0.5], [1, 10, 2], [2, 45, 0.5], [5, 50, 0.5]])
        assertRow(m, "mnist-pairs", [1568, 392, 392, 392, 392, 20], 0.001, 1024, 40)
        XCTAssertEqual(chains("mnist-pairs", [1568, 392, 392, 392, 392, 20]), [[0, 50, 1.5], [1, 65, 1], [2, 30, 2], [5, 15, 2]])
        assertRow(m, "mnist-pairs", [1568, 1568, 1568, 20], 0.001, 256, 40)
        XCTAssertEqual(chains("mnist-pairs", [1568, 1568, 1568, 20]), [[0, 25, 2.5], [1, 25, 1.5], [2, 40, 0.5], [5, 65, 2.5]])
        assertRow(m, "mnist-xor", [1568, 392, 392, 3], 0.001, 512, 120)
        XCTAssertEqual(chains("mnist-xor", [1568, 392, 392, 3]), [[0, 55, 1], [1, 55, 2.5], [2, 60, 0.5], [5, 15, 2.5]])
        assertRow(m, "mnist-xor", [1568, 784, 784, 784, 3], 0.001, 256, 40)
        XCTAssertEqual(chains("mnist-xor", [1568, 784, 784, 784, 3]), [[0, 10, 1], [1, 60, 0.5], [2, 65, 0.5], [5, 65, 1.5]])
        assertRow(m, "mnist-xor", [1568, 392, 392, 392, 392, 392, 3], 0.001, 1024, 80)
        XCTAssertEqual(chains("mnist-xor", [1568, 392, 392, 392, 392, 392, 3]), [[0, 10, 2.5], [1, 60, 2], [2, 20, 1.5], [5, 45, 2]])
        assertRow(m, "mnist-xor", [1568, 1568, 1568, 1568, 1568, 1568, 3], 0.001, 1024, 40)
        XCTAssertEqual(chains("mnist-xor", [1568, 1568, 1568, 1568, 1568, 1568, 3]), [[0, 30, 0.5], [1, 65, 2.5], [2, 15, 1], [5, 60, 2]])
    }
}

/// `sweep --only`: the jobs of the named tasks, in manifest order, or an error naming the tasks there are.
final class OnlyTasksTests: XCTestCase {
    func testJobsOfTasks() throws {
        let m = try SweepManifests.builtin("exemplar")
        let kept = try m.jobs(ofTasks: ["and-or", "xor-pairs"])
        XCTAssertEqual(Set(kept.map(\.task)), ["and-or", "xor-pairs"])
        XCTAssertEqual(kept, m.jobs.filter { ["and-or", "xor-pairs"].contains($0.task) })
        XCTAssertThrowsError(try m.jobs(ofTasks: ["nope"])) { e in
            XCTAssertEqual("\(e)", "exemplar: --only nope: no job has that task (its tasks: xor-pairs, non-modular, and-or, reuse-16)")
        }
    }
}
