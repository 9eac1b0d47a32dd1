import Foundation
import SculptCore

/// How a vision task's rows are made from MNIST-format images; recorded in run files.
public struct VisionSettings: Codable, Sendable, Equatable {
    /// Folder with the four MNIST-format files.
    public var data: String? = nil
    /// `mnist`/`fashion`: validation = this many last training images.
    public var validationImages = ImageClassification.defaultValidationImages
    public var trainPairs = VisionTaskSpec.defaultTrainPairs
    public var validationPairs = VisionTaskSpec.defaultValidationPairs
    public var testPairs = VisionTaskSpec.defaultTestPairs
    /// Seed of the pair construction.
    public var dataSeed: UInt64 = 0
    /// Subtract the training split's mean of every input from every split.
    public var centerInputs = false

    public init(
        data: String? = nil, validationImages: Int = ImageClassification.defaultValidationImages,
        trainPairs: Int = VisionTaskSpec.defaultTrainPairs, validationPairs: Int = VisionTaskSpec.defaultValidationPairs,
        testPairs: Int = VisionTaskSpec.defaultTestPairs, dataSeed: UInt64 = 0, centerInputs: Bool = false
    ) {
        self.data = data
        self.validationImages = validationImages
        self.trainPairs = trainPairs
        self.validationPairs = validationPairs
        self.testPairs = testPairs
        self.dataSeed = dataSeed
        self.centerInputs = centerInputs
    }
}

/// A task's rows, ready to train on: a Boolean truth table (training = validation) or a vision
/// task's three splits.
public struct TaskData: Sendable {
    public var name: String
    public var train: Dataset
    public var validation: Dataset?
    public var test: Dataset?
    public var isVision: Bool
    /// A 10-class task (`mnist`, `fashion`): softmax cross-entropy, accuracy per row.
    public var isClassification = false
    /// The vision settings it was built with (nil for Boolean tasks).
    public var settings: VisionSettings? = nil

    public init(
        name: String, train: Dataset, validation: Dataset? = nil, test: Dataset? = nil, isVision: Bool = false,
        isClassification: Bool = false, settings: VisionSettings? = nil
    ) {
        self.name = name
        self.train = train
        self.validation = validation
        self.test = test
        self.isVision = isVision
        self.isClassification = isClassification
        self.settings = settings
    }

    /// The validation split, or the training rows where there is none (Boolean tasks).
    public var validationOrTrain: Dataset { validation ?? train }

    /// Whether `name` is a task built from images (and so needs a data folder).
    public static func isVisionTask(_ name: String) -> Bool { ImageClassification.isTask(name) || VisionTaskKind(name: name) != nil }

    /// Loads a built-in Boolean task, a task file, a vision task from `vision.data`, or the user's
    /// rows from `data:FILE` (`DataFile`).
    /// - Throws: `TaskError` (`.unknownTask` for a vision task without data), or the image readers' errors.
    public static func load(_ task: String, vision: VisionSettings = VisionSettings()) throws -> TaskData {
        if DataFile.isTask(task) { return try DataFile.load(task).centeredIf(vision.centerInputs) }
        if isVisionTask(task) {
            guard let data = vision.data else {
                throw TaskError(
                    .unknownTask,
                    "task \(task) needs --data DIR, a folder with the four MNIST-format files, or --data mnist / fashion-mnist after `sculpt data fetch mnist` / `fashion-mnist`"
                )
            }
            let images = try IDXSet.load(directory: try DataCache.resolve(data))
            let loaded: TaskData
            if ImageClassification.isTask(task) {
                let d = try ImageClassification.build(name: task, images: images, validationImages: vision.validationImages)
                loaded = TaskData(name: d.name, train: d.train, validation: d.validation, test: d.test, isVision: true, isClassification: true, settings: vision)
            } else {
                let spec = VisionTaskSpec(
                    kind: VisionTaskKind(name: task)!, trainPairs: vision.trainPairs, validationPairs: vision.validationPairs,
                    testPairs: vision.testPairs, seed: vision.dataSeed)
                let d = try VisionTask.build(spec, images: images)
                // --test-pairs 0: no held-out split (nothing is reported for it).
                loaded = TaskData(name: d.name, train: d.train, validation: d.validation, test: d.test.count > 0 ? d.test : nil, isVision: true, settings: vision)
            }
            return loaded.centeredIf(vision.centerInputs)
        }
        let t = try TaskCatalog.load(task)
        return TaskData(name: t.name, train: t.dataset())
    }

    /// Every split with the training split's input means subtracted (`--center-inputs`), or unchanged.
    public func centeredIf(_ center: Bool) -> TaskData {
        guard center else { return self }
        let centered = Dataset.centeredByTraining(train, [validation, test])
        var c = self
        c.train = centered.train
        c.validation = centered.others[0]
        c.test = centered.others[1]
        return c
    }

    /// Input-noise default: σ = 0.1 on Boolean inputs, none on images.
    public func defaultNoise(_ given: Float?) -> Float { given ?? (isVision ? 0 : 0.1) }
}
