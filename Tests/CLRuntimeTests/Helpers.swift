import CLRuntime
import TestSupport
import XCTest

/// The shared test context (TestSupport), or a loud skip when there is no OpenCL device and none is
/// required. With `CI=true` or `REQUIRE_OPENCL=1` a missing device throws, so the test fails.
func requireContext() throws -> CLContext {
    switch TestDevice.sharedContext {
    case .success(let context?): return context
    case .success(nil): try skipOrFail("no OpenCL device")
    case .failure(let error): throw error
    }
}

/// Elements appended after every kernel output; they must come back untouched (docs/layout.md "Conventions").
let canaryCount = 127
let canaryFloat: Float = -7777.25
let canaryInt: Int32 = -7777

/// The sizes every test uses: 1, sizes that are not multiples of any work-group size, one large one.
let awkwardSizes = [1, 7, 93, 100_003]

extension Array where Element == Float {
    /// `count` values uniform in [-1, 1).
    static func random(_ count: Int, _ rng: inout SplitMix64) -> [Float] {
        (0..<count).map { _ in Float.random(in: -1..<1, using: &rng) }
    }
}
