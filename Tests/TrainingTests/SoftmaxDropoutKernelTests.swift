import SculptCore
import OpenCLBackend
import ReferenceBackend
import TestSupport
import XCTest

/// softmax_ce_grad and softmax_eval_accumulate (Kernels/loss.cl). Rows mix moderate logits, huge
/// ones (±1000, where a naive exp overflows) and exact ties (argmax takes the first index).
struct SoftmaxCase: KernelCase {
    let P, m, B, Bt: Int, seed: UInt64
    var name: String { "softmax_ce_grad + softmax_eval_accumulate P \(P) m \(m) B \(B) Bt \(Bt)" }

    static func oneHot(_ rows: Int, _ m: Int, _ r: inout TestRandom) -> [Float] {
        var y = [Float](repeating: 0, count: rows * m)
        for b in 0..<rows { y[b * m + r.rng.nextIndex(below: m)] = 1 }
        return y
    }

    func run<B_: ComputeBackend>(_ h: Harness<B_>) throws -> [[Float]] {
        var r = TestRandom(seed)
        var z = r.floats(P * B * m, scale: 8)
        for row in 0..<(P * B) {
            switch row % 4 {
            case 1: for k in 0..<m { z[row * m + k] *= 125 }  // logits up to ~±1000
            case 2: for k in 0..<m { z[row * m + k] = Float(k % 2) }  // ties: first index wins
            default: break
            }
        }
        let y = Self.oneHot(P * B, m, &r)
        let targets = Self.oneHot(7 + Bt, m, &r)
        let active: [UInt32] = (0..<P).map { $0 % 5 == 4 ? 0 : 1 }
        let dz = try h.f([Float](repeating: -1, count: P * B * m)), dz1 = try h.f([Float](repeating: -1, count: P * B * m))
        let loss = try h.f((0..<P).map { Float($0) }), ok = try h.u((0..<P).map { UInt32($0) })
        let zb = try h.f(z), act = try h.u(active)
        try h.b.softmaxCeGrad(P: P, m: m, B: B, Bt: Bt, scale: 1 / Float(Bt), yStride: B * m, yOff: 0, z: zb, y: try h.f(y), active: act, dz: dz)
        // Shared targets (stride 0) at an offset, per-sample scale 1: the unit-score form.
        let tb = try h.f(targets)
        try h.b.softmaxCeGrad(P: P, m: m, B: B, Bt: Bt, scale: 1, yStride: 0, yOff: 7 * m, z: zb, y: tb, active: act, dz: dz1)
        try h.b.softmaxEvalAccumulate(P: P, m: m, B: B, Bt: Bt, tOff: 7 * m, z: zb, targets: tb, active: act, lossSum: loss, correct: ok)
        return [try h.read(dz, P * B * m), try h.read(dz1, P * B * m), try h.read(loss, P), try h.read(ok, P)]
    }
}

/// dropout_apply (Kernels/dropout.cl): keep decisions from Philox are exact, kept values are x·scale
/// in float on both sides, so device and reference agree bit for bit.
struct DropoutCase: KernelCase {
    let P, n, B, Bt, hOff, start: Int, rate: Float, seed: UInt64
    var name: String { "dropout_apply P \(P) n \(n) B \(B) Bt \(Bt) hOff \(hOff) start \(start) rate \(rate)" }
    func run<B_: ComputeBackend>(_ h: Harness<B_>) throws -> [[Float]] {
        var r = TestRandom(seed)
        let x = try h.f(r.floats(P * B * n).map { max($0, 0) })
        let keys = (0..<P).flatMap { p -> [UInt32] in
            let k = Philox.key(seed: UInt64(p * 13 + 1), purpose: .dropout); return [k.0, k.1]
        }
        let session: [UInt32] = (0..<P).map { UInt32($0 % 3 + 1) }
        let active: [UInt32] = (0..<P).map { $0 % 5 == 4 ? 0 : 1 }
        try h.b.dropoutApply(
            P: P, n: n, B: B, Bt: Bt, hOff: hOff, start: start, epoch: 2, rate: rate, scale: 1 / (1 - rate),
            keys: try h.u(keys), session: try h.u(session), active: try h.u(active), x: x)
        return [try h.read(x, P * B * n)]
    }
}

