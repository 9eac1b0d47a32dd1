import ArgumentParser
import Foundation
import SculptCore
import Tasks

/// `--data` and the split sizes of the vision tasks (`mnist-pairs`, `mnist-xor`; docs/vision.md) and
/// the 10-class tasks (`mnist`, `fashion`; docs/gradual-pruning.md).
struct VisionFlags: ParsableArguments {
    @Option(help: "Folder with the four MNIST-format files (train/t10k images and labels, .gz or not), for mnist, fashion, mnist-pairs and mnist-xor. Debian's dataset-fashion-mnist package installs Fashion-MNIST in /usr/share/datasets/fashion-mnist.")
    var data: String?

    @Option(name: .customLong("validation-images"), help: "mnist/fashion: validation = this many LAST training images (the rest train; the test files are the test split).")
    var validationImages: Int = ImageClassification.defaultValidationImages

    @Option(name: .customLong("train-pairs"), help: "Training pairs of a vision task.")
    var trainPairs: Int = 20_000

    @Option(name: .customLong("validation-pairs"), help: "Validation pairs (from training images) of a vision task: what pruning and model selection see.")
    var validationPairs: Int = 2_000

    @Option(name: .customLong("test-pairs"), help: "Test pairs (from test images only; reported, never used for decisions).")
    var testPairs: Int = 4_000

    @Option(name: .customLong("data-seed"), help: "Seed of the pair construction.")
    var dataSeed: UInt64 = 0

    @Flag(name: .customLong("center-inputs"), help: "Subtract the training split's mean of every pixel from every split (the paper feeds raw [0,1] pixels). On Fashion-MNIST the always-bright centre pixels otherwise serve as extra biases that tie the two halves of a pair together (docs/vision.md).")
    var centerInputs = false

    var settings: VisionSettings {
        VisionSettings(data: data, validationImages: validationImages, trainPairs: trainPairs, validationPairs: validationPairs,
                       testPairs: testPairs, dataSeed: dataSeed, centerInputs: centerInputs)
    }
}

/// The values of `VisionFlags` as a plain value (a ParsableArguments type may only be made by parsing).
struct VisionSettings {
    var data: String? = nil
    var validationImages = ImageClassification.defaultValidationImages
    var trainPairs = 20_000
    var validationPairs = 2_000
    var testPairs = 4_000
    var dataSeed: UInt64 = 0
    var centerInputs = false

    /// What run.json records about the data (vision tasks only).
    var record: [String: Any] {
        ["directory": data ?? "", "validation_images": validationImages, "train_pairs": trainPairs, "validation_pairs": validationPairs,
         "test_pairs": testPairs, "data_seed": dataSeed, "center_inputs": centerInputs]
    }
}

/// A task's rows: the Boolean truth table (training = validation, spec §1.4) or a vision task's
/// three splits.
struct TaskData {
    var name: String
    var train: Dataset
    var validation: Dataset?
    var test: Dataset?
    var isVision: Bool
    /// A 10-class task (`mnist`, `fashion`): softmax cross-entropy, accuracy per row.
    var isClassification = false
    /// The vision settings it was built with (nil for Boolean tasks).
    var settings: VisionSettings? = nil

    /// Loads `--task` (a built-in Boolean name, a task file, or a vision task with `--data`).
    static func load(_ task: String, vision: VisionSettings = VisionSettings()) throws -> TaskData {
        if ImageClassification.isTask(task) {
            guard let dir = vision.data else {
                throw ValidationError("--task \(task) needs --data DIR, a folder with the MNIST-format files (e.g. /usr/share/datasets/fashion-mnist after apt-get install dataset-fashion-mnist)")
            }
            let d = try ImageClassification.build(name: task, images: try IDXSet.load(directory: dir), validationImages: vision.validationImages)
            return TaskData(name: d.name, train: d.train, validation: d.validation, test: d.test, isVision: true, isClassification: true,
                            settings: vision).centeredIf(vision.centerInputs)
        }
        if let kind = VisionTaskKind(name: task) {
            guard let dir = vision.data else {
                throw ValidationError("--task \(task) needs --data DIR, a folder with the MNIST-format files (e.g. /usr/share/datasets/fashion-mnist after apt-get install dataset-fashion-mnist)")
            }
            let images = try IDXSet.load(directory: dir)
            let spec = VisionTaskSpec(kind: kind, trainPairs: vision.trainPairs, validationPairs: vision.validationPairs,
                                      testPairs: vision.testPairs, seed: vision.dataSeed)
            let d = try VisionTask.build(spec, images: images)
            return TaskData(name: d.name, train: d.train, validation: d.validation, test: d.test, isVision: true, settings: vision)
                .centeredIf(vision.centerInputs)
        }
        let t = try TaskCatalog.load(task)
        return TaskData(name: t.name, train: t.dataset(), validation: nil, test: nil, isVision: false)
    }

    /// Every split with the training split's input means subtracted (`--center-inputs`), or unchanged.
    func centeredIf(_ center: Bool) -> TaskData {
        guard center else { return self }
        let centered = Dataset.centeredByTraining(train, [validation, test])
        var c = self
        c.train = centered.train
        c.validation = centered.others[0]
        c.test = centered.others[1]
        return c
    }

    /// Noise default: σ = 0.1 on Boolean inputs (spec §1.4), none on images (the reference adds none).
    func defaultNoise(_ given: Float?) -> Float { given ?? (isVision ? 0 : 0.1) }
}
