/// The iterative prune → retrain → accept/reject control flow of docs/method.md §3.3 (units) and docs/method.md §4 (edges),
/// as a pure state machine; the driver asks for a target, prunes and retrains, and records the verdict.
///
/// Following the schedule, `target = base + gradient·i` and `step = target − previous`; after the
/// first rejection, `target = previous + step`. A rejection halves the step (never below `minStep`)
/// while `step > minStep`, and otherwise ends the schedule. A target ≥ 100 is rejected untried.
/// That is the paper's rule (`StepRule.paper`); the other rules bound the number of rounds.
public struct StepSchedule: Codable, Equatable, Sendable {
    /// `P_u` or `P_e`, in percent.
    public let gradient: Double
    /// 0 for units; for edges, the percentage of weights already gone (`p_init`).
    public let base: Double
    /// One unit (`100/H`) or one weight (`100/#weights`), in percent.
    public let minStep: Double
    /// The last accepted target (`base` before any acceptance).
    public private(set) var previous: Double
    public private(set) var step: Double
    public private(set) var following = true
    /// 1-based iteration counter `i`.
    public private(set) var iteration = 1
    public private(set) var finished = false
    public private(set) var acceptedAny = false
    /// How a halved step behaves (the paper's rule by default).
    public let rule: StepRule
    /// Accepts in a row since the last rejection (for `.regrow`).
    public private(set) var streak = 0

    public init(gradient: Double, base: Double = 0, minStep: Double, rule: StepRule = .paper) {
        precondition(gradient > 0 && minStep > 0)
        self.gradient = gradient
        self.base = base
        self.minStep = minStep
        self.rule = rule
        previous = base
        step = gradient
    }

    /// A schedule that ends before trying anything: a phase that is skipped (`P_u` = 0, or a network
    /// without hidden units to prune).
    public static var skipped: StepSchedule {
        var s = StepSchedule(gradient: 100, minStep: 100)
        s.finished = true
        return s
    }

    /// The smallest step this rule allows now: one unit or weight, or with `.floor(f)` the fraction `f`
    /// of what is still left to prune, when that is more.
    var smallestStep: Double {
        if case .floor(let f) = rule { return max(minStep, f * (100 - previous)) }
        return minStep
    }

    /// The next target to try (also sets `step` while following the schedule).
    public mutating func nextTarget() -> Double {
        precondition(!finished, "the schedule has ended")
        if following {
            let target = base + gradient * Double(iteration)
            step = target - previous
            return target
        }
        return previous + step
    }

    /// Records the verdict on `target` (false for a target ≥ 100, which is not tried).
    public mutating func record(target: Double, accepted: Bool) {
        if accepted {
            previous = target
            acceptedAny = true
            streak += 1
            // .regrow: after `after` accepts in a row the halved step doubles back, up to the gradient.
            if case .regrow(let after) = rule, !following, streak >= after, step < gradient {
                step = min(step * 2, gradient)
                streak = 0
            }
        } else if step > smallestStep {
            following = false
            step = max(step / 2, smallestStep)
            streak = 0
        } else {
            finished = true
        }
        iteration += 1
    }
}

/// How a pruning schedule's step changes after the first rejection.
public enum StepRule: Codable, Equatable, Sendable, CustomStringConvertible {
    /// The paper's rule: a rejection halves the step, never back up, down to one unit or weight.
    case paper
    /// Opt-in: the step never falls below this fraction of what is still left to prune (so the number
    /// of rounds stays bounded when the network is far from its last weight).
    case floor(Double)
    /// Opt-in: after this many accepts in a row the halved step doubles back (up to the gradient).
    case regrow(after: Int)

    /// `paper`, `floor:0.05`, `regrow:2` (the command-line spelling).
    public init(parsing text: String) throws {
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        switch (parts.first, parts.count) {
        case ("paper", 1): self = .paper
        case ("floor", 2):
            guard let f = Double(parts[1]), f > 0, f < 1 else { throw StepRuleError(text: text) }
            self = .floor(f)
        case ("regrow", 2):
            guard let n = Int(parts[1]), n >= 1 else { throw StepRuleError(text: text) }
            self = .regrow(after: n)
        default: throw StepRuleError(text: text)
        }
    }

    public var description: String {
        switch self {
        case .paper: return "paper"
        case .floor(let f): return "floor:\(f)"
        case .regrow(let n): return "regrow:\(n)"
        }
    }
}

extension StepRule {
    /// Written as its command-line spelling (`"paper"`, `"floor:0.05"`, `"regrow:2"`).
    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do { try self.init(parsing: text) } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "\(error)"))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}

public struct StepRuleError: Error, CustomStringConvertible, Equatable {
    public let text: String
    public var description: String { "'\(text)' is not a step rule: paper, floor:F (0 < F < 1) or regrow:N (N ≥ 1)" }
}
