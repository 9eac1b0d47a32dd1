// The two-digit tasks (docs/method.md §1.4): canvas layout, targets, splits and their sources, determinism.
import Foundation
import SculptCore
import Tasks
import XCTest

final class VisionTaskTests: XCTestCase {
    /// 120 training images (pools: 0..<100 training, 100..<120 validation) and 40 test images, each
    /// pixel a function of (image, split) so a row can be traced back to its images.
    private func fakeSet() throws -> IDXSet {
        func imgs(_ n: Int, _ salt: Int) -> IDXImages {
            IDXImages(count: n, rows: 28, columns: 28, pixels: (0..<(n * 784)).map { UInt8(($0 * 31 + ($0 / 784) * 17 + salt) % 251) })
        }
        return try IDXSet(
            trainImages: imgs(120, 0), trainLabels: (0..<120).map { UInt8(($0 * 7) % 10) },
            testImages: imgs(40, 5), testLabels: (0..<40).map { UInt8(($0 * 3) % 10) })
    }

    func testKindsAndTargets() {
        XCTAssertEqual(VisionTaskKind(name: "mnist-pairs"), .pairs)
        XCTAssertEqual(VisionTaskKind(name: "[1568,2,3,3]"), .xor)
        XCTAssertNil(VisionTaskKind(name: "mnist"))
        XCTAssertEqual(VisionTaskKind.pairs.outputCount, 20)
        XCTAssertEqual(VisionTaskKind.xor.classCount, 8)
        let y = VisionTaskKind.pairs.target(left: 3, right: 7)
        XCTAssertEqual(y.indices.filter { y[$0] == 1 }, [3, 17])
        XCTAssertEqual(y.reduce(0, +), 2)
        // a XOR b as 3 bits, most significant first: 5 ^ 3 = 6 = 110, 7 ^ 0 = 111, 2 ^ 2 = 000, 1 ^ 0 = 001.
        XCTAssertEqual(VisionTaskKind.xor.target(left: 5, right: 3), [1, 1, 0])
        XCTAssertEqual(VisionTaskKind.xor.target(left: 7, right: 0), [1, 1, 1])
        XCTAssertEqual(VisionTaskKind.xor.target(left: 2, right: 2), [0, 0, 0])
        XCTAssertEqual(VisionTaskKind.xor.target(left: 1, right: 0), [0, 0, 1])
    }

    func testCanvasLayout() {
        let left = (0..<784).map { UInt8($0 % 200) }, right = (0..<784).map { UInt8(255 - $0 % 200) }
        let x = VisionTask.canvas(left: left[...], right: right[...])
        XCTAssertEqual(x.count, 1568)
        for r in 0..<28 {
            for c in 0..<28 {
                XCTAssertEqual(x[r * 56 + c], Float(left[r * 28 + c]) / 255)
                XCTAssertEqual(x[r * 56 + 28 + c], Float(right[r * 28 + c]) / 255)
            }
        }
        // Known positions: pixel (1, 2) of the left item is input 58; pixel (1, 2) of the right is 86;
        // the last right pixel (27, 27) is 1567.
        XCTAssertEqual(x[58], Float(left[30]) / 255)
        XCTAssertEqual(x[86], Float(right[30]) / 255)
        XCTAssertEqual(x[1567], Float(right[783]) / 255)
        XCTAssertEqual(VisionTask.leftInputs.count, 784)
        XCTAssertEqual(Array(VisionTask.leftInputs.prefix(30)), Array(0..<28) + [56, 57])
        XCTAssertEqual(Array(VisionTask.rightInputs.prefix(3)), [28, 29, 30])
        XCTAssertEqual(Set(VisionTask.leftInputs).union(VisionTask.rightInputs), Set(0..<1568))
    }

    func testPairsSplits() throws {
        let set = try fakeSet()
        let spec = VisionTaskSpec(kind: .pairs, trainPairs: 200, validationPairs: 50, testPairs: 30, seed: 4)
        let d = try VisionTask.build(spec, images: set)
        XCTAssertEqual(d.name, "mnist-pairs")
        XCTAssertEqual([d.train.count, d.validation.count, d.test.count], [200, 50, 30])
        XCTAssertEqual(d.train.inputWidth, 1568)
        XCTAssertEqual(d.train.outputWidth, 20)
        XCTAssertEqual(VisionTask.trainingPool(trainingImages: 120), 0..<100)
        XCTAssertEqual(VisionTask.validationPool(trainingImages: 60_000), 50_000..<60_000)
        // Sources: training from 0..<100, validation from 100..<120, so disjoint; test from the test images.
        let trainImgs = Set(d.trainSources.flatMap { [$0.left, $0.right] })
        let valImgs = Set(d.validationSources.flatMap { [$0.left, $0.right] })
        XCTAssertTrue(trainImgs.allSatisfy { $0 < 100 })
        XCTAssertTrue(valImgs.allSatisfy { $0 >= 100 && $0 < 120 })
        XCTAssertTrue(trainImgs.isDisjoint(with: valImgs))
        XCTAssertTrue(d.testSources.allSatisfy { $0.left < 40 && $0.right < 40 })
        // Balanced classes: 200 training rows = exactly 2 of each of the 100 classes.
        var counts = [Int](repeating: 0, count: 100)
        for p in d.trainSources { counts[p.leftLabel * 10 + p.rightLabel] += 1 }
        XCTAssertEqual(Set(counts), [2])
        // Every row: labels match the images, pixels come from the right images, targets are one-hot pairs.
        for (split, ds, src, imgs, labels) in [
            ("train", d.train, d.trainSources, set.trainImages, set.trainLabels),
            ("validation", d.validation, d.validationSources, set.trainImages, set.trainLabels),
            ("test", d.test, d.testSources, set.testImages, set.testLabels),
        ] {
            for (row, p) in src.enumerated() {
                XCTAssertEqual(Int(labels[p.left]), p.leftLabel, split)
                XCTAssertEqual(Int(labels[p.right]), p.rightLabel, split)
                let x = ds.inputs[(row * 1568)..<((row + 1) * 1568)]
                for (r, c) in [(0, 0), (5, 13), (27, 27), (14, 0)] {
                    XCTAssertEqual(x[row * 1568 + r * 56 + c], Float(imgs.pixel(p.left, r, c)) / 255, split)
                    XCTAssertEqual(x[row * 1568 + r * 56 + 28 + c], Float(imgs.pixel(p.right, r, c)) / 255, split)
                }
                XCTAssertEqual(Array(ds.targets[(row * 20)..<((row + 1) * 20)]), VisionTaskKind.pairs.target(left: p.leftLabel, right: p.rightLabel))
            }
        }
        // Full check of one row.
        let p = d.trainSources[7]
        let expected = VisionTask.canvas(
            left: set.trainImages.pixels[(p.left * 784)..<((p.left + 1) * 784)],
            right: set.trainImages.pixels[(p.right * 784)..<((p.right + 1) * 784)])
        XCTAssertEqual(Array(d.train.inputs[(7 * 1568)..<(8 * 1568)]), expected)
    }

