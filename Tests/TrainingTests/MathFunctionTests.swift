import Foundation
import OpenCLBackend
import TestSupport
import XCTest

/// Kernels/mathfn.cl's functions against Double libm on random and awkward arguments: within 2 ulp of
/// the exact value (log1p 3; sin/cos: or 1e-15 absolute, near their zeros), and the special values as
/// documented.
final class MathFunctionTests: XCTestCase {
    typealias F = OpenCLBackend.MathFunction

    /// Units in the last place of `Float(x)` (the subnormal spacing below the normal range).
    static func ulp(_ x: Double) -> Double { max(Double(Float(abs(x)).ulp), Double(Float.leastNonzeroMagnitude)) }

    func check(_ f: F, _ x: [Float], ulps: Double = 2, floor: Double = 0, exact: (Double) -> Double, file: StaticString = #filePath, line: UInt = #line) throws {
        let y = try openCLBackend().evaluate(f, x)
        var worst = 0.0, at: Float = 0
        for (xi, yi) in zip(x, y) {
            let ref = exact(Double(xi))
            guard ref.isFinite else {
                XCTAssertEqual(Double(yi), ref, "\(f)(\(xi))", file: file, line: line)
                continue
            }
            let err = abs(Double(yi) - ref)
            if err > floor, err / Self.ulp(ref) > worst { (worst, at) = (err / Self.ulp(ref), xi) }
        }
        XCTAssertLessThanOrEqual(worst, ulps, "\(f): \(worst) ulp at \(at)" as String, file: file, line: line)
    }

    func testExp() throws {
        var r = SplitMix64(1)
        let random = (0..<20_000).map { _ in Float(Double(r.next() % 1_000_000) / 1_000_000 * 200 - 110) }
        let awkward: [Float] = [0, -0.0, 1e-30, -1e-30, 1, -1, 0.34657, -0.34658, -87.33, -87.34, -100, -103.9, -103.98, -104, -200, 88.7, 88.72, 88.73, 200]
        try check(.exp, random + awkward, exact: Foundation.exp)
        let special = try openCLBackend().evaluate(.exp, [.infinity, -.infinity, .nan])
        XCTAssertEqual(special[0], .infinity)
        XCTAssertEqual(special[1], 0)
        XCTAssert(special[2].isNaN)
    }

    func testLog() throws {
        var r = SplitMix64(2)
        // Every binade from the subnormals to the top, with random mantissas.
        let random = (0..<20_000).map { _ in Float(sign: .plus, exponent: Int(r.next() % 276) - 149, significand: 1 + Float(r.next() % 8_388_608) / 8_388_608) }
        let awkward: [Float] = [
            1, Float(1).nextUp, Float(1).nextDown, 1.41421356, Float(1.41421356).nextUp, 0.70710678, 2, 0.5, .leastNormalMagnitude,
            .leastNonzeroMagnitude, .greatestFiniteMagnitude, 1.0 / 16_777_216, 5.960_464_5e-8,
        ]
        try check(.log, random.filter { $0.isFinite && $0 > 0 } + awkward, exact: Foundation.log)
        let special = try openCLBackend().evaluate(.log, [0, -1, .infinity, .nan])
        XCTAssertEqual(special[0], -.infinity)
        XCTAssert(special[1].isNaN)
        XCTAssertEqual(special[2], .infinity)
        XCTAssert(special[3].isNaN)
    }

    func testLog1p() throws {
        var r = SplitMix64(3)
        let unit = (0..<10_000).map { _ in Float(Double(r.next() % 1_000_000) / 1_000_000) }  // exp(−|z|) in BCE
        let small = (0..<5_000).map { _ in Float(sign: .plus, exponent: -Int(r.next() % 40) - 1, significand: 1 + Float(r.next() % 1000) / 1000) }
        let wide = (0..<5_000).map { _ in Float(Double(r.next() % 1_000_000) / 1_000_000 * 100 - 0.999) }
        let awkward: [Float] = [0, 1e-30, 5.9e-8, 6e-8, 1.2e-7, 1, -0.5, -0.999_999, 1e30]
        try check(.log1p, unit + small + small.map { -$0 } + wide + awkward, ulps: 3, exact: Foundation.log1p)
        let special = try openCLBackend().evaluate(.log1p, [-1, -2, .infinity])
        XCTAssertEqual(special[0], -.infinity)
        XCTAssert(special[1].isNaN)
        XCTAssertEqual(special[2], .infinity)
    }

    func testSinAndCosOfTwoPiU() throws {
        var r = SplitMix64(4)
        // The uniforms of the Box–Muller noise, (k + 1)/2^24, and some beyond one turn.
        let units = (0..<20_000).map { _ in Float(r.next() % 16_777_216 + 1) / 16_777_216 }
        let turns = (0..<2_000).map { _ in Float(Double(r.next() % 1_000_000) / 1_000) - 500 }
        let awkward: [Float] = [0, 0.125, 0.25, 0.375, 0.5, 0.625, 0.75, 0.875, 1, 1.0 / 16_777_216, Float(0.25).nextUp, Float(0.25).nextDown, -0.25]
        let x = units + turns + awkward
        // The exact turn's fraction first (exact in Double), so that the reference stays accurate far out.
        try check(.sin2pi, x, floor: 1e-15) { Foundation.sin(2 * Double.pi * ($0 - $0.rounded(.down))) }
        try check(.cos2pi, x, floor: 1e-15) { Foundation.cos(2 * Double.pi * ($0 - $0.rounded(.down))) }
    }
}
