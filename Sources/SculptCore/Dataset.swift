/// A supervised data set as dense row-major matrices: `inputs[s * inputWidth + i]`,
/// `targets[s * outputWidth + k]` (README "Conventions"). Boolean tasks give their full truth table.
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