/// select_kth_abs and mask_magnitude over a range (stride, offset) of each model's array: a layer's
/// slice of the weights. Values on a coarse grid, so ties and zeros occur.
struct RangeSelectCase: KernelCase {
    let P, stride, offset, C: Int, seed: UInt64
    var name: String { "select_kth_abs + mask_magnitude over a range P \(P) stride \(stride) offset \(offset) C \(C)" }
    func run<B_: ComputeBackend>(_ h: Harness<B_>) throws -> [[Float]] {
        var r = TestRandom(seed)
        let values = r.floats(P * stride).enumerated().map { i, v -> Float in i % 5 == 0 ? 0 : (v * 8).rounded() / 8 }
        let vb = try h.f(values)
        let ranks = (0..<P).map { p in UInt32((p * 7919 + 3) % C) }
        let active: [UInt32] = (0..<P).map { $0 % 5 == 4 ? 0 : 1 }
        let act = try h.u(active)
        let lo = try h.f([Float](repeating: -1, count: P)), hi = try h.f([Float](repeating: -1, count: P))
        try h.b.selectKthAbs(P: P, C: C, stride: stride, offset: offset, values: vb, rank: try h.u(ranks), active: act, out: lo)
        try h.b.selectKthAbs(P: P, C: C, stride: stride, offset: offset, values: vb, rank: try h.u(ranks.map { min($0 + 1, UInt32(C - 1)) }), active: act, out: hi)
        let mask = try h.f(r.mask(P * stride, density: 0.9))
        try h.b.maskMagnitude(
            P: P, C: C, stride: stride, offset: offset, W: vb, lo: lo, hi: hi,
            interp: try h.u((0..<P).map { UInt32($0 % 2) }), active: act, mask: mask)
        return [try h.read(lo, P), try h.read(hi, P), try h.read(mask, P * stride)]
    }
}

final class SoftmaxDropoutKernelTests: XCTestCase {
    func testSoftmaxCrossEntropyKernels() throws {
        // The loss sum adds up to ~100 rows of terms up to ~2000 in float: 1e-4 relative; the
        // gradients are differences of probabilities in [0, 1]: 1e-6 absolute.
        for (n, c) in [(1, 1, 1, 1), (3, 10, 93, 93), (6, 7, 16, 13), (65, 10, 128, 100)].enumerated() {
            try assertBackendsAgree(SoftmaxCase(P: c.0, m: c.1, B: c.2, Bt: c.3, seed: UInt64(600 + n)), atol: 1e-5, rtol: 1e-4)
        }
    }

    func testSoftmaxLossOfHugeLogitsIsFiniteAndExact() throws {
        // Row z = (1000, −1000, 0), target class 0: loss = log(1 + e^−2000 + e^−1000) ≈ 0; target class 1: ≈ 2000.
        let b = ReferenceBackend(), dev = try openCLBackend()
        for backend in [b as any ComputeBackend, dev as any ComputeBackend] {
            func run<B: ComputeBackend>(_ b: B) throws -> ([Float], [UInt32]) {
                let z = try b.makeFloats(6, label: "z"), t = try b.makeFloats(6, label: "t"), act = try b.makeUInts(1, label: "a")
                let loss = try b.makeFloats(1, label: "l"), ok = try b.makeUInts(1, label: "c")
                try b.write([1000, -1000, 0, 1000, -1000, 0], to: z, offset: 0)
                try b.write([1, 0, 0, 0, 1, 0], to: t, offset: 0)
                try b.write([1], to: act, offset: 0)
                try b.softmaxEvalAccumulate(P: 1, m: 3, B: 2, Bt: 2, tOff: 0, z: z, targets: t, active: act, lossSum: loss, correct: ok)
                return (try b.read(loss, offset: 0, count: 1), try b.read(ok, offset: 0, count: 1))
            }
            let (loss, ok) = try run(backend)
            XCTAssertEqual(loss[0], 2000, accuracy: 1e-3, "\(backend.deviceDescription)")
            XCTAssertEqual(ok[0], 1, "only the first row is right")
        }
    }

