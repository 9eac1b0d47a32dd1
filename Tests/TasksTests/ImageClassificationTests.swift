import SculptCore
import Tasks
import XCTest

/// The 10-class tasks `mnist` and `fashion` (Sources/Tasks/ImageClassification.swift).
final class ImageClassificationTests: XCTestCase {
    func testSplitsInputsAndOneHotTargets() throws {
        let train = IDXWriter.synthetic(count: 50, seed: 3, stream: 0), test = IDXWriter.synthetic(count: 20, seed: 3, stream: 1)
        let set = try IDXSet(trainImages: train.images, trainLabels: train.labels, testImages: test.images, testLabels: test.labels)
        let d = try ImageClassification.build(name: "fashion", images: set, validationImages: 12)
        XCTAssertEqual(d.name, "fashion")
        XCTAssertEqual([d.train.count, d.validation.count, d.test.count], [38, 12, 20])
        for ds in [d.train, d.validation, d.test] {
            XCTAssertEqual(ds.inputWidth, 784)
            XCTAssertEqual(ds.outputWidth, 10)
        }
        // Validation row 0 is training image 38 (the LAST 12 images); test row 5 is test image 5.
        XCTAssertEqual(Array(d.validation.inputs[0..<784]), train.images.pixels[38 * 784..<39 * 784].map { Float($0) / 255 })
        XCTAssertEqual(Array(d.validation.targets[0..<10]), (0..<10).map { $0 == Int(train.labels[38]) ? 1 : 0 })
        XCTAssertEqual(Array(d.test.targets[50..<60]), (0..<10).map { $0 == Int(test.labels[5]) ? 1 : 0 })
        XCTAssertEqual(Array(d.train.inputs[784..<1568]), train.images.pixels[784..<1568].map { Float($0) / 255 })
        XCTAssert(d.train.inputs.allSatisfy { $0 >= 0 && $0 <= 1 })
        XCTAssertTrue(ImageClassification.isTask("mnist") && ImageClassification.isTask("fashion") && !ImageClassification.isTask("mnist-pairs"))
    }

    func testBadInputsAreRejected() throws {
        let train = IDXWriter.synthetic(count: 10, seed: 3, stream: 0)
        let set = try IDXSet(trainImages: train.images, trainLabels: train.labels, testImages: train.images, testLabels: train.labels)
        XCTAssertThrowsError(try ImageClassification.build(name: "mnist", images: set)) {
            XCTAssert("\($0)".contains("validation images must be between 1 and 9"), "\($0)")
        }
        // No training image at all: said so, not "between 1 and -1".
        let none = IDXImages(count: 0, rows: 28, columns: 28, pixels: [])
        let empty = try IDXSet(trainImages: none, trainLabels: [], testImages: train.images, testLabels: train.labels)
        XCTAssertThrowsError(try ImageClassification.build(name: "mnist", images: empty)) {
            XCTAssert("\($0)".contains("the training files hold 0 images; mnist needs at least 2"), "\($0)")
        }
        let bad = try IDXSet(trainImages: train.images, trainLabels: train.labels.map { $0 == 3 ? 12 : $0 }, testImages: train.images, testLabels: train.labels)
        XCTAssertThrowsError(try ImageClassification.build(name: "mnist", images: bad, validationImages: 2)) {
            XCTAssert("\($0)".contains("label 12"), "\($0)")
        }
    }
}
