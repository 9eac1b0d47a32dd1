import OpenCLBackend
import ReferenceBackend
import SculptCore
import TestSupport
import XCTest

/// The three uses of gemm (forward, backward to inputs, backward to weights) with the strides the
/// training code passes, on every kernel variant, against the reference.
struct GemmCase: KernelCase {
    enum Use: String { case forward, backwardData, backwardWeights }
    let use: Use, P: Int, rows: Int, nIn: Int, nOut: Int, seed: UInt64
    var name: String { "gemm \(use.rawValue) P \(P) rows \(rows) nIn \(nIn) nOut \(nOut)" }

    func run<B: ComputeBackend>(_ h: Harness<B>) throws -> [[Float]] {
        var r = TestRandom(seed)
        let cap = rows + 3  // capacity larger than the rows in use
        let wOff = 5, WT = wOff + nIn * nOut, bOff = 2, BT = bOff + nOut
        let W = zip(r.floats(P * WT), r.mask(P * WT, density: 0.5)).map { $0 * $1 }
        let active: [UInt32] = (0..<P).map { $0 % 5 == 4 ? 0 : 1 }
        let act = try h.u(active)
        switch use {
        case .forward:
            let input = r.floats(P * cap * nIn), bias = r.floats(P * BT)
            let out = try h.f([Float](repeating: -1, count: P * cap * nOut))
            try h.b.gemm(
                P: P, M: rows, N: nOut, K: nIn, a: try h.f(input), aOff: 0, sAp: cap * nIn, sAm: nIn, sAk: 1,
                b: try h.f(W), bOff: wOff, sBp: WT, sBk: 1, sBn: nIn, c: out, cOff: 0, sCp: cap * nOut, ldc: nOut,
                bias: try h.f(bias), biasOff: bOff, sBiasP: BT, relu: true, gate: nil, gOff: 0, sGp: 0, ldg: 0, active: act)
            return [try h.read(out, P * cap * nOut)]
        case .backwardData:
            let dOut = r.floats(P * cap * nOut), a = r.floats(P * cap * nIn).map { max($0, 0) }
            let dIn = try h.f([Float](repeating: -1, count: P * cap * nIn))
            try h.b.gemm(
                P: P, M: rows, N: nIn, K: nOut, a: try h.f(dOut), aOff: 0, sAp: cap * nOut, sAm: nOut, sAk: 1,
                b: try h.f(W), bOff: wOff, sBp: WT, sBk: nIn, sBn: 1, c: dIn, cOff: 0, sCp: cap * nIn, ldc: nIn,
                bias: nil, biasOff: 0, sBiasP: 0, relu: false, gate: try h.f(a), gOff: 0, sGp: cap * nIn, ldg: nIn, active: act)
            return [try h.read(dIn, P * cap * nIn)]
        case .backwardWeights:
            let dOut = r.floats(P * cap * nOut), input = r.floats(P * cap * nIn)
            let gW = try h.f([Float](repeating: -1, count: P * WT)), gb = try h.f([Float](repeating: -1, count: P * BT))
            let dOutB = try h.f(dOut)
            try h.b.gemm(
                P: P, M: nOut, N: nIn, K: rows, a: dOutB, aOff: 0, sAp: cap * nOut, sAm: 1, sAk: nOut,
                b: try h.f(input), bOff: 0, sBp: cap * nIn, sBk: nIn, sBn: 1, c: gW, cOff: wOff, sCp: WT, ldc: nIn,
                bias: nil, biasOff: 0, sBiasP: 0, relu: false, gate: nil, gOff: 0, sGp: 0, ldg: 0, active: act)
            try h.b.biasGrad(P: P, nOut: nOut, B: cap, Bt: rows, BT: BT, bOff: bOff, dOut: dOutB, active: act, gb: gb)
            return [try h.read(gW, P * WT), try h.read(gb, P * BT)]
        }
    }
}

final class GemmKernelTests: XCTestCase {
    /// One backend per variant for the whole class (building programs is the slow part on PoCL).
    nonisolated(unsafe) static var backends: [OpenCLBackend.GemmVariant: OpenCLBackend] = [:]  // XCTest runs a class serially

