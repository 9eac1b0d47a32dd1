import SculptCore
import TestSupport
import XCTest

// Every kernel of Kernels/ against its ReferenceBackend definition on seeded random inputs, sizes
// 1, 7, 93 and others that are not multiples of any work-group size, masks at 0/50/100% density.
//
// Tolerances: the reference accumulates in Double, the kernels in Float, in the same order; sums
// have at most ~100 terms of magnitude ~1, so |error| ≲ 100 · 2^-24 · |terms| ≈ 1e-5.
let sumAtol: Float = 2e-5
let sumRtol: Float = 1e-5

struct Geometry {
    let P, nIn, nOut, B, Bt: Int
    static let awkward: [Geometry] = [
        Geometry(P: 1, nIn: 1, nOut: 1, B: 1, Bt: 1),
        Geometry(P: 3, nIn: 7, nOut: 93, B: 8, Bt: 7),
        Geometry(P: 2, nIn: 93, nOut: 7, B: 16, Bt: 13),
        Geometry(P: 65, nIn: 4, nOut: 24, B: 8, Bt: 8),
    ]
}

struct DenseForwardCase: KernelCase {
    let g: Geometry, density: Double, relu: Bool, broadcast: Bool, seed: UInt64
    var name: String { "dense_forward \(g) density \(density) relu \(relu) broadcast \(broadcast)" }
    func run<B: ComputeBackend>(_ h: Harness<B>) throws -> [[Float]] {
        var r = TestRandom(seed)
        // Two layers of weights so the layer offset is exercised: layer 0 is [3][nIn], layer 1 ours.
        let wOff = 3 * g.nIn, WT = wOff + g.nOut * g.nIn, bOff = 3, BT = bOff + g.nOut
        let mask = r.mask(g.P * WT, density: density)
        let W = zip(r.floats(g.P * WT), mask).map { $0 * $1 }
        let bias = r.floats(g.P * BT)
        let inStride = broadcast ? 0 : g.B * g.nIn + 2
        let input = r.floats(broadcast ? 5 + g.B * g.nIn : g.P * inStride + 5)
        let active: [UInt32] = (0..<g.P).map { $0 % 5 == 4 ? 0 : 1 }
        let out = try h.f([Float](repeating: -1, count: g.P * g.B * g.nOut))
        try h.b.denseForward(
            P: g.P, nIn: g.nIn, nOut: g.nOut, B: g.B, Bt: g.Bt, inStride: inStride, inOff: broadcast ? 5 : 3,
            WT: WT, wOff: wOff, BT: BT, bOff: bOff, relu: relu,
            input: try h.f(input), W: try h.f(W), bias: try h.f(bias), active: try h.u(active), out: out)
        return [try h.read(out, g.P * g.B * g.nOut)]
    }
}

struct DenseBackwardDataCase: KernelCase {
    let g: Geometry, density: Double, seed: UInt64
    var name: String { "dense_backward_data \(g) density \(density)" }
    func run<B: ComputeBackend>(_ h: Harness<B>) throws -> [[Float]] {
        var r = TestRandom(seed)
        let wOff = 2, WT = wOff + g.nOut * g.nIn
        let W = zip(r.floats(g.P * WT), r.mask(g.P * WT, density: density)).map { $0 * $1 }
        let dOut = r.floats(g.P * g.B * g.nOut)
        let a = r.floats(g.P * g.B * g.nIn).map { max($0, 0) }  // ReLU outputs: about half are 0
        let active: [UInt32] = (0..<g.P).map { $0 % 5 == 4 ? 0 : 1 }
        let dIn = try h.f([Float](repeating: -1, count: g.P * g.B * g.nIn))
        try h.b.denseBackwardData(
            P: g.P, nIn: g.nIn, nOut: g.nOut, B: g.B, Bt: g.Bt, WT: WT, wOff: wOff,
            dOut: try h.f(dOut), W: try h.f(W), a: try h.f(a), active: try h.u(active), dIn: dIn)
        return [try h.read(dIn, g.P * g.B * g.nIn)]
    }
}

