import CLRuntime
import SculptKernels
import TestSupport
import XCTest

/// y[i] = a·x[i] + y[i] where mask[i] != 0 (masks are floats 0/1, docs/layout.md "Conventions").
private let saxpySource = """
    __kernel void saxpy_masked(const int n, const float a,
                               __global const float *x, __global float *y, __global const float *mask)
    {
        const int i = get_global_id(0);
        if (i >= n) return;
        if (mask[i] != 0.0f) y[i] = a * x[i] + y[i];
    }
    """

/// The device may contract `a*x + y` into an FMA, which differs from Swift's two roundings by at most
/// half an ulp of a·x: |a·x| < 2.5 here, so ≤ 1.5e-7 absolute. A few ulps relative covers the rest.
private let saxpyAtol: Float = 1e-6
private let saxpyRtol: Float = 1e-6

final class KernelTests: XCTestCase {
    func testMaskedSaxpyMatchesSwift() throws {
        let context = try requireContext()
        let queue = try context.makeQueue()
        let program = try context.program(source: saxpySource, name: "saxpy test")
        let kernel = try program.kernel("saxpy_masked")
        var rng = SplitMix64(seed: 3)
        let a: Float = 2.5
        for n in awkwardSizes {
            for density in [0.0, 0.5, 1.0] {
                for local in [[64], nil] as [[Int]?] {
                    let x = [Float].random(n, &rng)
                    let y = [Float].random(n, &rng)
                    let mask: [Float] = (0..<n).map { _ in Double.random(in: 0..<1, using: &rng) < density ? 1 : 0 }
                    let yBuffer = try context.buffer(y + [Float](repeating: canaryFloat, count: canaryCount), label: "y")
                    try kernel.set(0, Int32(n))
                    try kernel.set(1, a)
                    try kernel.set(2, context.buffer(x, label: "x"))
                    try kernel.set(3, yBuffer)
                    try kernel.set(4, context.buffer(mask, label: "mask"))
                    try queue.enqueue(kernel, global: [n], local: local)
                    let out = try queue.read(yBuffer)
                    let expected = (0..<n).map { mask[$0] != 0 ? a * x[$0] + y[$0] : y[$0] }
                    let what = "n = \(n), density \(density), local \(local.map { "\($0)" } ?? "any")"
                    XCTAssertNil(mismatches(Array(out[..<n]), expected, atol: saxpyAtol, rtol: saxpyRtol), what)
                    XCTAssertEqual(Array(out[n...]), [Float](repeating: canaryFloat, count: canaryCount), "canary tail overwritten, \(what)")
                }
            }
        }
    }

    /// `fill_float` / `fill_int` from `Kernels/util.cl`, through `KernelSources`.
    func testUtilFillKernels() throws {
        let context = try requireContext()
        let queue = try context.makeQueue()
        let program = try context.program(source: KernelSources.source("util"), name: "util")
        let fillFloat = try program.kernel("fill_float")
        let fillInt = try program.kernel("fill_int")
        for n in awkwardSizes {
            let floats = try context.buffer([Float](repeating: canaryFloat, count: n + canaryCount))
            try fillFloat.set(0, Int32(n))
            try fillFloat.set(1, Float(0.5))
            try fillFloat.set(2, floats)
            try queue.enqueue(fillFloat, global: [n], local: [64])
            XCTAssertEqual(try queue.read(floats), [Float](repeating: 0.5, count: n) + [Float](repeating: canaryFloat, count: canaryCount), "n = \(n)")

            let ints = try context.buffer([Int32](repeating: canaryInt, count: n + canaryCount))
            try fillInt.set(0, Int32(n))
            try fillInt.set(1, Int32(-3))
            try fillInt.set(2, ints)
            try queue.enqueue(fillInt, global: [n], local: [64])
            XCTAssertEqual(try queue.read(ints), [Int32](repeating: -3, count: n) + [Int32](repeating: canaryInt, count: canaryCount), "n = \(n)")
        }
    }

    func testProfilingEvent() throws {
        let context = try requireContext()
        let queue = try context.makeQueue()
        let kernel = try context.program(source: KernelSources.source("util"), name: "util").kernel("fill_float")
        let buffer = try context.buffer(Float.self, count: 1000)
        try kernel.set(0, Int32(1000))
        try kernel.set(1, Float(1))
        try kernel.set(2, buffer)
        let event = try queue.enqueue(kernel, global: [1000], event: true)
        let seconds = try XCTUnwrap(event).seconds()
        XCTAssertGreaterThanOrEqual(seconds, 0)
        XCTAssertLessThan(seconds, 60)
        XCTAssertNil(try queue.enqueue(kernel, global: [1000]), "no event unless asked for")
    }

