import Tasks

/// One judged criterion: its name, the verdict, and a short reason in words.
public struct JudgeCriterion: Equatable, Sendable {
    /// Every criterion any judge reports; the raw value is the name files and tables use.
    public enum Name: String, CaseIterable, Sendable {
        case allModulesForDepth = "all_modules_for_depth"
        case digitModules = "digit_modules"
        case halfReach = "half_reach"
        case hiddenSeparability = "hidden_separability"
        case input = "input"
        case inputModule = "input_module"
        case inputSeparability = "input_separability"
        case inputSeparation = "input_separation"
        case intermediate = "intermediate"
        case middleLayerSeparability = "middle_layer_separability"
        case moduleCount = "module_count"
        case noHiddenOnlyModule = "no_hidden_only_module"
        case output = "output"
        case outputModules = "output_modules"
        case outputSeparation = "output_separation"
        case outputSubFunctions = "output_sub_functions"
        case singleModule = "single_module"
    }

    public let id: Name
    public let passed: Bool
    public let detail: String
    /// The criterion's name as written in files and tables.
    public var name: String { id.rawValue }

    public init(_ id: Name, passed: Bool, detail: String) {
        self.id = id
        self.passed = passed
        self.detail = detail
    }
}

extension [JudgeCriterion] {
    /// The verdict of criterion `name`; false when it was not judged.
    func passed(_ name: JudgeCriterion.Name) -> Bool { first { $0.id == name }?.passed ?? false }
}

/// The verdicts of a docs/method.md §7.1 judge on one detection result.
public struct JudgeReport: Equatable, Sendable {
    public let task: String
    public let family: TaskFamily
    /// One verdict per criterion, in a fixed order per family.
    public let criteria: [JudgeCriterion]
    /// The family's overall success (see `Judge.judge`); false when the architecture does not fit.
    public let success: Bool
    /// Set when the network's inputs or outputs do not match the task; no criteria then.
    public let mismatch: String?

    public func criterion(_ name: String) -> JudgeCriterion? { criteria.first { $0.name == name } }
}

/// The automatic judges of docs/method.md §7.1 for the built-in families.
public enum Judge {
    /// Judges `result` against `task`; nil when the name is not a built-in family.
    ///
    /// Overall success: `xor-pairs`, `non-modular`, `and-or`, `reuse-U`, `overlap-O-U`: every
    /// criterion. `mnist-pairs`: input_separability ∧ output_separation (`digit_modules` and `half_reach`
    /// are reported only); `mnist-xor`: input_separability ∧ output_sub_functions (`middle_layer_separability` is
    /// reported only); docs/vision.md defines them. `hierarchy-U`: "all modules for the depth", i.e. input ∧ intermediate ∧ output with
    /// ≥ 3 hidden layers and input ∧ intermediate with 2; with 1 hidden layer (no room for an
    /// intermediate level; not covered by docs/method.md §7.1) input ∧ output.
    /// Whether `task` names a built-in family, i.e. has a judge.
    public static func hasJudge(task: String) -> Bool { TaskFamily(name: task) != nil }

