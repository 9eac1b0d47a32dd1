/// A supervised data set as dense row-major matrices: `inputs[s * inputWidth + i]`,
/// `targets[s * outputWidth + k]` (docs/layout.md "Conventions"). Boolean tasks give their full truth table.
public struct Dataset: Sendable, Equatable {
    public let inputs: [Float]
    public let targets: [Float]
    public let count: Int
    public let inputWidth: Int
    public let outputWidth: Int

    public init(inputs: [Float], targets: [Float], inputWidth: Int, outputWidth: Int) {
        precondition(inputWidth > 0 && outputWidth > 0, "widths must be positive")
        precondition(inputs.count % inputWidth == 0, "inputs not a whole number of rows")
        let n = inputs.count / inputWidth
        precondition(targets.count == n * outputWidth, "targets do not match the inputs' row count")
        self.inputs = inputs
        self.targets = targets
        self.count = n
        self.inputWidth = inputWidth
        self.outputWidth = outputWidth
    }
}

extension Dataset {
    /// The mean of every input column over the rows, accumulated in Double.
    /// The rows with only the input columns `columns` (in that order), targets unchanged.
    public func selectingInputs(_ columns: [Int]) -> Dataset {
        var x = [Float]()
        x.reserveCapacity(count * columns.count)
        for r in 0..<count {
            let row = r * inputWidth
            for c in columns { x.append(inputs[row + c]) }
        }
        return Dataset(inputs: x, targets: targets, inputWidth: columns.count, outputWidth: outputWidth)
    }

    public func inputMeans() -> [Float] {
        var sum = [Double](repeating: 0, count: inputWidth)
        for s in 0..<count {
            let row = s * inputWidth
            for i in 0..<inputWidth { sum[i] += Double(inputs[row + i]) }
        }
        return sum.map { Float($0 / Double(max(count, 1))) }
    }

    /// The same rows with `offsets[i]` subtracted from input column `i` (targets unchanged). Centering
    /// every split by the *training* split's means keeps the held-out splits out of the preprocessing.
    public func subtractingInputs(_ offsets: [Float]) -> Dataset {
        precondition(offsets.count == inputWidth, "one offset per input column")
        var x = inputs
        for s in 0..<count {
            let row = s * inputWidth
            for i in 0..<inputWidth { x[row + i] -= offsets[i] }
        }
        return Dataset(inputs: x, targets: targets, inputWidth: inputWidth, outputWidth: outputWidth)
    }

    /// `train` and `others` each with `train`'s input means subtracted: the training split is centred
    /// and the held-out splits get the same shift, so nothing about them enters the preprocessing.
    public static func centeredByTraining(_ train: Dataset, _ others: [Dataset?]) -> (train: Dataset, others: [Dataset?]) {
        let means = train.inputMeans()
        return (train.subtractingInputs(means), others.map { $0?.subtractingInputs(means) })
    }
}
