import Foundation
// VisionTask: the two-digit MNIST tasks of docs/method.md §1.4 (`mnist-pairs` [1568,2,20], `mnist-xor` [1568,2,3,3]),
// built from an MNIST-format data directory (docs/vision.md).
import SculptCore

/// Which two-digit task.
public enum VisionTaskKind: String, CaseIterable, Sendable {
    /// `[1568,2,20]`: both digits, one-hot each: `y[a] = 1`, `y[10+b] = 1`.
    case pairs = "mnist-pairs"
    /// `[1568,2,3,3]`: digits below 8 only; the 3-bit code (MSB first) of `a XOR b`.
    case xor = "mnist-xor"

    /// The task name (`mnist-pairs`, `mnist-xor`): what `--task` and a masks file's `task` say.
    public var name: String { rawValue }

    /// The paper label, `[1568,2,20]` or `[1568,2,3,3]`.
    public var label: String { self == .pairs ? "[1568,2,20]" : "[1568,2,3,3]" }

    /// Task by name or paper label; nil for anything else.
    public init?(name: String) {
        switch name {
        case "mnist-pairs", "[1568,2,20]": self = .pairs
        case "mnist-xor", "[1568,2,3,3]": self = .xor
        default: return nil
        }
    }

    /// Digits used: 0…9 for pairs, 0…7 for xor.
    public var classCount: Int { self == .pairs ? 10 : 8 }
    /// 1568.
    public var inputCount: Int { VisionTask.inputCount }
    /// 20 or 3.
    public var outputCount: Int { self == .pairs ? 20 : 3 }

    /// The target of the pair (left digit `a`, right digit `b`): `outputCount` values 0 or 1.
    public func target(left a: Int, right b: Int) -> [Float] {
        precondition(a >= 0 && a < classCount && b >= 0 && b < classCount, "digits (\(a), \(b)) outside 0..<\(classCount)")
        switch self {
        case .pairs:
            var y = [Float](repeating: 0, count: 20)
            y[a] = 1
            y[10 + b] = 1
            return y
        case .xor:
            let x = a ^ b
            return [Float((x >> 2) & 1), Float((x >> 1) & 1), Float(x & 1)]
        }
    }
}

/// How to build a vision task's three splits. Sizes count pairs (rows).
public struct VisionTaskSpec: Equatable, Sendable {
    public var kind: VisionTaskKind
    public var trainPairs: Int
    public var validationPairs: Int
    public var testPairs: Int
    /// Seeds every draw (`PhiloxStream`, purpose `.shuffle`, streams `VisionTask.stream(split:)`).
    public var seed: UInt64

    /// Default split sizes, the one place they are set (`sculpt run` flags and manifests use them).
    public static let defaultTrainPairs = 20_000, defaultValidationPairs = 2_000, defaultTestPairs = 4_000

    public init(
        kind: VisionTaskKind, trainPairs: Int = defaultTrainPairs, validationPairs: Int = defaultValidationPairs,
        testPairs: Int = defaultTestPairs, seed: UInt64 = 0
    ) {
        self.kind = kind
        self.trainPairs = trainPairs
        self.validationPairs = validationPairs
        self.testPairs = testPairs
        self.seed = seed
    }
}

/// Where one pair (row) of a split came from: indices into the training images (train and validation
/// splits) or the test images (test split), and their labels.
public struct VisionPair: Equatable, Sendable {
    public let left: Int
    public let right: Int
    public let leftLabel: Int
    public let rightLabel: Int
}

/// A built vision task: three data sets and the structure the judges check.
public struct VisionData: Sendable {
    public let kind: VisionTaskKind
    /// `mnist-pairs` or `mnist-xor`.
    public var name: String { kind.name }
    /// Rows of 1568 inputs in [0, 1] and `kind.outputCount` targets.
    public let train: Dataset
    /// For pruning acceptance and model selection; its images are disjoint from `train`'s.
    public let validation: Dataset
    /// Pairs of test images only; never for pruning decisions or model selection.
    public let test: Dataset
    /// Provenance of every row, in row order.
    public let trainSources: [VisionPair]
    public let validationSources: [VisionPair]
    public let testSources: [VisionPair]
    /// Input indices of the left digit (columns 0–27) and the right digit (columns 28–55).
    public var leftInputs: [Int] { VisionTask.leftInputs }
    public var rightInputs: [Int] { VisionTask.rightInputs }
    /// Outputs that depend on the left digit only, the right digit only, and both.
    public var outputGroups: VisionTask.OutputGroups { VisionTask.outputGroups(kind) }
    /// The function graph (`VisionTask.graph(kind)`).
    public var graph: FunctionGraph { VisionTask.graph(kind) }
}

