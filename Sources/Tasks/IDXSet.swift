// IDXSet: the four files of an MNIST-format data directory (`--data DIR`).
import Foundation

/// The four standard files of MNIST (and Fashion-MNIST, KMNIST, …): training and test images and labels.
public struct IDXSet: Equatable, Sendable {
    /// The standard base names; each may also be stored with `.gz`.
    public static let trainImagesName = "train-images-idx3-ubyte"
    public static let trainLabelsName = "train-labels-idx1-ubyte"
    public static let testImagesName = "t10k-images-idx3-ubyte"
    public static let testLabelsName = "t10k-labels-idx1-ubyte"
    public static let standardNames = [trainImagesName, trainLabelsName, testImagesName, testLabelsName]

    /// Where the four files of a directory are.
    public struct Files: Equatable, Sendable {
        public let trainImages: String
        public let trainLabels: String
        public let testImages: String
        public let testLabels: String

        public init(trainImages: String, trainLabels: String, testImages: String, testLabels: String) {
            self.trainImages = trainImages
            self.trainLabels = trainLabels
            self.testImages = testImages
            self.testLabels = testLabels
        }

        /// The bare standard names (for errors about data that came from no directory).
        public static let standard = Files(
            trainImages: IDXSet.trainImagesName, trainLabels: IDXSet.trainLabelsName,
            testImages: IDXSet.testImagesName, testLabels: IDXSet.testLabelsName)
    }

    public let trainImages: IDXImages
    public let trainLabels: [UInt8]
    public let testImages: IDXImages
    public let testLabels: [UInt8]

    /// Checks that each image set has as many labels as images and that both splits have one image size.
    /// `files` names the files in errors (defaults: the standard names).
    /// - Throws: `IDXError.countMismatch` or `.badDimensions`.
    public init(
        trainImages: IDXImages, trainLabels: [UInt8], testImages: IDXImages, testLabels: [UInt8],
        files: Files = .standard
    ) throws {
        try IDXSet.checkPair(trainImages, trainLabels, images: files.trainImages, labels: files.trainLabels)
        try IDXSet.checkPair(testImages, testLabels, images: files.testImages, labels: files.testLabels)
        guard trainImages.rows == testImages.rows && trainImages.columns == testImages.columns else {
            throw IDXError(
                .badDimensions, file: files.testImages,
                "bad dimensions: test images are \(testImages.rows)×\(testImages.columns) but the training images in \(files.trainImages) are \(trainImages.rows)×\(trainImages.columns)"
            )
        }
        self.trainImages = trainImages
        self.trainLabels = trainLabels
        self.testImages = testImages
        self.testLabels = testLabels
    }

    /// Finds the four files in `directory` and reads them (28×28 images, labels 0…9).
    /// - Throws: `IDXError`: `.missingFiles` listing the expected names and what the directory holds,
    ///   or the first problem of a file (naming it), or a count mismatch naming both files of a pair.
    public static func load(directory: String) throws -> IDXSet {
        let f = try locate(directory: directory)
        return try IDXSet(
            trainImages: try IDX.readImages(path: f.trainImages), trainLabels: try IDX.readLabels(path: f.trainLabels),
            testImages: try IDX.readImages(path: f.testImages), testLabels: try IDX.readLabels(path: f.testLabels),
            files: f)
    }

    /// The paths of the four standard files in `directory`, each `NAME` or `NAME.gz` (the plain file
    /// when both exist).
    /// - Throws: `IDXError.missingFiles` naming the missing ones, every expected name and the files found.
    public static func locate(directory: String) throws -> Files {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) else {
            throw IDXError(.missingFiles, file: directory, "no such directory; expected one holding \(expectedText)")
        }
        guard isDirectory.boolValue else {
            throw IDXError(.missingFiles, file: directory, "not a directory; expected one holding \(expectedText)")
        }
        let present: [String]
        do {
            present = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        } catch {
            throw IDXError(.unreadable, file: directory, "cannot list the directory: \(IDX.reason(error))")
        }
        let names = Set(present)
        var paths: [String] = []
        var missing: [String] = []
        for base in standardNames {
            if names.contains(base) {
                paths.append((directory as NSString).appendingPathComponent(base))
            } else if names.contains(base + ".gz") {
                paths.append((directory as NSString).appendingPathComponent(base + ".gz"))
            } else {
                missing.append(base + "[.gz]")
            }
        }
        guard missing.isEmpty else {
            let shown = present.prefix(20).joined(separator: ", ") + (present.count > 20 ? ", … (\(present.count) in all)" : "")
            throw IDXError(
                .missingFiles, file: directory,
                "missing \(missing.joined(separator: ", ")); expected \(expectedText); found "
                    + (present.isEmpty ? "an empty directory" : shown))
        }
        return Files(trainImages: paths[0], trainLabels: paths[1], testImages: paths[2], testLabels: paths[3])
    }

    private static var expectedText: String {
        standardNames.joined(separator: ", ") + " (each optionally .gz)"
    }

    private static func checkPair(_ images: IDXImages, _ labels: [UInt8], images imagesFile: String, labels labelsFile: String) throws {
        guard images.count == labels.count else {
            throw IDXError(
                .countMismatch, file: labelsFile,
                "count mismatch: \(labels.count) labels but \(imagesFile) has \(images.count) images")
        }
    }
}