    public static func judge(task: String, result r: DetectionResult) -> JudgeReport? {
        guard let family = TaskFamily(name: task) else { return nil }
        let nIn = r.arch.first ?? 0, nOut = r.arch.last ?? 0
        guard nIn == family.inputs && nOut == family.outputs else {
            return JudgeReport(
                task: task, family: family, criteria: [], success: false,
                mismatch: "network has \(nIn) inputs and \(nOut) outputs; task \(task) needs \(family.inputs) and \(family.outputs)")
        }
        let v = View(r)
        var c: [JudgeCriterion] = []
        var success: Bool
        switch family {
        case .xorPairs:
            c.append(v.moduleCount(2))
            let a = v.sameModule(inputs: [0, 1], outputs: [0, 1]), b = v.sameModule(inputs: [2, 3], outputs: [2, 3])
            let ok = a != nil && b != nil && a != b
            c.append(
                JudgeCriterion(
                    .inputSeparation, passed: ok,
                    detail: ok
                        ? "{x0,x1,y0,y1} and {x2,x3,y2,y3} lie in two different modules"
                        : "{x0,x1,y0,y1} and {x2,x3,y2,y3} are not each within one module, or share one"))
            success = c.allSatisfy(\.passed)
        case .nonModular:
            c.append(v.moduleCount(1))
            success = c.allSatisfy(\.passed)
        case .andOr:
            c.append(v.inputGrouping([[0, 1], [2, 3], [4, 5]]))
            let mods = (0..<3).map { v.outputModule[$0] }
            let distinct = Set(mods).count == 3
            let noInputs = mods.allSatisfy { v.result.hierarchy.modules[$0].inputs.isEmpty }
            c.append(
                JudgeCriterion(
                    .outputModules, passed: distinct && noInputs,
                    detail: "outputs in modules \(mods)" + (distinct ? "" : ", not 3 distinct")
                        + (noInputs ? ", none with inputs" : ", some contain inputs")))
            success = c.allSatisfy(\.passed)
        case .reuse:
            c.append(v.inputGrouping([[0, 1, 2, 3]], name: .inputModule))
            c.append(v.outputSeparation())
            let hiddenOnly = r.hierarchy.modules.filter(\.hiddenOnly).map(\.index)
            c.append(
                JudgeCriterion(
                    .noHiddenOnlyModule, passed: hiddenOnly.isEmpty,
                    detail: hiddenOnly.isEmpty ? "every module holds inputs or outputs" : "hidden-only modules \(hiddenOnly)"))
            success = c.allSatisfy(\.passed)
        case .overlap(let o, _):
            // Group inputs by the set of sub-functions they feed: F1 reads x0..x3, F2 x_{4−o}..x_{7−o}.
            let n = 8 - o
            var groups: [[Int]] = [Array(0..<(4 - o)), Array((4 - o)..<4), Array(4..<n)].filter { !$0.isEmpty }
            if o == 4 { groups = [Array(0..<4)] }
            c.append(v.inputGrouping(groups, name: .inputSeparability))
            c.append(v.outputSeparation())
            c.append(v.hiddenSeparability())
            success = c.allSatisfy(\.passed)
        case .hierarchy:
            c.append(v.inputGrouping([[0, 1, 2, 3], [4, 5, 6, 7]], name: .input))
            c.append(v.intermediate())
            let out = v.outputSeparation()
            c.append(JudgeCriterion(.output, passed: out.passed, detail: out.detail))
            let hidden = r.depth - 1
            let input = c.passed(.input), inter = c.passed(.intermediate), output = c.passed(.output)
            success = hidden >= 3 ? input && inter && output : hidden == 2 ? input && inter : input && output
            c.append(
                JudgeCriterion(
                    .allModulesForDepth, passed: success,
                    detail: hidden >= 3
                        ? "input ∧ intermediate ∧ output (\(hidden) hidden layers)"
                        : hidden == 2 ? "input ∧ intermediate (2 hidden layers)" : "input ∧ output (1 hidden layer)"))
        case .mnistPairs:
            c.append(v.halvesSeparated())
            c.append(v.pairsOutputSeparation())
            c.append(v.digitModules())
            c.append(v.halfReach())
            success = c.passed(.inputSeparability) && c.passed(.outputSeparation)
        case .mnistXor:
            c.append(v.halvesSeparated())
            let mods = (0..<3).map { v.outputModule[$0] }
            let distinct = Set(mods).count == 3
            let noInputs = mods.allSatisfy { v.result.hierarchy.modules[$0].inputs.isEmpty }
            c.append(
                JudgeCriterion(
                    .outputSubFunctions, passed: distinct && noInputs,
                    detail: "outputs in modules \(mods)" + (distinct ? "" : ", not 3 distinct")
                        + (noInputs ? ", none with inputs" : ", some contain inputs")))
            c.append(v.middleLayerSeparability())
            success = c.passed(.inputSeparability) && c.passed(.outputSubFunctions)
        }
        return JudgeReport(task: task, family: family, criteria: c, success: success, mismatch: nil)
    }

    /// Lookups shared by the judges.
    private struct View {
        let result: DetectionResult
        let inputModule: [Int?]
        let outputModule: [Int]
        init(_ r: DetectionResult) {
            result = r
            inputModule = r.moduleOf[0]
            outputModule = r.moduleOf[r.depth].map { $0! }  // outputs are never removed
        }

        func moduleCount(_ n: Int) -> JudgeCriterion {
            let m = result.modules.count
            return JudgeCriterion(
                n == 1 ? .singleModule : .moduleCount, passed: m == n,
                detail: "\(m) module\(m == 1 ? "" : "s"), expected \(n)")
        }

        /// The module holding all the given inputs and outputs, or nil.
        func sameModule(inputs: [Int], outputs: [Int]) -> Int? {
            let ms = Set(inputs.map { inputModule[$0] ?? -1 } + outputs.map { outputModule[$0] })
            guard ms.count == 1, let m = ms.first, m >= 0 else { return nil }
            return m
        }

