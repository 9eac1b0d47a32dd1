@testable import OpenCLBackend
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

/// Who computes the product under test: one of the kernel variants, or OpenBLAS on mapped buffers.
enum GemmRoute: Hashable, CustomStringConvertible {
    case kernels(OpenCLBackend.GemmVariant)
    case blas, clblast
    static let all: [GemmRoute] = [.kernels(.cpu), .kernels(.gpu), .blas, .clblast]
    var description: String {
        switch self {
        case .kernels(let v): return "\(v.rawValue) kernels"
        case .blas: return "OpenBLAS"
        case .clblast: return "CLBlast"
        }
    }
}

final class GemmKernelTests: XCTestCase {
    /// One backend per route for the whole class (building programs is the slow part on PoCL).
    nonisolated(unsafe) static var backends: [GemmRoute: OpenCLBackend] = [:]  // XCTest runs a class serially

    static func backend(_ route: GemmRoute) throws -> OpenCLBackend {
        if let b = backends[route] { return b }
        let device = try TestDevice.require()
        let b: OpenCLBackend
        switch route {
        case .kernels(let v): b = try OpenCLBackend(device: device, gemm: v, path: .opencl)
        case .blas, .clblast:
            // Every product through the library, however small, so the awkward sizes reach it too.
            b = try OpenCLBackend(device: device, path: route == .blas ? .blas : .clblast)
            b.libraryGemmMinimum = 0
        }
        backends[route] = b
        return b
    }

    /// Compares `c` on the reference and on an OpenCL backend forced to `route`.
    func check(_ c: GemmCase, _ route: GemmRoute, atol: Float, rtol: Float) throws {
        let ref = try c.run(Harness(b: ReferenceBackend()))
        let backend = try Self.backend(route), before = backend.libraryProducts
        let dev = try c.run(Harness(b: backend))
        XCTAssertEqual(backend.libraryProducts > before, route == .blas || route == .clblast, "\(c.name) [\(route)]: the product took another path")
        for out in ref + dev { XCTAssert(out.suffix(canaryTail).allSatisfy { $0 == canary }, "\(c.name) [\(route)]: canary overwritten") }
        if let m = mismatches(dev.flatMap { $0 }, ref.flatMap { $0 }, atol: atol, rtol: rtol) {
            XCTFail("\(c.name) [\(route)]: \(m)")
        }
    }

    func testAwkwardSizesOnEveryVariant() throws {
        // Sizes around the blocks (4 rows, 16 or 4 columns, 8-wide k, 64-tiles): 1, 7, 17, 93.
        let shapes = [(1, 1, 1, 1), (3, 7, 17, 5), (2, 93, 7, 33), (6, 17, 64, 16), (1, 4, 16, 8)]
        var seed: UInt64 = 900
        for (P, rows, nIn, nOut) in shapes {
            for use in [GemmCase.Use.forward, .backwardData, .backwardWeights] {
                for route in GemmRoute.all {
                    seed += 1
                    // Sums of ≤ 93 products of N(0,1) values in float, another order than the reference.
                    try check(GemmCase(use: use, P: P, rows: rows, nIn: nIn, nOut: nOut, seed: seed), route, atol: 5e-5, rtol: 1e-4)
                }
            }
        }
    }

    func testPaperSizedLayer() throws {
        // A 1568-wide layer (docs/method.md §8's MNIST inputs) at a small batch: sums of 1568 products;
        // float error grows like √K·2^-24·Σ|terms| ≈ 1e-4 here.
        for use in [GemmCase.Use.forward, .backwardData, .backwardWeights] {
            for route in GemmRoute.all {
                try check(GemmCase(use: use, P: 1, rows: 19, nIn: 1568, nOut: 37, seed: 77), route, atol: 2e-3, rtol: 1e-3)
            }
        }
    }
}

/// The OpenBLAS route's choices that the products above do not reach on their own.
final class HostBLASTests: XCTestCase {
    /// The host epilogue in vectors of 16 equals the element-wise rule on every length (tails
    /// included), with NaN, −0 and a gate of NaN, 0 and −0 among the values.
    func testReluAndGateMatchTheElementwiseRule() {
        var r = TestRandom(77)
        for count in [0, 1, 15, 16, 17, 33, 392, 1568] {
            for (relu, gated) in [(true, false), (false, true), (true, true)] {
                var x = r.floats(count), gate = r.floats(count)
                for i in stride(from: 0, to: count, by: 7) { x[i] = [.nan, -0.0, 0, -1e-30][i % 4] }
                for i in stride(from: 3, to: count, by: 5) { gate[i] = [.nan, 0, -0.0][i % 3] }
                let expected = zip(x, gate).map { v, g -> Float in
                    var v = v
                    if relu && v < 0 { v = 0 }
                    if gated && !(g > 0) { v = 0 }
                    return v
                }
                var got = x
                got.withUnsafeMutableBufferPointer { out in
                    gate.withUnsafeMutableBufferPointer { gp in
                        guard let base = out.baseAddress else { return }  // count 0: nothing to do
                        OpenCLBackend.reluAndGate(base, gate: gated ? gp.baseAddress : nil, count: count, relu: relu)
                    }
                }
                XCTAssertEqual(got.map(\.bitPattern), expected.map(\.bitPattern), "count \(count) relu \(relu) gate \(gated)")
            }
        }
    }

