// IDXWriter: writes IDX files, and small synthetic "digit-like" data directories for tests.
import Foundation
import SculptCore

/// Writes MNIST-format IDX files, plain or gzipped.
public enum IDXWriter {
    /// Writes `images` to `path` (gzipped when `gzip`).
    public static func write(_ images: IDXImages, to path: String, gzip: Bool = false) throws {
        try write(bytes: IDX.encode(images), to: path, gzip: gzip)
    }

    /// Writes `labels` to `path` (gzipped when `gzip`).
    public static func write(labels: [UInt8], to path: String, gzip: Bool = false) throws {
        try write(bytes: IDX.encode(labels: labels), to: path, gzip: gzip)
    }

    /// Writes raw `bytes` (an encoded IDX file, or a deliberately broken one) to `path`, gzipped when `gzip`.
    public static func write(bytes: [UInt8], to path: String, gzip: Bool) throws {
        try Data(gzip ? Gzip.compress(bytes) : bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    /// `count` synthetic 28×28 "digits": image `i` has label `labels[i]`; class `d` is a fixed pattern
    /// (see `syntheticPattern`) at intensity 160…255, over background noise 0…47, all drawn from
    /// `PhiloxStream(seed:, purpose: .shuffle, stream: stream)`. Labels are `i mod 10`, shuffled, so
    /// every class has `count/10` (±1) images.
    public static func synthetic(count: Int, seed: UInt64, stream: UInt64 = 0) -> (images: IDXImages, labels: [UInt8]) {
        var rng = PhiloxStream(seed: seed, purpose: .shuffle, stream: 0x5359_4E00_0000_0000 | stream)
        var labels = (0..<count).map { UInt8($0 % 10) }
        rng.fisherYates(&labels)
        let side = IDX.side
        var pixels = [UInt8](repeating: 0, count: count * side * side)
        let patterns = (0..<10).map(syntheticPattern)
        for i in 0..<count {
            let p = patterns[Int(labels[i])]
            for k in 0..<(side * side) {
                let u = rng.nextUInt32()
                pixels[i * side * side + k] = p[k] ? UInt8(160 + u % 96) : UInt8(u % 48)
            }
        }
        return (IDXImages(count: count, rows: side, columns: side, pixels: pixels), labels)
    }

    /// The on-pixels of synthetic class `digit` (0…9), row-major 28×28: a horizontal bar (rows
    /// 2+2d, 3+2d, columns 4–23) and a vertical bar (columns 4+2d, 5+2d, rows 4–23), so every class
    /// differs from every other.
    public static func syntheticPattern(_ digit: Int) -> [Bool] {
        precondition((0..<10).contains(digit), "digit \(digit) outside 0…9")
        let side = IDX.side
        var on = [Bool](repeating: false, count: side * side)
        for r in 0..<side {
            for c in 0..<side {
                let hBar = (r == 2 + 2 * digit || r == 3 + 2 * digit) && (4..<24).contains(c)
                let vBar = (c == 4 + 2 * digit || c == 5 + 2 * digit) && (4..<24).contains(r)
                on[r * side + c] = hBar || vBar
            }
        }
        return on
    }

    /// Writes a fake `--data` directory: the four standard files (with `.gz` when `gzip`) holding
    /// `trainCount` and `testCount` synthetic digits (`synthetic`, streams 0 and 1 of `seed`).
    /// Creates `directory` when needed.
    /// - Returns: the paths written.
    @discardableResult
    public static func writeSynthetic(
        directory: String, trainCount: Int = 600, testCount: Int = 200,
        seed: UInt64 = 0, gzip: Bool = false
    ) throws -> IDXSet.Files {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let ext = gzip ? ".gz" : ""
        func path(_ name: String) -> String { (directory as NSString).appendingPathComponent(name + ext) }
        let train = synthetic(count: trainCount, seed: seed, stream: 0)
        let test = synthetic(count: testCount, seed: seed, stream: 1)
        let files = IDXSet.Files(
            trainImages: path(IDXSet.trainImagesName), trainLabels: path(IDXSet.trainLabelsName),
            testImages: path(IDXSet.testImagesName), testLabels: path(IDXSet.testLabelsName))
        try write(train.images, to: files.trainImages, gzip: gzip)
        try write(labels: train.labels, to: files.trainLabels, gzip: gzip)
        try write(test.images, to: files.testImages, gzip: gzip)
        try write(labels: test.labels, to: files.testLabels, gzip: gzip)
        return files
    }
}
