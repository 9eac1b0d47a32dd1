import CLRuntime
import TestSupport
import XCTest

/// The shared test context (TestSupport), or a loud skip when there is no OpenCL device and none is
/// required. With `CI=true` or `REQUIRE_OPENCL=1` a missing device throws, so the test fails.
func requireContext() throws -> CLContext {
    switch TestDevice.sharedContext {
    case .success(let context?): return context
    case .success(nil): throw XCTSkip("no OpenCL device (CI=true or REQUIRE_OPENCL=1 makes this a failure)")
    case .failure(let error): throw error
    }
}

/// Elements appended after every kernel output; they must come back untouched (docs/layout.md "Conventions").
let canaryCount = 127
let canaryFloat: Float = -7777.25
let canaryInt: Int32 = -7777

/// The sizes every test uses: 1, sizes that are not multiples of any work-group size, one large one.
let awkwardSizes = [1, 7, 93, 100_003]

/// SplitMix64: a small seeded generator, so every input is reproducible.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension Array where Element == Float {
    /// `count` values uniform in [-1, 1).
    static func random(_ count: Int, _ rng: inout SplitMix64) -> [Float] {
        (0..<count).map { _ in Float.random(in: -1..<1, using: &rng) }
    }
}