struct DenseBackwardWeightsCase: KernelCase {
    let g: Geometry, seed: UInt64
    var name: String { "dense_backward_weights \(g)" }
    func run<B: ComputeBackend>(_ h: Harness<B>) throws -> [[Float]] {
        var r = TestRandom(seed)
        let wOff = 4, WT = wOff + g.nOut * g.nIn, bOff = 1, BT = bOff + g.nOut
        let inStride = g.B * g.nIn
        let input = r.floats(g.P * inStride)
        let dOut = r.floats(g.P * g.B * g.nOut)
        let active: [UInt32] = (0..<g.P).map { $0 % 5 == 4 ? 0 : 1 }
        let gW = try h.f([Float](repeating: -1, count: g.P * WT)), gb = try h.f([Float](repeating: -1, count: g.P * BT))
        try h.b.denseBackwardWeights(
            P: g.P, nIn: g.nIn, nOut: g.nOut, B: g.B, Bt: g.Bt, inStride: inStride, inOff: 0,
            WT: WT, wOff: wOff, BT: BT, bOff: bOff, input: try h.f(input), dOut: try h.f(dOut),
            active: try h.u(active), gW: gW, gb: gb)
        return [try h.read(gW, g.P * WT), try h.read(gb, g.P * BT)]
    }
}

struct BatchGatherCase: KernelCase {
    let P, n0, m, N, B, Bt, start: Int, sigma: Float, seed: UInt64
    var name: String { "batch_gather P \(P) n0 \(n0) m \(m) N \(N) B \(B) Bt \(Bt) σ \(sigma)" }
    func run<B_: ComputeBackend>(_ h: Harness<B_>) throws -> [[Float]] {
        var r = TestRandom(seed)
        let data = r.bits(N * n0), targets = r.bits(N * m)
        var perm: [UInt32] = []
        for p in 0..<P { perm += Training_epochOrder(N, UInt64(p) + seed) }
        let keys = (0..<P).flatMap { p -> [UInt32] in
            let k = Philox.key(seed: UInt64(p * 31), purpose: .inputNoise); return [k.0, k.1]
        }
        let session: [UInt32] = (0..<P).map { UInt32($0 % 3 + 1) }
        let active: [UInt32] = (0..<P).map { $0 % 5 == 4 ? 0 : 1 }
        let x = try h.f([Float](repeating: -1, count: P * B * n0)), y = try h.f([Float](repeating: -1, count: P * B * m))
        try h.b.batchGather(
            P: P, n0: n0, m: m, N: N, B: B, Bt: Bt, start: start, epoch: 3, sigma: sigma,
            data: try h.f(data), targets: try h.f(targets), perm: try h.u(perm), keys: try h.u(keys),
            session: try h.u(session), active: try h.u(active), x: x, y: y)
        return [try h.read(x, P * B * n0), try h.read(y, P * B * m)]
    }
}

/// A fixed permutation for tests (Fisher–Yates from a Philox stream).
func Training_epochOrder(_ n: Int, _ seed: UInt64) -> [UInt32] {
    var rng = PhiloxStream(seed: seed, purpose: .shuffle)
    var o = (0..<n).map { UInt32($0) }
    rng.fisherYates(&o)
    return o
}

struct BCECase: KernelCase {
    let P, m, B, Bt: Int, seed: UInt64
    var saturate = false
    var name: String { "bce_grad + bce_eval_accumulate P \(P) m \(m) B \(B) Bt \(Bt) saturate \(saturate)" }
    func run<B_: ComputeBackend>(_ h: Harness<B_>) throws -> [[Float]] {
        var r = TestRandom(seed)
        // Logits up to ±60 exercise both branches of the stable sigmoid and log1p(exp(−|z|)).
        let z = r.floats(P * B * m, scale: 20), y = r.bits(P * B * m)
        let targets = r.bits(7 * m + Bt * m)
        let active: [UInt32] = (0..<P).map { $0 % 5 == 4 ? 0 : 1 }
        let dz = try h.f([Float](repeating: -1, count: P * B * m))
        let loss = try h.f((0..<P).map { Float($0) }), ok = try h.u((0..<P).map { UInt32($0) })
        let zb = try h.f(z), act = try h.u(active)
        try h.b.bceGrad(P: P, m: m, B: B, Bt: Bt, scale: 1 / Float(Bt * m), yStride: B * m, yOff: 0, saturate: saturate, z: zb, y: try h.f(y), active: act, dz: dz)
        try h.b.bceEvalAccumulate(P: P, m: m, B: B, Bt: Bt, tOff: 7 * m, z: zb, targets: try h.f(targets), active: act, lossSum: loss, correct: ok)
        return [try h.read(dz, P * B * m), try h.read(loss, P), try h.read(ok, P)]
    }
}

