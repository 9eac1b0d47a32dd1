/// The iterative prune → retrain → accept/reject control flow of docs/method.md §3.3 (units) and docs/method.md §4 (edges),
/// as a pure state machine; the driver asks for a target, prunes and retrains, and records the verdict.
///
/// Following the schedule, `target = base + gradient·i` and `step = target − previous`; after the
/// first rejection, `target = previous + step`. A rejection halves the step (never below `minStep`)
/// while `step > minStep`, and otherwise ends the schedule. A target ≥ 100 is rejected untried.
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

    public init(gradient: Double, base: Double = 0, minStep: Double) {
        precondition(gradient > 0 && minStep > 0)
        self.gradient = gradient
        self.base = base
        self.minStep = minStep
        previous = base
        step = gradient
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
        } else if step > minStep {
            following = false
            step = max(step / 2, minStep)
        } else {
            finished = true
        }
        iteration += 1
    }
}
