// `--center-inputs`: the training split's column means, subtracted from every split.
import SculptCore
import XCTest

final class CenteringTests: XCTestCase {
    func testTrainingMeansAreSubtractedFromEverySplit() {
        // 3 rows × 2 columns: means 2 and 20.
        let train = Dataset(inputs: [1, 10, 2, 20, 3, 30], targets: [0, 1, 0], inputWidth: 2, outputWidth: 1)
        let held = Dataset(inputs: [5, 5], targets: [1], inputWidth: 2, outputWidth: 1)
        XCTAssertEqual(train.inputMeans(), [2, 20])
        let c = Dataset.centeredByTraining(train, [held, nil])
        XCTAssertEqual(c.train.inputs, [-1, -10, 0, 0, 1, 10])
        XCTAssertEqual(c.train.inputMeans(), [0, 0])
        XCTAssertEqual(c.others[0]?.inputs, [3, -15], "held-out rows get the training shift, not their own")
        XCTAssertNil(c.others[1])
        XCTAssertEqual(c.train.targets, train.targets)
        XCTAssertEqual(c.others[0]?.targets, [1])
    }

    func testMeansOfAWideRandomSplitAreAccumulatedInDouble() {
        // 1568 columns × 300 rows of pixel-like values (a fixed hash of the index): the centred columns average to 0 within float error.
        let x: [Float] = (0..<(300 * 1568)).map { (k: Int) -> Float in
            let h: Int = (k &* 2_654_435_761) >> 7
            return Float(h & 255) / 255
        }
        let d = Dataset(inputs: x, targets: [Float](repeating: 0, count: 300), inputWidth: 1568, outputWidth: 1)
        let m = d.inputMeans()
        for i in [0, 777, 1567] {
            var direct = 0.0
            for r in 0..<300 { direct += Double(x[r * 1568 + i]) }
            direct /= 300
            XCTAssertEqual(Double(m[i]), direct, accuracy: 1e-6)
        }
        XCTAssert(d.subtractingInputs(m).inputMeans().allSatisfy { abs($0) < 1e-5 })
    }
}
