import CLRuntime
import Foundation

/// Shared helpers for tests that need an OpenCL device.
public enum TestDevice {
    /// True when running in CI (`CI=true`) or when `REQUIRE_OPENCL=1`: a missing device is a failure.
    public static var required: Bool {
        let env = ProcessInfo.processInfo.environment
        return env["CI"] == "true" || env["REQUIRE_OPENCL"] == "1"
    }

    /// The device tests run on: `SCULPT_DEVICE` when set, else the default choice; nil when there is
    /// none and it is not required (the caller skips, saying why).
    /// - Throws: the discovery error when a device is required but missing.
    public static func device() throws -> CLDevice? {
        do {
            return try CLDevice.choose(ProcessInfo.processInfo.environment["SCULPT_DEVICE"])
        } catch {
            if required { throw error }
            FileHandle.standardError.write(Data("SKIPPING OpenCL test: \(error)\n".utf8))
            return nil
        }
    }

    /// One shared context for the test process (contexts are thread-safe; kernels are not).
    public static let sharedContext: Result<CLContext?, Error> = Result {
        guard let d = try device() else { return nil }
        return try CLContext(device: d)
    }
}

/// `|a − b| ≤ atol + rtol·|b|` elementwise; returns a description of the first mismatches, or nil.
public func mismatches(_ a: [Float], _ b: [Float], atol: Float, rtol: Float, limit: Int = 5) -> String? {
    guard a.count == b.count else { return "count \(a.count) vs \(b.count)" }
    var bad: [String] = []
    var maxAbs: Float = 0, maxRel: Float = 0, nBad = 0
    for i in 0..<a.count {
        let d = abs(a[i] - b[i])
        maxAbs = max(maxAbs, d)
        maxRel = max(maxRel, d / max(abs(b[i]), 1e-30))
        if !(d <= atol + rtol * abs(b[i])) {
            nBad += 1
            if bad.count < limit { bad.append("[\(i)] \(a[i]) vs \(b[i])") }
        }
    }
    return nBad == 0 ? nil : "\(nBad) of \(a.count) differ (max abs \(maxAbs), max rel \(maxRel)): " + bad.joined(separator: ", ")
}