    func testStridesMapToTheirBLASLayout() {
        // Row-major as stored, transposed, a single row or column, and strides no layout fits.
        XCTAssertEqual(OpenCLBackend.blasLayout(rows: 5, cols: 7, rowStride: 7, columnStride: 1)?.transpose, false)
        XCTAssertEqual(OpenCLBackend.blasLayout(rows: 5, cols: 7, rowStride: 9, columnStride: 1)?.ld, 9)
        XCTAssertEqual(OpenCLBackend.blasLayout(rows: 5, cols: 7, rowStride: 1, columnStride: 5)?.transpose, true)
        XCTAssertEqual(OpenCLBackend.blasLayout(rows: 1, cols: 7, rowStride: 0, columnStride: 1)?.ld, 7)
        XCTAssertEqual(OpenCLBackend.blasLayout(rows: 5, cols: 1, rowStride: 1, columnStride: 0)?.ld, 5)
        XCTAssertNil(OpenCLBackend.blasLayout(rows: 5, cols: 7, rowStride: 3, columnStride: 1))  // rows overlap
        XCTAssertNil(OpenCLBackend.blasLayout(rows: 5, cols: 7, rowStride: 14, columnStride: 2))
    }

    func testThreadCountFollowsTheEnvironment() {
        XCTAssertEqual(OpenCLBackend.defaultBLASThreads(["OPENBLAS_NUM_THREADS": "3", "OMP_NUM_THREADS": "5"]), 3)
        XCTAssertEqual(OpenCLBackend.defaultBLASThreads(["OMP_NUM_THREADS": "5"]), 5)
        XCTAssertEqual(OpenCLBackend.defaultBLASThreads(["OMP_NUM_THREADS": "zero"]), ProcessInfo.processInfo.activeProcessorCount)
    }

    func testThePathIsChosenFromTheDeviceAndRecorded() throws {
        let device = try TestDevice.require()
        let auto = try OpenCLBackend(device: device)
        XCTAssertEqual(auto.gemmPath, device.type == .cpu ? .blas : .opencl)
        XCTAssert(auto.matrixProducts.hasPrefix(auto.gemmPath.rawValue), auto.matrixProducts)
        XCTAssertThrowsError(try OpenCLBackend(device: device, path: .blas, blasThreads: 0))
    }

    /// Strides no BLAS layout fits fall back to the kernels, with the same result.
    func testUnfittingStridesFallBackToTheKernels() throws {
        let b = try GemmKernelTests.backend(.blas)
        let ref = ReferenceBackend()
        var r = TestRandom(31)
        let a = r.floats(40), bm = r.floats(40), act: [UInt32] = [1]
        func product<B: ComputeBackend>(_ h: Harness<B>) throws -> [Float] {
            let c = try h.f([Float](repeating: 0, count: 12))
            // A(m,k) = a[2m + 4k] (overlapping rows: no leading dimension describes it).
            try h.b.gemm(
                P: 1, M: 3, N: 4, K: 5, a: try h.f(a), aOff: 0, sAp: 0, sAm: 2, sAk: 4, b: try h.f(bm), bOff: 0, sBp: 0, sBk: 4, sBn: 1,
                c: c, cOff: 0, sCp: 0, ldc: 4, bias: nil, biasOff: 0, sBiasP: 0, relu: false, gate: nil, gOff: 0, sGp: 0, ldg: 0,
                active: try h.u(act))
            return try h.read(c, 12)
        }
        let before = b.libraryProducts
        if let m = mismatches(try product(Harness(b: b)), try product(Harness(b: ref)), atol: 1e-5, rtol: 1e-5) { XCTFail(m) }
        XCTAssertEqual(b.libraryProducts, before, "OpenBLAS took a layout it cannot describe")
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
            let backend = try OpenCLBackend(device: device, gemm: tuning.tile == 64 && tuning.tileDepth == 16 ? .cpu : .gpu, path: .opencl, tuning: tuning)
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

/// `--gemm auto` on devices other than CPUs: the measured choice is cached per device and driver.
final class GemmAutotuneTests: XCTestCase {
    func testTheChoiceIsMeasuredOnceAndThenReadFromTheCache() throws {
        let cache = NSTemporaryDirectory() + "sculpt-autotune-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: cache) }
        let env = ["XDG_CACHE_HOME": cache]
        let backend = try OpenCLBackend(device: try TestDevice.require(), path: .opencl)
        let first = GemmAutotune.choose(for: backend, width: 96, environment: env)
        XCTAssert(first.choice.openclSeconds > 0 && (first.choice.clblastSeconds ?? 0) > 0, "both paths were timed: \(first.choice)")
        XCTAssertEqual(first.path.rawValue, first.choice.path)
        XCTAssertEqual(first.path, first.choice.clblastSeconds! < first.choice.openclSeconds ? .clblast : .opencl, "the faster one")
        XCTAssertEqual(backend.gemmPath, .opencl, "measuring leaves the backend's own path alone")
        // A second choice reads the file: edit it to the other path and it is believed.
        let file = cache + "/sculpt/gemm-paths.json"
        let other = first.path == .opencl ? "clblast" : "opencl"
        let text = try String(contentsOfFile: file, encoding: .utf8).replacingOccurrences(of: "\"\(first.path.rawValue)\"", with: "\"\(other)\"")
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        XCTAssertEqual(GemmAutotune.choose(for: backend, width: 96, environment: env).path.rawValue, other)
        // A cache that cannot be read is measured again, not an error.
        try "not json".write(toFile: file, atomically: true, encoding: .utf8)
        XCTAssertEqual(GemmAutotune.choose(for: backend, width: 96, environment: env).choice.openclSeconds > 0, true)
    }
}