/// The two-digit tasks of docs/method.md §1.4, built from MNIST-format images.
///
/// Canvas: 28 rows × 56 columns, the left digit in columns 0–27, the right digit in columns 28–55;
/// input `r·56 + c` is pixel `(r, c)` of the canvas ÷ 255, so each canvas row is 28 left pixels then
/// 28 right pixels (not two 784 blocks).
///
/// Splits (docs/vision.md): the training images are cut in two; the last `⌊n/6⌋` (10,000 of MNIST's
/// 60,000) are the validation pool and the rest (the first 50,000) the training pool. Training pairs
/// draw both digits from the training pool only, validation pairs from the validation pool only, test
/// pairs from the test images only, so no image appears in two splits. Within a split, the classes
/// `(a, b)` are balanced: row `i` gets class `i mod C²` (`C` = 10, or 8 for xor; `a = k / C`,
/// `b = k mod C`), the rows are shuffled, and each digit is an image of that label drawn uniformly
/// with replacement from the split's pool.
public enum VisionTask {
    public static let rows = 28
    public static let columns = 56
    public static let inputCount = rows * columns

    /// Input indices `r·56 + c` with `c < 28`, ascending.
    public static let leftInputs: [Int] = (0..<inputCount).filter { $0 % columns < 28 }
    /// Input indices `r·56 + c` with `c ≥ 28`, ascending.
    public static let rightInputs: [Int] = (0..<inputCount).filter { $0 % columns >= 28 }

    /// True for an input index in the left half (columns 0–27).
    public static func isLeft(_ input: Int) -> Bool { input % columns < 28 }

    /// Which outputs depend on which digit.
    public struct OutputGroups: Equatable, Sendable {
        /// Outputs that depend on the left digit only.
        public let leftOnly: [Int]
        /// Outputs that depend on the right digit only.
        public let rightOnly: [Int]
        /// Outputs that depend on both digits.
        public let both: [Int]
    }

    /// pairs: outputs 0–9 left only, 10–19 right only; xor: all 3 depend on both.
    public static func outputGroups(_ kind: VisionTaskKind) -> OutputGroups {
        switch kind {
        case .pairs: return OutputGroups(leftOnly: Array(0..<10), rightOnly: Array(10..<20), both: [])
        case .xor: return OutputGroups(leftOnly: [], rightOnly: [], both: [0, 1, 2])
        }
    }

    /// The Philox stream of a split (purpose `.shuffle`): "VIS" in the high bytes, then the split
    /// (0 train, 1 validation, 2 test), away from the training shuffles' `session << 32 | epoch`.
    public static func stream(split: Int) -> UInt64 { 0x5649_5300_0000_0000 | UInt64(split) }

    /// The validation pool: the last `⌊n/6⌋` of `n` training images.
    public static func validationPool(trainingImages n: Int) -> Range<Int> { (n - n / 6)..<n }
    /// The training pool: the first `n − ⌊n/6⌋` training images.
    public static func trainingPool(trainingImages n: Int) -> Range<Int> { 0..<(n - n / 6) }

    /// Builds the three splits of `spec` from `images`.
    /// - Throws: `VisionTaskError` for a negative size, images that are not 28×28, or a pool without
    ///   any image of a needed digit.
    public static func build(_ spec: VisionTaskSpec, images: IDXSet) throws -> VisionData {
        // Training and validation rows are what the method runs on; the test split may be empty (none).
        for (what, n, least) in [("training", spec.trainPairs, 1), ("validation", spec.validationPairs, 1), ("test", spec.testPairs, 0)] where n < least {
            throw VisionTaskError("\(what) pairs must be at least \(least), got \(n)")
        }
        // Checked before anything is allocated: each pair is 1568 floats of inputs and its targets.
        let pairs = spec.trainPairs.addingReportingOverflow(spec.validationPairs).partialValue.addingReportingOverflow(spec.testPairs)
        let bytesPerPair = 4 * (inputCount + 20)
        let limit = Int(min(ProcessInfo.processInfo.physicalMemory / 2, UInt64(Int.max)))
        guard !pairs.overflow, pairs.partialValue <= limit / bytesPerPair else {
            throw VisionTaskError(
                "\(spec.trainPairs) + \(spec.validationPairs) + \(spec.testPairs) pairs need more than half of this machine's memory (\(limit / bytesPerPair) pairs fit)")
        }
        guard images.trainImages.rows == IDX.side && images.trainImages.columns == IDX.side else {
            throw VisionTaskError("\(spec.kind.name) needs 28×28 images, got \(images.trainImages.rows)×\(images.trainImages.columns)")
        }
        let n = images.trainImages.count
        let (train, trainSources) = try split(spec, 0, "training", images.trainImages, images.trainLabels, trainingPool(trainingImages: n), spec.trainPairs)
        let (validation, validationSources) = try split(
            spec, 1, "validation", images.trainImages, images.trainLabels, validationPool(trainingImages: n), spec.validationPairs)
        let (test, testSources) = try split(spec, 2, "test", images.testImages, images.testLabels, 0..<images.testImages.count, spec.testPairs)
        return VisionData(
            kind: spec.kind, train: train, validation: validation, test: test,
            trainSources: trainSources, validationSources: validationSources, testSources: testSources)
    }

