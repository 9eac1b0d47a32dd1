import SculptCore
import OpenCLBackend
import ReferenceBackend
import TestSupport
import XCTest

struct PruneKernelsCase: KernelCase {
    let P, C, n, B, Bt: Int, seed: UInt64
    var name: String { "prune.cl kernels P \(P) C \(C) n \(n) B \(B) Bt \(Bt)" }
    func run<B_: ComputeBackend>(_ h: Harness<B_>) throws -> [[Float]] {
        var r = TestRandom(seed)
        let active: [UInt32] = (0..<P).map { $0 % 5 == 4 ? 0 : 1 }
        let act = try h.u(active)
        // Weights on a coarse grid (many ties), a third of them exactly zero, some negative zeros.
        let values = r.floats(P * C).enumerated().map { i, v -> Float in i % 3 == 0 ? (i % 2 == 0 ? -0.0 : 0) : (v * 4).rounded() / 4 }
        let vb = try h.f(values)
        let ranks = (0..<P).map { p in UInt32((p * 7919 + 13) % C) }
        let out = try h.f([Float](repeating: -1, count: P))
        try h.b.selectKthAbs(P: P, C: C, values: vb, rank: try h.u(ranks), active: act, out: out)
        let lo = (0..<P).map { _ in Float(0.25) }, hi = (0..<P).map { _ in Float(0.75) }
        let interp: [UInt32] = (0..<P).map { UInt32($0 % 2) }
        let mask = try h.f(r.mask(P * C, density: 0.8))
        try h.b.maskMagnitude(P: P, C: C, W: vb, lo: try h.f(lo), hi: try h.f(hi), interp: try h.u(interp), active: act, mask: mask)
        let count = try h.u([UInt32](repeating: 3, count: P))
        try h.b.countNonzero(P: P, C: C, values: mask, count: count)
        // Unit scores of one layer of width n at offset 2 in H = n + 3.
        let H = n + 3
        let a = r.floats(P * B * n).map { max($0, 0) }, d = r.floats(P * B * n)
        let score = try h.f(r.floats(P * H))
        try h.b.unitScoreAccumulate(P: P, n: n, B: B, Bt: Bt, H: H, hOff: 2, a: try h.f(a), d: try h.f(d), active: act, score: score)
        // Unit masks of a [n, n+1] layer whose input side is hidden (offset 0) and output side hidden (offset 1).
        let keep = try h.f(r.mask(P * H, density: 0.5))
        let umask = try h.f(r.mask(P * (n * (n + 1) + 4), density: 0.9))
        try h.b.maskPruneUnits(P: P, nIn: n, nOut: n + 1, WT: n * (n + 1) + 4, wOff: 4, H: H, hIn: 0, hOut: 1, keep: keep, active: act, mask: umask)
        try h.b.maskPruneUnits(P: P, nIn: n, nOut: 2, WT: n * (n + 1) + 4, wOff: 1, H: H, hIn: -1, hOut: -1, keep: keep, active: act, mask: umask)
        return [
            try h.read(out, P), try h.read(mask, P * C), try h.read(count, P), try h.read(score, P * H),
            try h.read(umask, P * (n * (n + 1) + 4)),
        ]
    }
}

final class PruneKernelTests: XCTestCase {
    func testPruneKernelsAgreeWithReference() throws {
        for (k, c) in [(1, 1, 1, 1, 1), (3, 7, 7, 8, 7), (6, 93, 24, 16, 13), (2, 1000, 5, 4, 4)].enumerated() {
            // Selections, masks and counts are exact; scores are sums of |a·d| (float vs double).
            try assertBackendsAgree(PruneKernelsCase(P: c.0, C: c.1, n: c.2, B: c.3, Bt: c.4, seed: UInt64(500 + k)), atol: sumAtol, rtol: sumRtol)
        }
    }
}

/// The parallel radix selection used for large weight counts equals the reference selection.
final class LargeSelectionTests: XCTestCase {
    func testParallelSelectionOnLargeWeightCountsWithTies() throws {
        let backend = try openCLBackend()
        let P = 3, C = 70_001
        var r = TestRandom(21)
        // Many ties (a coarse grid), zeros and negative values.
        let values = r.floats(P * C).enumerated().map { i, v -> Float in i % 4 == 0 ? 0 : (v * 64).rounded() / 64 }
        let ranks: [UInt32] = [0, 35_000, UInt32(C - 1)]
        let h = Harness(b: backend), ref = Harness(b: ReferenceBackend())
        let active: [UInt32] = [1, 1, 1]
        let outD = try h.f([-1, -1, -1]), outR = try ref.f([-1, -1, -1])
        XCTAssertGreaterThanOrEqual(C, backend.parallelSelectThreshold, "exercises the parallel path")
        try backend.selectKthAbs(P: P, C: C, values: try h.f(values), rank: try h.u(ranks), active: try h.u(active), out: outD)
        try ref.b.selectKthAbs(P: P, C: C, values: try ref.f(values), rank: try ref.u(ranks), active: try ref.u(active), out: outR)
        XCTAssertEqual(try h.read(outD, P), try ref.read(outR, P))
        XCTAssertEqual(try h.read(outD, P)[0], 0, "rank 0 of |v| with zeros present")
    }
}