struct AdamCase: KernelCase {
    let P, C: Int, density: Double, seed: UInt64
    var name: String { "adam_step P \(P) C \(C) density \(density)" }
    func run<B: ComputeBackend>(_ h: Harness<B>) throws -> [[Float]] {
        var r = TestRandom(seed)
        let mask = r.mask(P * C, density: density)
        let param = zip(r.floats(P * C), mask).map { $0 * $1 }
        let m1v = r.floats(P * C, scale: 0.1), m2v = r.floats(P * C, scale: 0.1).map { $0 * $0 }
        let lr = (0..<P).map { 0.01 * Float($0 + 1) }
        let active: [UInt32] = (0..<P).map { $0 % 5 == 4 ? 0 : 1 }
        let pb = try h.f(param), a = try h.f(m1v), v = try h.f(m2v)
        try h.b.adamStep(
            P: P, C: C, wd: 1e-4, beta1: 0.9, beta2: 0.999, eps: 1e-8, bc1: 1 - 0.9 * 0.9 * 0.9, bc2: 1 - 0.999 * 0.999 * 0.999,
            lr: try h.f(lr), active: try h.u(active), mask: try h.f(mask), grad: try h.f(r.floats(P * C)),
            param: pb, m1: a, m2: v)
        return [try h.read(pb, P * C), try h.read(a, P * C), try h.read(v, P * C)]
    }
}

struct PopulationKernelsCase: KernelCase {
    let P: Int, seed: UInt64
    var ruleScale: Float = 1
    var name: String { "snapshot_rule, select_copy, mask_derive_bias, mask_apply P \(P) rule scale \(ruleScale)" }
    func run<B: ComputeBackend>(_ h: Harness<B>) throws -> [[Float]] {
        var r = TestRandom(seed)
        // Losses on both sides of 1000, equal and unequal counts, so every branch of the rule is taken.
        let lossSum = (0..<P).map { p -> Float in p % 4 == 3 ? 5e6 : Float(p % 3) * 16 }
        let correct = (0..<P).map { UInt32(10 + $0 % 3) }
        let bestLoss = (0..<P).map { p -> Float in p % 2 == 0 ? 1 : 1000 }
        let bestCorrect = (0..<P).map { UInt32(11 + $0 % 2) }
        let active: [UInt32] = (0..<P).map { $0 % 5 == 4 ? 0 : 1 }
        let bl = try h.f(bestLoss), bc = try h.u(bestCorrect), flag = try h.u([UInt32](repeating: 9, count: P))
        let hl = try h.f([Float](repeating: -1, count: 2 * P)), hc = try h.u([UInt32](repeating: 5, count: 2 * P))
        let act = try h.u(active)
        try h.b.snapshotRule(
            P: P, epoch: 1, NM: 16, ruleScale: ruleScale, lossSum: try h.f(lossSum), correct: try h.u(correct), active: act,
            bestLoss: bl, bestCorrect: bc, flag: flag, histLoss: hl, histCorrect: hc)
        let C = 37
        let src = try h.f(r.floats(P * C)), dst = try h.f(r.floats(P * C))
        try h.b.selectCopy(P: P, C: C, flag: flag, src: src, dst: dst)
        // Masks of a [7,5] layer at offset 3 with some rows all zero.
        let nIn = 7, nOut = 5, wOff = 3, WT = wOff + nIn * nOut, bOff = 2, BT = bOff + nOut
        var mask = r.mask(P * WT, density: 0.3)
        for p in 0..<P { for i in 0..<nIn { mask[p * WT + wOff + (p % nOut) * nIn + i] = 0 } }
        let mb = try h.f(mask), bm = try h.f([Float](repeating: -1, count: P * BT))
        try h.b.maskDeriveBias(P: P, nIn: nIn, nOut: nOut, WT: WT, wOff: wOff, BT: BT, bOff: bOff, mask: mb, bm: bm)
        let params = try h.f(r.floats(P * WT))
        try h.b.maskApply(P: P, C: WT, active: act, mask: mb, param: params)
        return [
            try h.read(bl, P), try h.read(bc, P), try h.read(flag, P), try h.read(hl, 2 * P), try h.read(hc, 2 * P),
            try h.read(dst, P * C), try h.read(bm, P * BT), try h.read(params, P * WT),
        ]
    }
}

final class KernelTests: XCTestCase {
    func testDenseForward() throws {
        var seed: UInt64 = 1
        for g in Geometry.awkward {
            for density in [0.0, 0.5, 1.0] {
                for relu in [false, true] {
                    for broadcast in [false, true] {
                        seed += 1
                        try assertBackendsAgree(
                            DenseForwardCase(g: g, density: density, relu: relu, broadcast: broadcast, seed: seed),
                            atol: sumAtol, rtol: sumRtol)
                    }
                }
            }
        }
    }