        /// The inputs, grouped by module, equal `groups` exactly (every input kept).
        func inputGrouping(_ groups: [[Int]], name: JudgeCriterion.Name = .inputSeparability) -> JudgeCriterion {
            var byModule: [Int: [Int]] = [:]
            var lost: [Int] = []
            for (x, m) in inputModule.enumerated() {
                if let m { byModule[m, default: []].append(x) } else { lost.append(x) }
            }
            let found = Set(byModule.values.map { Set($0) })
            let ok = lost.isEmpty && found == Set(groups.map { Set($0) })
            let shown = byModule.keys.sorted().map { "{" + byModule[$0]!.map { "x\($0)" }.joined(separator: ",") + "}" }
            let want = groups.map { "{" + $0.map { "x\($0)" }.joined(separator: ",") + "}" }
            return JudgeCriterion(
                name, passed: ok,
                detail: "input modules \(shown.joined(separator: " ")), expected \(want.joined(separator: " "))"
                    + (lost.isEmpty ? "" : "; removed inputs \(lost.map { "x\($0)" })"))
        }

        /// Even outputs share one module, odd outputs share a different one.
        func outputSeparation() -> JudgeCriterion {
            let even = Set(stride(from: 0, to: outputModule.count, by: 2).map { outputModule[$0] })
            let odd = Set(stride(from: 1, to: outputModule.count, by: 2).map { outputModule[$0] })
            let ok = even.count == 1 && odd.count == 1 && even != odd
            return JudgeCriterion(
                .outputSeparation, passed: ok,
                detail: "even outputs in modules \(even.sorted()), odd outputs in \(odd.sorted())")
        }

        /// No module's hidden units reach both an even and an odd output.
        func hiddenSeparability() -> JudgeCriterion {
            let g = result.graph
            let L = g.depth
            // Parities of descendant outputs per kept unit (bit 0 = even, bit 1 = odd), top down.
            var par = g.kept[L].map { $0 % 2 == 0 ? 1 : 2 }
            var moduleMix = [Int](repeating: 0, count: result.modules.count)
            for l in stride(from: L - 1, through: 1, by: -1) {
                var p = [Int](repeating: 0, count: g.kept[l].count)
                for e in g.edges[l] { p[e.source] |= par[e.target] }
                for (u, bits) in p.enumerated() { moduleMix[result.moduleOf[l][g.kept[l][u]]!] |= bits }
                par = p
            }
            let bad = moduleMix.indices.filter { moduleMix[$0] == 3 }
            return JudgeCriterion(
                .hiddenSeparability, passed: bad.isEmpty,
                detail: bad.isEmpty
                    ? "no module's hidden units reach both even and odd outputs"
                    : "modules \(bad) hold hidden units reaching both even and odd outputs")
        }

        /// Exactly one hidden-only module, or none plus exactly one input-free module with hidden units.
        func intermediate() -> JudgeCriterion {
            let ms = result.hierarchy.modules
            let hiddenOnly = ms.filter(\.hiddenOnly).map(\.index)
            let inputFreeWithHidden = ms.filter { $0.inputs.isEmpty && $0.hiddenUnits > 0 }.map(\.index)
            let ok = hiddenOnly.count == 1 || (hiddenOnly.isEmpty && inputFreeWithHidden.count == 1)
            return JudgeCriterion(
                .intermediate, passed: ok,
                detail: "hidden-only modules \(hiddenOnly), input-free modules with hidden units \(inputFreeWithHidden)")
        }
        // MARK: - Two-digit MNIST (docs/vision.md)

        /// Kept inputs grouped by module, split into left-half (columns 0–27) and right-half pixels.
        private func inputHalves() -> (left: Set<Int>, right: Set<Int>, keptLeft: Int, keptRight: Int) {
            var left = Set<Int>(), right = Set<Int>(), kl = 0, kr = 0
            for (x, m) in inputModule.enumerated() {
                guard let m else { continue }
                if VisionTask.isLeft(x) { left.insert(m); kl += 1 } else { right.insert(m); kr += 1 }
            }
            return (left, right, kl, kr)
        }

        /// Both halves keep pixels and no module holds pixels of both (so ≥ 2 input modules).
        func halvesSeparated() -> JudgeCriterion {
            let h = inputHalves()
            let mixed = h.left.intersection(h.right).sorted()
            let ok = h.keptLeft > 0 && h.keptRight > 0 && mixed.isEmpty
            var detail = "\(h.keptLeft) left pixels in modules \(h.left.sorted()), \(h.keptRight) right pixels in modules \(h.right.sorted())"
            if !mixed.isEmpty { detail += "; modules \(mixed) mix both halves" }
            if h.keptLeft == 0 || h.keptRight == 0 { detail += "; a half has no kept pixel" }
            return JudgeCriterion(.inputSeparability, passed: ok, detail: detail)
        }

