import SculptCore
import OpenCLBackend
import ReferenceBackend
import TestSupport
import XCTest

/// Canary written past the end of every output buffer; it must come back untouched.
let canary: Float = 777.25
let canaryTail = 5

/// Buffers for one backend, made from host arrays, outputs with a canary tail.
struct Harness<B: ComputeBackend> {
    let b: B
    func f(_ v: [Float]) throws -> B.Floats {
        let buf = try b.makeFloats(v.count + canaryTail, label: "f")
        try b.write(v + [Float](repeating: canary, count: canaryTail), to: buf, offset: 0)
        return buf
    }
    func u(_ v: [UInt32]) throws -> B.UInts {
        let buf = try b.makeUInts(v.count + canaryTail, label: "u")
        try b.write(v + [UInt32](repeating: 7_777, count: canaryTail), to: buf, offset: 0)
        return buf
    }
    func read(_ buf: B.Floats, _ count: Int) throws -> [Float] { try b.read(buf, offset: 0, count: count + canaryTail) }
    func read(_ buf: B.UInts, _ count: Int) throws -> [Float] { try b.read(buf, offset: 0, count: count + canaryTail).map { Float($0) } }
}

/// One kernel launch with its inputs fixed, runnable on any backend; returns every output buffer,
/// canary tail included.
protocol KernelCase {
    var name: String { get }
    func run<B: ComputeBackend>(_ h: Harness<B>) throws -> [[Float]]
}

extension XCTestCase {
    /// Runs `c` on the reference and the OpenCL backend and compares: outputs within
    /// `atol + rtol·|ref|`, canaries intact on both.
    func assertBackendsAgree(_ c: KernelCase, atol: Float, rtol: Float, file: StaticString = #filePath, line: UInt = #line) throws {
        let refOut = try c.run(Harness(b: ReferenceBackend()))
        let devOut = try c.run(Harness(b: try openCLBackend()))
        for (k, out) in (refOut + devOut).enumerated() {
            let tail = out.suffix(canaryTail)
            XCTAssert(
                tail.allSatisfy { $0 == canary || $0 == 7_777 }, "\(c.name): output \(k % max(refOut.count, 1)) written past its end: \(Array(tail))", file: file,
                line: line)
        }
        let ref = refOut.flatMap { $0 }, dev = devOut.flatMap { $0 }
        if let m = mismatches(dev, ref, atol: atol, rtol: rtol) {
            XCTFail("\(c.name): device differs from reference: \(m)", file: file, line: line)
        }
        XCTAssertFalse(ref.contains { $0.isNaN }, "\(c.name): reference produced NaN", file: file, line: line)
    }
}