    func testDenseBackwardData() throws {
        for (n, g) in Geometry.awkward.enumerated() {
            for density in [0.0, 0.5, 1.0] {
                try assertBackendsAgree(DenseBackwardDataCase(g: g, density: density, seed: UInt64(100 + n)), atol: sumAtol, rtol: sumRtol)
            }
        }
    }

    func testDenseBackwardWeights() throws {
        for (n, g) in Geometry.awkward.enumerated() {
            try assertBackendsAgree(DenseBackwardWeightsCase(g: g, seed: UInt64(200 + n)), atol: sumAtol, rtol: sumRtol)
        }
    }

    func testBatchGatherWithAndWithoutNoise() throws {
        for (n, c) in [(1, 1, 1, 1, 1, 1, 0), (3, 7, 5, 93, 16, 13, 80), (6, 4, 4, 16, 8, 8, 8)].enumerated() {
            for sigma: Float in [0, 0.1] {
                // Box–Muller uses log/cos/sin, which may differ by an ulp between libm and the device.
                try assertBackendsAgree(
                    BatchGatherCase(P: c.0, n0: c.1, m: c.2, N: c.3, B: c.4, Bt: c.5, start: c.6, sigma: sigma, seed: UInt64(n)),
                    atol: 1e-5, rtol: 1e-5)
            }
        }
    }

    func testBCE() throws {
        // The loss sum adds up to 93·7 terms of size up to ~60 in float: allow 1e-4 relative.
        for (n, c) in [(1, 1, 1, 1), (3, 7, 93, 93), (6, 16, 8, 5)].enumerated() {
            try assertBackendsAgree(BCECase(P: c.0, m: c.1, B: c.2, Bt: c.3, seed: UInt64(300 + n)), atol: 1e-5, rtol: 1e-4)
            try assertBackendsAgree(BCECase(P: c.0, m: c.1, B: c.2, Bt: c.3, seed: UInt64(300 + n), saturate: true), atol: 1e-5, rtol: 1e-4)
        }
    }

    /// The reference's saturating gradient zeroes exactly the confidently wrong outputs (σ rounds to
    /// 1 with target 0, or to 0 with target 1) and leaves every other gradient as it was.
    func testSaturatingBCEZeroesOnlyConfidentlyWrongOutputs() throws {
        let c = BCECase(P: 3, m: 7, B: 93, Bt: 93, seed: 301)
        var s = c
        s.saturate = true
        let plain = try c.run(Harness(b: try openCLBackend()))[0], sat = try s.run(Harness(b: try openCLBackend()))[0]
        var r = TestRandom(301)
        let z = r.floats(3 * 93 * 7, scale: 20), y = r.bits(3 * 93 * 7)
        var zeroed = 0
        for e in 0..<z.count where e / (93 * 7) % 5 != 4 {
            let wrong = (z[e] > 17 && y[e] == 0) || (z[e] < -104 && y[e] == 1)
            if wrong { zeroed += 1; XCTAssertEqual(sat[e], 0, "element \(e): z \(z[e]) y \(y[e])") }
            if abs(z[e]) < 16 { XCTAssertEqual(sat[e], plain[e], "element \(e) is not saturated") }
        }
        XCTAssertGreaterThan(zeroed, 0, "some outputs were confidently wrong")
    }

    func testAdam() throws {
        for (n, c) in [(1, 1), (3, 93), (7, 1000), (2, 4099)].enumerated() {
            for density in [0.0, 0.5, 1.0] {
                // One update: float vs double arithmetic of a handful of operations, ~1e-6 relative.
                try assertBackendsAgree(AdamCase(P: c.0, C: c.1, density: density, seed: UInt64(400 + n)), atol: 1e-6, rtol: 1e-5)
            }
        }
    }

    /// Every chunk length (parameters per work-item) gives the same bits: the CPU and GPU layouts
    /// differ only in which work-item updates a parameter.
    func testAdamChunksAgree() throws {
        var outputs: [[[Float]]] = []
        for chunk in [1, 3, 64, 5000] {
            let b = try openCLBackend()
            b.adamChunk = chunk
            outputs.append(try AdamCase(P: 3, C: 4099, density: 0.5, seed: 450).run(Harness(b: b)))
        }
        for (k, o) in outputs.enumerated().dropFirst() { XCTAssertEqual(o, outputs[0], "chunk #\(k)") }
    }

    func testPopulationKernels() throws {
        for P in [1, 7, 93] {
            for scale: Float in [1, 2, .infinity] {
                try assertBackendsAgree(PopulationKernelsCase(P: P, seed: UInt64(P), ruleScale: scale), atol: 0, rtol: 0)
            }
        }
    }
}
