// BooleanTask as the JSON document of `sculpt tasks show --json` and as a printed truth table.

extension BooleanTask {
    /// `{"name":…, "inputs":n, "outputs":m, "rows":["0101",…], "graph":{…}}` where `rows[r]` is the
    /// output bits `y0…y(m−1)` of input row `r`, and `graph` is `graph.jsonObject()`.
    public func jsonObject() -> [String: Any] {
        [
            "name": name, "inputs": inputCount, "outputs": outputCount,
            "rows": (0..<rowCount).map(outputString(row:)), "graph": graph.jsonObject(),
        ]
    }

    /// The truth table as text: a header naming the inputs and outputs, then one line per row,
    /// e.g. `0110 | 1010` (input bits x0… | output bits y0…).
    public var truthTableText: String {
        let header = inputNames.joined(separator: " ") + " | " + outputNames.joined(separator: " ")
        var lines = [header]
        for r in 0..<rowCount {
            let x = inputs(row: r).map { $0 ? "1" : "0" }.joined()
            lines.append("\(x) | \(outputString(row: r))")
        }
        return lines.joined(separator: "\n")
    }
}