    func testDropoutKernel() throws {
        for (n, c) in [(1, 1, 1, 1, 0, 0), (3, 7, 8, 7, 5, 16), (2, 93, 16, 13, 0, 93), (65, 24, 8, 8, 30, 0)].enumerated() {
            for rate: Float in [0, 0.5, 0.9] {
                try assertBackendsAgree(
                    DropoutCase(P: c.0, n: c.1, B: c.2, Bt: c.3, hOff: c.4, start: c.5, rate: rate, seed: UInt64(700 + n)),
                    atol: 0, rtol: 0)
            }
        }
    }

    func testDropoutKeepsAboutOneMinusRateAndScalesThem() throws {
        let b = ReferenceBackend()
        let P = 2, n = 100, B = 50, rate: Float = 0.3
        let x = try b.makeFloats(P * B * n, label: "x"), keys = try b.makeUInts(2 * P, label: "k")
        let session = try b.makeUInts(P, label: "s"), act = try b.makeUInts(P, label: "a")
        try b.write([Float](repeating: 1, count: P * B * n), to: x, offset: 0)
        try b.write([1, 2, 3, 4], to: keys, offset: 0)
        try b.write([1, 1], to: act, offset: 0)
        try b.dropoutApply(P: P, n: n, B: B, Bt: B, hOff: 0, start: 0, epoch: 0, rate: rate, scale: 1 / (1 - rate), keys: keys, session: session, active: act, x: x)
        let out = try b.read(x, offset: 0, count: P * B * n)
        let kept = out.filter { $0 != 0 }
        XCTAssert(kept.allSatisfy { $0 == 1 / (1 - rate) }, "kept units are scaled by 1/(1 − rate)")
        // 10,000 Bernoulli(0.7) draws: σ ≈ 0.0046, so ±0.02 is > 4σ.
        XCTAssertEqual(Double(kept.count) / Double(out.count), 0.7, accuracy: 0.02)
    }

    func testRangeSelectionAndMasks() throws {
        for (n, c) in [(1, 1, 0, 1), (3, 20, 7, 7), (2, 200, 50, 93), (6, 1200, 7, 1000)].enumerated() {
            try assertBackendsAgree(RangeSelectCase(P: c.0, stride: c.1, offset: c.2, C: c.3, seed: UInt64(800 + n)), atol: 0, rtol: 0)
        }
    }

    /// The parallel radix path (used for large layers) over a range equals the reference.
    func testParallelRangeSelectionEqualsReference() throws {
        let dev = try openCLBackend()
        dev.parallelSelectThreshold = 1
        let ref = ReferenceBackend()
        for (P, stride, offset, C) in [(1, 1, 0, 1), (3, 100, 7, 93), (2, 20_000, 1_234, 17_000)] {
            var r = TestRandom(UInt64(C))
            let values = r.floats(P * stride).enumerated().map { i, v -> Float in i % 4 == 0 ? 0 : (v * 64).rounded() / 64 }
            let ranks = (0..<P).map { p in UInt32((p * 7919 + 11) % C) }
            func select<B: ComputeBackend>(_ b: B) throws -> [Float] {
                let h = Harness(b: b), out = try h.f([Float](repeating: -1, count: P))
                try b.selectKthAbs(
                    P: P, C: C, stride: stride, offset: offset, values: try h.f(values), rank: try h.u(ranks),
                    active: try h.u([UInt32](repeating: 1, count: P)), out: out)
                return try h.read(out, P)
            }
            XCTAssertEqual(try select(dev), try select(ref), "P \(P) stride \(stride) offset \(offset) C \(C)")
        }
    }
}
