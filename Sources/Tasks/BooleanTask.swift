// BooleanTask: a task's names, complete truth table and function graph.
import SculptCore

/// A Boolean task: `n` named inputs, `m` named outputs, the complete truth table of `2^n` rows in
/// counting order (row `r` has input `x_i` = bit `n−1−i` of `r`, so `x0` is the most significant bit;
/// docs/method.md §1.1) and the function graph that is its ground-truth structure.
public struct BooleanTask: Sendable {
    /// The built-in name (e.g. `reuse-16`), or the file path the task was read from.
    public let name: String
    /// `n` names, e.g. `["x0", "x1", "x2", "x3"]`; `x0` is the most significant bit of a row number.
    public let inputNames: [String]
    /// `m` names, e.g. `["y0", "y1", "y2", "y3"]`.
    public let outputNames: [String]
    /// The ground-truth structure (same input and output names).
    public let graph: FunctionGraph
    /// The task text it was parsed from (for a built-in, the generated text).
    public let source: String
    /// `table[r * outputCount + k]` = output `k` of row `r`.
    private let table: [Bool]

    /// Parses and evaluates a task text; `name` is used for the task and in error messages.
    /// - Throws: `TaskError` naming the line and column of the first problem.
    public init(source: String, name: String) throws {
        let compiled = try Compiler.compile(try Parser.parse(source, file: name), file: name)
        self.name = name
        self.inputNames = compiled.graph.inputNames
        self.outputNames = compiled.graph.outputNames
        self.graph = compiled.graph
        self.source = source
        self.table = Evaluator.truthTable(compiled)
    }

    /// `n`.
    public var inputCount: Int { inputNames.count }
    /// `m`.
    public var outputCount: Int { outputNames.count }
    /// `2^inputCount`.
    public var rowCount: Int { 1 << inputCount }

    /// The input bits of row `r`: `x_i` = bit `inputCount−1−i` of `r`.
    public func inputs(row: Int) -> [Bool] {
        precondition(row >= 0 && row < rowCount, "row \(row) outside 0..<\(rowCount)")
        return (0..<inputCount).map { (row >> (inputCount - 1 - $0)) & 1 == 1 }
    }

    /// Outputs of row `r` (x0 = most significant bit of `r`), one Bool per output.
    public func outputs(row: Int) -> [Bool] {
        precondition(row >= 0 && row < rowCount, "row \(row) outside 0..<\(rowCount)")
        return Array(table[(row * outputCount)..<((row + 1) * outputCount)])
    }

    /// Output bits of row `r` as text `y0…y(m−1)`, e.g. `"0101"`.
    public func outputString(row: Int) -> String {
        String(outputs(row: row).map { $0 ? "1" : "0" })
    }

    /// The whole truth table as a `Dataset`: `count = 2^n`, inputs `[2^n × n]` and targets `[2^n × m]`,
    /// row-major, values 0 or 1, rows in counting order.
    public func dataset() -> Dataset {
        var inputs = [Float](repeating: 0, count: rowCount * inputCount)
        for r in 0..<rowCount {
            for i in 0..<inputCount where (r >> (inputCount - 1 - i)) & 1 == 1 { inputs[r * inputCount + i] = 1 }
        }
        return Dataset(inputs: inputs, targets: table.map { $0 ? 1 : 0 }, inputWidth: inputCount, outputWidth: outputCount)
    }
}