    /// Compares `c` on the reference and on an OpenCL backend forced to `variant`.
    func check(_ c: GemmCase, _ variant: OpenCLBackend.GemmVariant, atol: Float, rtol: Float) throws {
        let device = try TestDevice.require()
        if Self.backends[variant] == nil { Self.backends[variant] = try OpenCLBackend(device: device, gemm: variant) }
        let ref = try c.run(Harness(b: ReferenceBackend()))
        let dev = try c.run(Harness(b: Self.backends[variant]!))
        for out in ref + dev { XCTAssert(out.suffix(canaryTail).allSatisfy { $0 == canary }, "\(c.name) [\(variant)]: canary overwritten") }
        if let m = mismatches(dev.flatMap { $0 }, ref.flatMap { $0 }, atol: atol, rtol: rtol) {
            XCTFail("\(c.name) [\(variant)]: \(m)")
        }
    }

    func testAwkwardSizesOnEveryVariant() throws {
        // Sizes around the blocks (4 rows, 16 or 4 columns, 8-wide k, 64-tiles): 1, 7, 17, 93.
        let shapes = [(1, 1, 1, 1), (3, 7, 17, 5), (2, 93, 7, 33), (6, 17, 64, 16), (1, 4, 16, 8)]
        var seed: UInt64 = 900
        for (P, rows, nIn, nOut) in shapes {
            for use in [GemmCase.Use.forward, .backwardData, .backwardWeights] {
                for variant in [OpenCLBackend.GemmVariant.cpu, .gpu] {
                    seed += 1
                    // Sums of ≤ 93 products of N(0,1) values in float, another order than the reference.
                    try check(GemmCase(use: use, P: P, rows: rows, nIn: nIn, nOut: nOut, seed: seed), variant, atol: 5e-5, rtol: 1e-4)
                }
            }
        }
    }

    func testPaperSizedLayer() throws {
        // A 1568-wide layer (docs/method.md §8's MNIST inputs) at a small batch: sums of 1568 products;
        // float error grows like √K·2^-24·Σ|terms| ≈ 1e-4 here.
        for use in [GemmCase.Use.forward, .backwardData, .backwardWeights] {
            for variant in [OpenCLBackend.GemmVariant.cpu, .gpu] {
                try check(GemmCase(use: use, P: 1, rows: 19, nIn: 1568, nOut: 37, seed: 77), variant, atol: 2e-3, rtol: 1e-3)
            }
        }
    }
}

/// Every tuning macro overridden through `GemmTuning`: the kernels still match the reference,
/// because the launch geometry follows the macros.
final class GemmTuningTests: XCTestCase {
    func testEachOverriddenMacroStillMatchesTheReference() throws {
        let device = try TestDevice.require()
        let tunings = [
            GemmTuning(vecbRows: 3), GemmTuning(dotRows: 2), GemmTuning(dotColumns: 3), GemmTuning(tile: 32),
            GemmTuning(tile: 16, tileDepth: 8), GemmTuning(tileDepth: 5),
        ]
        var seed: UInt64 = 4_000
        for tuning in tunings {
            let backend = try OpenCLBackend(device: device, gemm: tuning.tile == 64 && tuning.tileDepth == 16 ? .cpu : .gpu, tuning: tuning)
            for use in [GemmCase.Use.forward, .backwardData, .backwardWeights] {
                seed += 1
                let c = GemmCase(use: use, P: 2, rows: 13, nIn: 37, nOut: 21, seed: seed)
                let ref = try c.run(Harness(b: ReferenceBackend()))
                let dev = try c.run(Harness(b: backend))
                if let m = mismatches(dev.flatMap { $0 }, ref.flatMap { $0 }, atol: 5e-5, rtol: 1e-4) {
                    XCTFail("\(c.name) with \(tuning.buildOptions): \(m)")
                }
            }
        }
    }

    func testImpossibleTuningIsRefused() throws {
        XCTAssertThrowsError(try GemmTuning(tile: 30).validate(maxWorkGroupSize: 1024, localMemoryBytes: 65536))
        XCTAssertThrowsError(try GemmTuning(tile: 128).validate(maxWorkGroupSize: 256, localMemoryBytes: 1 << 20))
        XCTAssertThrowsError(try GemmTuning(tile: 64, tileDepth: 64).validate(maxWorkGroupSize: 1024, localMemoryBytes: 16_384))
        XCTAssertNoThrow(try GemmTuning().validate(maxWorkGroupSize: 256, localMemoryBytes: 32_768))
    }
}
