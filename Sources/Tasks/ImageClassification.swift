// ImageClassification: the plain 10-class tasks `mnist` and `fashion` (Filan et al.; docs/gradual-pruning.md).
import SculptCore

/// The 10-class image classification tasks of *Pruned Neural Networks are Surprisingly Modular*:
/// every 28×28 image is one row of 784 inputs (bytes ÷ 255, row-major) with 10 one-hot outputs.
/// `mnist` and `fashion` are the same construction; the name records which files `--data` held.
///
/// Splits: training = the first `n − validationImages` training images, validation = the LAST
/// `validationImages` training images (default 5,000, the Keras-style hold-out), test = every test
/// image. No image is in two splits; the test split is reported, never used for decisions.
public enum ImageClassification {
    /// The task names.
    public static let names = ["mnist", "fashion"]
    public static let classCount = 10
    public static let inputCount = IDX.side * IDX.side
    /// Validation images held out from the end of the training images by default.
    public static let defaultValidationImages = 5_000

    /// Whether `name` is one of these tasks.
    public static func isTask(_ name: String) -> Bool { names.contains(name) }

    /// The three splits of `images`.
    /// - Throws: `ImageClassificationError` for images that are not 28×28, a label above 9, or a
    ///   validation size that leaves no training image.
    public static func build(name: String, images: IDXSet, validationImages: Int = defaultValidationImages) throws -> ImageClassificationData {
        guard images.trainImages.rows == IDX.side && images.trainImages.columns == IDX.side else {
            throw ImageClassificationError("\(name) needs 28×28 images, got \(images.trainImages.rows)×\(images.trainImages.columns)")
        }
        let n = images.trainImages.count
        guard n >= 2 else {
            throw ImageClassificationError("the training files hold \(n) image\(n == 1 ? "" : "s"); \(name) needs at least 2 (one to train on, one to validate)")
        }
        guard validationImages >= 1, validationImages < n else {
            throw ImageClassificationError("validation images must be between 1 and \(n - 1) (the training files hold \(n) images), got \(validationImages)")
        }
        guard images.testImages.count >= 1 else { throw ImageClassificationError("the test files hold no image") }
        let train = try dataset(images.trainImages, images.trainLabels, 0..<(n - validationImages))
        let validation = try dataset(images.trainImages, images.trainLabels, (n - validationImages)..<n)
        let test = try dataset(images.testImages, images.testLabels, 0..<images.testImages.count)
        return ImageClassificationData(name: name, train: train, validation: validation, test: test)
    }

    /// Rows `range` of `images` as inputs ÷ 255 and one-hot targets.
    static func dataset(_ images: IDXImages, _ labels: [UInt8], _ range: Range<Int>) throws -> Dataset {
        let size = images.imageSize
        var x = [Float](repeating: 0, count: range.count * size)
        var y = [Float](repeating: 0, count: range.count * classCount)
        for (r, i) in range.enumerated() {
            guard Int(labels[i]) < classCount else {
                throw ImageClassificationError("image \(i) has label \(labels[i]); the tasks need labels 0…9")
            }
            for k in 0..<size { x[r * size + k] = Float(images.pixels[i * size + k]) / 255 }
            y[r * classCount + Int(labels[i])] = 1
        }
        return Dataset(inputs: x, targets: y, inputWidth: size, outputWidth: classCount)
    }
}

/// The three splits of an image classification task.
public struct ImageClassificationData: Sendable {
    public let name: String
    public let train: Dataset
    /// The last training images: what model selection and acceptance may see.
    public let validation: Dataset
    /// The test images: reported only.
    public let test: Dataset
}

public struct ImageClassificationError: Error, CustomStringConvertible, Equatable, Sendable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
