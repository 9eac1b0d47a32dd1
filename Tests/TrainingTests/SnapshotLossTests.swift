import OpenCLBackend
import ReferenceBackend
import SculptCore
import TestSupport
import Training
import XCTest

/// `SnapshotLoss.reference` reproduces the reference implementation's best-epoch choice: with one
/// validation batch (batch size ≥ rows) its loss is infinite, so the latest epoch of the best accuracy
/// is kept; with two or more batches it orders epochs as the mean does.
final class SnapshotLossTests: XCTestCase {
    func testRuleScale() {
        XCTAssertEqual(SnapshotLoss.mean.ruleScale(validationRows: 16, batchSize: 16), 1)
        XCTAssertEqual(SnapshotLoss.reference.ruleScale(validationRows: 16, batchSize: 16), .infinity)
        XCTAssertEqual(SnapshotLoss.reference.ruleScale(validationRows: 16, batchSize: 32), .infinity)
        XCTAssertEqual(SnapshotLoss.reference.ruleScale(validationRows: 16, batchSize: 8), 2)
        XCTAssertEqual(SnapshotLoss.reference.ruleScale(validationRows: 64, batchSize: 16), 4.0 / 3)
        XCTAssertEqual(SnapshotRule.ruleLoss(0, scale: .infinity), .infinity, "a zero loss is not NaN")
    }

    /// xor-pairs, 16 rows: batch 16 is one validation batch. Every backend and training path keeps the
    /// last epoch of the best accuracy, and holds that epoch's network (equal to training only that
    /// many epochs); the mean rule keeps the lowest-loss epoch of that accuracy.
    func testOneBatchKeepsTheLatestBestEpoch() throws {
        let arch = try Architecture([4, 24, 4])
        // The paper's learning rate for these networks is 0.05–0.1: a loss that moves between epochs of
        // equal accuracy, where the two rules part.
        let models = (0..<8).map { ModelSpec(seed: UInt64($0), learningRate: 0.1) }
        var backends: [(String, () throws -> any ComputeBackend)] = [("reference", { ReferenceBackend() })]
        backends.append(("opencl fused", { try openCLBackend() }))
        backends.append(
            (
                "opencl per layer",
                {
                    let b = try openCLBackend(); b.fusedLayout = nil; return b
                }
            ))
        var sawDifference = false
        for (name, make) in backends {
            func train<B: ComputeBackend>(_ b: B, epochs: Int, rule: SnapshotLoss) throws -> ([TrainingResult], [[Float]]) {
                let opts = TrainingOptions(epochs: epochs, batchSize: 16, snapshotLoss: rule)
                let pop = try Population(backend: b, arch: arch, data: xorPairsData(), options: opts, models: models)
                let r = try pop.train(active: models.map { _ in true }).map { $0! }
                return (r, try (0..<models.count).map { try pop.weights(of: $0) })
            }
            func check<B: ComputeBackend>(_ b: B) throws {
                let (ref, weights) = try train(b, epochs: 40, rule: .reference)
                let (mean, _) = try train(b, epochs: 40, rule: .mean)
                for p in 0..<models.count {
                    let acc = ref[p].epochAccuracy, best = acc.max()!
                    XCTAssertEqual(ref[p].bestEpoch, acc.lastIndex(of: best)! + 1, "\(name) model \(p): latest epoch of the best accuracy")
                    XCTAssertEqual(ref[p].loss, ref[p].epochLoss[ref[p].bestEpoch - 1], "\(name) model \(p): reports that epoch's mean loss")
                    // The mean rule: among epochs of the best accuracy, the lowest loss (the latest on ties).
                    let candidates = acc.indices.filter { acc[$0] == best }
                    let lowest = candidates.min { (mean[p].epochLoss[$0], -$0) < (mean[p].epochLoss[$1], -$1) }!
                    XCTAssertEqual(mean[p].bestEpoch, lowest + 1, "\(name) model \(p): mean rule")
                    if ref[p].bestEpoch != mean[p].bestEpoch { sawDifference = true }
                }
                // The held network is the chosen epoch's: retrain model 0 for exactly that many epochs.
                let (_, direct) = try train(b, epochs: ref[0].bestEpoch, rule: .reference)
                XCTAssertEqual(weights[0], direct[0], "\(name): model 0 holds epoch \(ref[0].bestEpoch)'s network")
            }
            try check(try make())
        }
        XCTAssert(sawDifference, "the two rules chose different epochs somewhere (else this test shows nothing)")
    }

    /// With two validation batches (batch 8 of 16 rows) the reference's loss is twice the mean: the
    /// same epochs are chosen.
    func testTwoBatchesChooseAsTheMean() throws {
        let arch = try Architecture([4, 24, 4])
        let models = (0..<4).map { ModelSpec(seed: UInt64($0), learningRate: 0.02) }
        let b = try openCLBackend()
        func run(_ rule: SnapshotLoss) throws -> [TrainingResult] {
            let pop = try Population(
                backend: b, arch: arch, data: xorPairsData(), options: TrainingOptions(epochs: 30, batchSize: 8, snapshotLoss: rule), models: models)
            return try pop.train(active: models.map { _ in true }).map { $0! }
        }
        XCTAssertEqual(try run(.reference), try run(.mean))
    }

    /// The saturating BCE gradient is refused on a softmax task, where it would do nothing.
    func testProbabilitiesGradientNeedsBCE() {
        var o = TrainingOptions(epochs: 1, batchSize: 4, loss: .softmaxCrossEntropy, bceGradient: .probabilities)
        XCTAssertThrowsError(try o.validate(dataRows: 16)) { XCTAssert("\($0)".contains("applies to BCE tasks"), "\($0)") }
        o.bceGradient = .logits
        XCTAssertNoThrow(try o.validate(dataRows: 16))
    }
}