    /// One canvas row: 1568 values in [0, 1] from two 28×28 images.
    public static func canvas(left: ArraySlice<UInt8>, right: ArraySlice<UInt8>) -> [Float] {
        var out = [Float](repeating: 0, count: inputCount)
        write(left: left, right: right, into: &out, at: 0)
        return out
    }

    /// The function graph: inputs `x0…x1567` (canvas order), level-1 sub-functions `left` (the left
    /// digit, reading every left input) and `right`; for pairs, outputs 0–9 copy `left` and 10–19 copy
    /// `right`; for xor, three level-2 sub-functions `bit2`, `bit1`, `bit0` each read `left` and `right`,
    /// and output `k` copies bit `2−k` (most significant first).
    public static func graph(_ kind: VisionTaskKind) -> FunctionGraph {
        let all = Array(0..<inputCount)
        var subs = [
            FunctionGraph.SubFunction(
                name: "left", definition: "digit(x[r·56 + c], c < 28)", directInputs: leftInputs,
                sources: [], inputs: leftInputs, level: 1, isImplicit: false),
            FunctionGraph.SubFunction(
                name: "right", definition: "digit(x[r·56 + c], c ≥ 28)", directInputs: rightInputs,
                sources: [], inputs: rightInputs, level: 1, isImplicit: false),
        ]
        let outputNames: [String]
        let outputs: [FunctionGraph.OutputBinding]
        switch kind {
        case .pairs:
            outputNames = (0..<10).map { "left_is_\($0)" } + (0..<10).map { "right_is_\($0)" }
            outputs = (0..<20).map { FunctionGraph.OutputBinding(function: $0 < 10 ? 0 : 1, negated: false) }
        case .xor:
            for bit in [2, 1, 0] {
                subs.append(
                    FunctionGraph.SubFunction(
                        name: "bit\(bit)", definition: "xor(bit\(bit)(left), bit\(bit)(right))",
                        directInputs: [], sources: [0, 1], inputs: all, level: 2, isImplicit: false))
            }
            outputNames = ["xor_bit2", "xor_bit1", "xor_bit0"]
            outputs = (0..<3).map { FunctionGraph.OutputBinding(function: 2 + $0, negated: false) }
        }
        return FunctionGraph(
            inputNames: all.map { "x\($0)" }, outputNames: outputNames, subFunctions: subs,
            outputs: outputs, functionDefinitions: [])
    }

    // MARK: - Private

    private static func write(left: ArraySlice<UInt8>, right: ArraySlice<UInt8>, into out: inout [Float], at base: Int) {
        let l = left.startIndex, r = right.startIndex
        for row in 0..<rows {
            for c in 0..<28 {
                out[base + row * columns + c] = Float(left[l + row * 28 + c]) / 255
                out[base + row * columns + 28 + c] = Float(right[r + row * 28 + c]) / 255
            }
        }
    }

    private static func split(
        _ spec: VisionTaskSpec, _ index: Int, _ what: String, _ images: IDXImages, _ labels: [UInt8],
        _ pool: Range<Int>, _ count: Int
    ) throws -> (Dataset, [VisionPair]) {
        let c = spec.kind.classCount
        var byDigit = [[Int]](repeating: [], count: c)
        for i in pool where Int(labels[i]) < c { byDigit[Int(labels[i])].append(i) }
        if count > 0, let d = byDigit.firstIndex(where: \.isEmpty) {
            throw VisionTaskError("the \(what) images (\(pool.count) of them) hold no digit \(d), which \(spec.kind.name) needs")
        }
        var rng = PhiloxStream(seed: spec.seed, purpose: .shuffle, stream: stream(split: index))
        var classes = (0..<count).map { $0 % (c * c) }
        rng.fisherYates(&classes)
        let size = images.imageSize
        let width = spec.kind.outputCount
        var inputs = [Float](repeating: 0, count: count * inputCount)
        var targets = [Float](repeating: 0, count: count * width)
        var sources: [VisionPair] = []
        sources.reserveCapacity(count)
        for (row, k) in classes.enumerated() {
            let a = k / c, b = k % c
            let li = byDigit[a][rng.nextIndex(below: byDigit[a].count)]
            let ri = byDigit[b][rng.nextIndex(below: byDigit[b].count)]
            write(
                left: images.pixels[(li * size)..<((li + 1) * size)], right: images.pixels[(ri * size)..<((ri + 1) * size)],
                into: &inputs, at: row * inputCount)
            let y = spec.kind.target(left: a, right: b)
            for j in 0..<width { targets[row * width + j] = y[j] }
            sources.append(VisionPair(left: li, right: ri, leftLabel: a, rightLabel: b))
        }
        // Dataset needs positive widths but allows zero rows.
        return (Dataset(inputs: inputs, targets: targets, inputWidth: inputCount, outputWidth: width), sources)
    }
}

/// A vision task that cannot be built from the given images or sizes. One line.
public struct VisionTaskError: Error, CustomStringConvertible, Equatable, Sendable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