    func testXorSplits() throws {
        let set = try fakeSet()
        let d = try VisionTask.build(VisionTaskSpec(kind: .xor, trainPairs: 128, validationPairs: 20, testPairs: 20, seed: 1), images: set)
        XCTAssertEqual(d.train.outputWidth, 3)
        for (ds, src) in [(d.train, d.trainSources), (d.validation, d.validationSources), (d.test, d.testSources)] {
            for (row, p) in src.enumerated() {
                XCTAssertLessThan(p.leftLabel, 8)
                XCTAssertLessThan(p.rightLabel, 8)
                let x = p.leftLabel ^ p.rightLabel
                XCTAssertEqual(Array(ds.targets[(row * 3)..<(row * 3 + 3)]), [Float(x >> 2 & 1), Float(x >> 1 & 1), Float(x & 1)])
            }
        }
        var counts = [Int](repeating: 0, count: 64)
        for p in d.trainSources { counts[p.leftLabel * 8 + p.rightLabel] += 1 }
        XCTAssertEqual(Set(counts), [2])
    }

    func testDeterministicBySeed() throws {
        let set = try fakeSet()
        let spec = VisionTaskSpec(kind: .pairs, trainPairs: 40, validationPairs: 10, testPairs: 10, seed: 11)
        let a = try VisionTask.build(spec, images: set), b = try VisionTask.build(spec, images: set)
        XCTAssertEqual(a.train, b.train)
        XCTAssertEqual(a.validation, b.validation)
        XCTAssertEqual(a.test, b.test)
        XCTAssertEqual(a.trainSources, b.trainSources)
        var other = spec
        other.seed = 12
        XCTAssertNotEqual(try VisionTask.build(other, images: set).trainSources, a.trainSources)
    }

    func testErrors() throws {
        // A validation pool without some digit (all training labels 0 except the first few).
        let imgs = IDXImages(count: 12, rows: 28, columns: 28, pixels: [UInt8](repeating: 0, count: 12 * 784))
        let set = try IDXSet(
            trainImages: imgs, trainLabels: (0..<12).map { UInt8($0 % 10) }, testImages: imgs,
            testLabels: (0..<12).map { UInt8($0 % 10) })
        XCTAssertThrowsError(try VisionTask.build(VisionTaskSpec(kind: .pairs, trainPairs: 1, validationPairs: 1, testPairs: 1), images: set)) {
            XCTAssertTrue("\($0)".contains("validation images (2 of them) hold no digit"), "\($0)")
        }
        XCTAssertThrowsError(try VisionTask.build(VisionTaskSpec(kind: .xor, trainPairs: -1), images: set))
    }

    func testFunctionGraphs() {
        let p = VisionTask.graph(.pairs)
        XCTAssertEqual(p.inputNames.count, 1568)
        XCTAssertEqual(p.inputGroups, [VisionTask.leftInputs, VisionTask.rightInputs])
        XCTAssertEqual(p.outputGroups, [Array(0..<10), Array(10..<20)])
        XCTAssertEqual(VisionTask.outputGroups(.pairs).rightOnly, Array(10..<20))
        let x = VisionTask.graph(.xor)
        XCTAssertEqual(x.inputGroups, [VisionTask.leftInputs, VisionTask.rightInputs])
        XCTAssertEqual(x.outputGroups, [[0], [1], [2]])
        XCTAssertEqual(x.levelCount, 2)
        XCTAssertEqual(x.consumers(of: 0), [2, 3, 4])
        XCTAssertEqual(x.outputsDepending(on: 1), [0, 1, 2])
        XCTAssertEqual(VisionTask.outputGroups(.xor).both, [0, 1, 2])
    }

    /// The synthetic writer feeds the whole path: directory → IDXSet → splits.
    func testSyntheticDirectoryEndToEnd() throws {
        let dir = NSTemporaryDirectory() + "sculpt-vision-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try IDXWriter.writeSynthetic(directory: dir, trainCount: 300, testCount: 100, seed: 2, gzip: true)
        let d = try VisionTask.build(
            VisionTaskSpec(kind: .xor, trainPairs: 64, validationPairs: 16, testPairs: 16, seed: 0),
            images: try IDXSet.load(directory: dir))
        XCTAssertEqual(d.train.count, 64)
        XCTAssertTrue(d.train.inputs.allSatisfy { $0 >= 0 && $0 <= 1 })
    }
}
