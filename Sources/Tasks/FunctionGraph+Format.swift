// FunctionGraph as JSON (layout in docs/task-format.md, "Function graph JSON") and as readable text.
import Foundation

extension FunctionGraph: CustomStringConvertible {
    /// The graph for `JSONSerialization`; ids are 0-based indices as in the Swift API:
    /// `{"input_names":[…], "output_names":[…], "levels":L, "functions":["F1(a, b, c, d) = …"],
    ///   "sub_functions":[{"id","name","definition","level","direct_inputs","sources","inputs",
    ///   "consumers","copied_to_outputs","outputs_depending","implicit","intermediate"}],
    ///   "outputs":[{"name","function","negated"}], "input_groups":[[…]], "output_groups":[[…]],
    ///   "intermediates":[…]}`.
    public func jsonObject() -> [String: Any] {
        let intermediates = Set(self.intermediates)
        let nodes: [[String: Any]] = subFunctions.enumerated().map { id, s in
            [
                "id": id, "name": s.name, "definition": s.definition, "level": s.level,
                "direct_inputs": s.directInputs, "sources": s.sources, "inputs": s.inputs,
                "consumers": consumers(of: id), "copied_to_outputs": copies(of: id),
                "outputs_depending": outputsDepending(on: id), "implicit": s.isImplicit,
                "intermediate": intermediates.contains(id),
            ]
        }
        let outs: [[String: Any]] = outputs.enumerated().map { k, b in
            ["name": outputNames[k], "function": b.function, "negated": b.negated]
        }
        return [
            "input_names": inputNames, "output_names": outputNames, "levels": levelCount,
            "functions": functionDefinitions, "sub_functions": nodes, "outputs": outs,
            "input_groups": inputGroups, "output_groups": outputGroups,
            "intermediates": self.intermediates,
        ]
    }

    /// Several lines: the `fn`s, then each sub-function by level with what it reads and what reads it,
    /// then the outputs and the input and output groups.
    public var description: String {
        var lines: [String] = []
        let ins = { (ids: [Int]) in ids.map { inputNames[$0] }.joined(separator: " ") }
        let outs = { (ids: [Int]) in ids.map { outputNames[$0] }.joined(separator: " ") }
        let subs = { (ids: [Int]) in ids.map { subFunctions[$0].name }.joined(separator: " ") }
        lines.append(
            "function graph: \(inputNames.count) inputs, \(outputNames.count) outputs, \(subFunctions.count) sub-functions on \(levelCount) level\(levelCount == 1 ? "" : "s")"
        )
        if !functionDefinitions.isEmpty {
            lines.append("functions:")
            lines += functionDefinitions.map { "  fn \($0)" }
        }
        lines.append("sub-functions (level, name = definition):")
        let width = subFunctions.map(\.name.count).max() ?? 0
        let definitionWidth = subFunctions.map(\.definition.count).max() ?? 0
        let intermediates = Set(self.intermediates)
        for id in subFunctions.indices.sorted(by: { (subFunctions[$0].level, $0) < (subFunctions[$1].level, $1) }) {
            let s = subFunctions[id]
            let name = s.name.padding(toLength: width, withPad: " ", startingAt: 0)
            var facts = ["window {\(ins(s.inputs))}"]
            let readers = consumers(of: id)
            if !readers.isEmpty { facts.append("feeds \(subs(readers))") }
            let copies = copies(of: id)
            if !copies.isEmpty { facts.append("copied to \(outs(copies))") }
            if intermediates.contains(id) { facts.append("intermediate") }
            if s.isImplicit { facts.append("implicit, from an output expression") }
            let definition = s.definition.padding(toLength: definitionWidth, withPad: " ", startingAt: 0)
            lines.append("  L\(s.level) \(name) = \(definition)  [\(facts.joined(separator: "; "))]")
        }
        lines.append("outputs:")
        let perLine = 8
        let texts = outputs.enumerated().map { k, b in
            "\(outputNames[k]) = \(b.negated ? "not(\(subFunctions[b.function].name))" : subFunctions[b.function].name)"
        }
        for start in stride(from: 0, to: texts.count, by: perLine) {
            lines.append("  " + texts[start..<min(start + perLine, texts.count)].joined(separator: ", "))
        }
        lines.append("input groups: " + inputGroups.map { "{\(ins($0))}" }.joined(separator: " "))
        lines.append("output groups: " + outputGroups.map { "{\(outs($0))}" }.joined(separator: " "))
        return lines.joined(separator: "\n")
    }
}