    func testBuildFailureCarriesTheBuildLog() throws {
        let context = try requireContext()
        let source = "__kernel void broken(__global float *x) { x[0] = undefined_symbol_zq9; }\n"
        for attempt in 1...2 {  // a failed build is not cached: the second attempt fails the same way
            XCTAssertThrowsError(try context.program(source: source, name: "broken")) { error in
                guard let error = error as? CLError else { return XCTFail("expected CLError, got \(error)") }
                XCTAssertEqual(error.codeName, "CL_BUILD_PROGRAM_FAILURE", "attempt \(attempt)")
                XCTAssertEqual(error.call, "clBuildProgram")
                let log = try? XCTUnwrap(error.buildLog)
                XCTAssertTrue(log?.contains("undefined_symbol_zq9") ?? false, "build log should name the bad symbol: \(log ?? "nil")")
                XCTAssertTrue(error.description.contains("undefined_symbol_zq9"), error.description)
                XCTAssertTrue(error.description.contains("broken"), "the description names the program")
            }
        }
    }

    func testUnknownKernelNameIsACLError() throws {
        let context = try requireContext()
        let program = try context.program(source: KernelSources.source("util"), name: "util")
        XCTAssertThrowsError(try program.kernel("fill_nothing")) { error in
            XCTAssertEqual((error as? CLError)?.codeName, "CL_INVALID_KERNEL_NAME", "\(error)")
            XCTAssertTrue(String(describing: error).contains("fill_nothing"))
        }
    }

    func testProgramCacheReturnsTheSameProgram() throws {
        let context = try requireContext()
        let p1 = try context.program(source: saxpySource)
        let p2 = try context.program(source: saxpySource)
        XCTAssertTrue(p1 === p2, "same source and options: the cached program")
        let p3 = try context.program(source: saxpySource, options: "-DUNUSED=1")
        XCTAssertFalse(p1 === p3, "other options: another program")
        XCTAssertTrue(p3 === (try context.program(source: saxpySource, options: "-DUNUSED=1")))
        let other = try CLContext(device: context.device)
        XCTAssertFalse(p1 === (try other.program(source: saxpySource)), "the cache is per context")

        // From many threads at once: still one program.
        let source = saxpySource + "\n// concurrent cache test\n"
        let collected = Locked<[ObjectIdentifier]>([])
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            let p = try? context.program(source: source)
            collected.withLock { $0.append(p.map(ObjectIdentifier.init) ?? ObjectIdentifier(NSNull())) }
        }
        let programs = collected.current
        XCTAssertEqual(Set(programs).count, 1)
        XCTAssertEqual(programs.first, ObjectIdentifier(try context.program(source: source)))
    }

    // MARK: - Lifetimes

    /// A context with a queue, a cached program, a kernel and buffers is released once the caller drops
    /// them all (the program cache must not keep its context alive through a cycle).
    func testContextIsReleased() throws {
        let device = try requireContext().device
        weak var weakContext: CLContext?
        weak var weakProgram: CLProgram?
        try inScope {
            let context = try CLContext(device: device)
            weakContext = context
            let queue = try context.makeQueue()
            let program = try context.program(source: saxpySource)
            weakProgram = program
            let kernel = try program.kernel("saxpy_masked")
            let x = try context.buffer([Float](repeating: 1, count: 10))
            let y = try context.buffer(Float.self, count: 10)
            let mask = try context.buffer([Float](repeating: 1, count: 10))
            try kernel.set(0, Int32(10)); try kernel.set(1, Float(2))
            try kernel.set(2, x); try kernel.set(3, y); try kernel.set(4, mask)
            try queue.enqueue(kernel, global: [10])
            XCTAssertEqual(try queue.read(y), [Float](repeating: 2, count: 10))
        }
        XCTAssertNil(weakContext, "the context leaked")
        XCTAssertNil(weakProgram, "the program leaked")
    }

    /// A program outlives the `CLContext` object that built it and still makes working kernels.
    func testProgramOutlivesItsContextObject() throws {
        let device = try requireContext().device
        var program: CLProgram? = nil
        weak var weakContext: CLContext?
        try inScope {
            let context = try CLContext(device: device)
            weakContext = context
            program = try context.program(source: saxpySource)
        }
        XCTAssertNil(weakContext)
        let kernel = try XCTUnwrap(program).kernel("saxpy_masked")
        XCTAssertEqual(kernel.name, "saxpy_masked")
        XCTAssertEqual(program?.buildLog().contains("error"), false)
    }

    /// OpenCL does not retain buffers bound to a kernel; the kernel object must.
    func testKernelKeepsBoundBuffersAlive() throws {
        let context = try requireContext()
        var kernel: CLKernel? = try context.program(source: KernelSources.source("util"), name: "util").kernel("fill_float")
        weak var weakBuffer: CLBuffer<Float>?
        try inScope {
            let buffer = try context.buffer(Float.self, count: 4)
            weakBuffer = buffer
            try kernel?.set(2, buffer)
        }
        XCTAssertNotNil(weakBuffer, "the kernel must keep its bound buffer alive")
        try kernel?.set(2, context.buffer(Float.self, count: 4))
        XCTAssertNil(weakBuffer, "rebinding the argument releases the old buffer")
        kernel = nil
    }
}

/// Runs `body`; every local it creates is out of scope (and released) when this returns.
private func inScope(_ body: () throws -> Void) rethrows { try body() }