        /// The modules of outputs 0–9 and of outputs 10–19 are disjoint, and the input support of the
        /// former lies in the left half, that of the latter in the right half.
        func pairsOutputSeparation() -> JudgeCriterion {
            let ms = result.hierarchy.modules
            let ml = Set((0..<10).map { outputModule[$0] }), mr = Set((10..<20).map { outputModule[$0] })
            let disjoint = ml.isDisjoint(with: mr)
            let leakL = ml.filter { ms[$0].inputSupport.contains { !VisionTask.isLeft($0) } }.sorted()
            let leakR = mr.filter { ms[$0].inputSupport.contains { VisionTask.isLeft($0) } }.sorted()
            var detail = "outputs 0–9 in modules \(ml.sorted()), 10–19 in \(mr.sorted())"
            if !disjoint { detail += ", shared \(ml.intersection(mr).sorted())" }
            if !leakL.isEmpty { detail += "; modules \(leakL) of outputs 0–9 are reached from right pixels" }
            if !leakR.isEmpty { detail += "; modules \(leakR) of outputs 10–19 are reached from left pixels" }
            return JudgeCriterion(.outputSeparation, passed: disjoint && leakL.isEmpty && leakR.isEmpty, detail: detail)
        }

        /// The [4,2,4] rule at pixel scale: exactly 2 modules, one holding every kept left pixel and
        /// outputs 0–9, the other every kept right pixel and outputs 10–19.
        func digitModules() -> JudgeCriterion {
            let h = inputHalves()
            let ml = h.left.union(Set((0..<10).map { outputModule[$0] }))
            let mr = h.right.union(Set((10..<20).map { outputModule[$0] }))
            let ok = result.modules.count == 2 && h.keptLeft > 0 && h.keptRight > 0 && ml.count == 1 && mr.count == 1 && ml != mr
            return JudgeCriterion(
                .digitModules, passed: ok,
                detail: "\(result.modules.count) modules; left pixels and outputs 0–9 in \(ml.sorted()), right pixels and outputs 10–19 in \(mr.sorted())")
        }

        /// Reported only, independent of the detected modules: which image halves reach each kept
        /// unit through surviving edges, counted per layer, and which outputs of a digit are reached
        /// from the other half. Passes iff no hidden unit or output is reached from both halves.
        func halfReach() -> JudgeCriterion {
            let g = result.graph
            let L = g.depth
            // Bit 0: reached from a left pixel, bit 1: from a right pixel.
            var reach = g.kept[0].map { VisionTask.isLeft($0) ? UInt8(1) : UInt8(2) }
            var parts: [String] = []
            var mixed = 0
            for l in 1...L {
                var next = [UInt8](repeating: 0, count: g.kept[l].count)
                for e in g.edges[l - 1] { next[e.target] |= reach[e.source] }
                reach = next
                if l < L {
                    let left = reach.filter { $0 == 1 }.count, right = reach.filter { $0 == 2 }.count
                    let both = reach.filter { $0 == 3 }.count
                    mixed += both
                    parts.append("hidden layer \(l): \(left) left-only, \(right) right-only, \(both) both")
                }
            }
            // Outputs are never removed, so `reach` has one entry per output, in order.
            let crossed = reach.indices.filter { y in reach[y] & (y < 10 ? 2 : 1) != 0 }
            parts.append("\(crossed.count) of 20 outputs reached from the other digit's half")
            return JudgeCriterion(.halfReach, passed: mixed == 0 && crossed.isEmpty, detail: parts.joined(separator: "; "))
        }

        /// Every input-free module holding hidden units has all of them reach the same single output,
        /// and there is at least one such module.
        func middleLayerSeparability() -> JudgeCriterion {
            let g = result.graph
            let L = g.depth
            let ms = result.hierarchy.modules
            // Descendant outputs per kept unit as a bit set (outputs < 64), top down.
            var reach = g.kept[L].map { UInt64(1) << UInt64($0) }
            var moduleReach = [Set<UInt64>](repeating: [], count: result.modules.count)
            for l in stride(from: L - 1, through: 1, by: -1) {
                var p = [UInt64](repeating: 0, count: g.kept[l].count)
                for e in g.edges[l] { p[e.source] |= reach[e.target] }
                for (u, bits) in p.enumerated() { moduleReach[result.moduleOf[l][g.kept[l][u]]!].insert(bits) }
                reach = p
            }
            let middle = ms.indices.filter { ms[$0].inputs.isEmpty && ms[$0].hiddenUnits > 0 }
            let bad = middle.filter { m in moduleReach[m].count != 1 || moduleReach[m].first!.nonzeroBitCount != 1 }
            let ok = !middle.isEmpty && bad.isEmpty
            return JudgeCriterion(
                .middleLayerSeparability, passed: ok,
                detail: middle.isEmpty
                    ? "no input-free module holds hidden units"
                    : bad.isEmpty
                        ? "input-free modules \(middle) each feed a single output"
                        : "input-free modules \(bad) hold hidden units reaching more than one output")
        }
    }
}
