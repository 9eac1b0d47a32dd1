import CLRuntime
import Foundation
import OpenCLBackend
import SculptCore
import XCTest

/// The one way a test gives up for lack of something (a device, a tool, data): a skip on a developer
/// machine, a failure in CI (`CI=true`) or with `REQUIRE_OPENCL=1`, where everything must be present.
public func skipOrFail(_ reason: String, file: StaticString = #filePath, line: UInt = #line) throws -> Never {
    if TestDevice.required {
        XCTFail("required in CI but missing: \(reason)", file: file, line: line)
        throw RequiredButMissing(reason: reason)
    }
    FileHandle.standardError.write(Data("SKIPPING: \(reason)\n".utf8))
    throw XCTSkip(reason)
}

/// Ends a test that cannot run in CI (after `XCTFail` has recorded why).
public struct RequiredButMissing: Error, CustomStringConvertible {
    public let reason: String
    public var description: String { "required but missing: \(reason)" }
}

/// Shared helpers for tests that need an OpenCL device.
public enum TestDevice {
    /// True when running in CI (`CI=true`) or when `REQUIRE_OPENCL=1`: anything missing is a failure.
    public static var required: Bool {
        let env = ProcessInfo.processInfo.environment
        return env["CI"] == "true" || env["REQUIRE_OPENCL"] == "1"
    }

    /// The device tests run on: `SCULPT_DEVICE` when set, else the default choice; nil when there is
    /// none and it is not required.
    /// - Throws: the discovery error when a device is required but missing.
    public static func device() throws -> CLDevice? {
        do {
            return try CLDevice.choose(ProcessInfo.processInfo.environment["SCULPT_DEVICE"])
        } catch {
            if required { throw error }
            FileHandle.standardError.write(Data("SKIPPING OpenCL test: \(error)\n".utf8))
            return nil
        }
    }

    /// The device, or `skipOrFail`.
    public static func require() throws -> CLDevice {
        guard let d = try device() else { try skipOrFail("no OpenCL device") }
        return d
    }

    /// One shared context for the test process (contexts are thread-safe; kernels are not).
    public static let sharedContext: Result<CLContext?, Error> = Result {
        guard let d = try device() else { return nil }
        return try CLContext(device: d)
    }
}

/// An OpenCL backend on the test device, or `skipOrFail`.
public func openCLBackend() throws -> OpenCLBackend {
    try OpenCLBackend(device: TestDevice.require())
}

/// The folder with the four MNIST files for tests: `SCULPT_TEST_MNIST`, else the project's shared data
/// folder beside the repository; nil when neither exists.
public func mnistDirectory() -> String? {
    if let d = ProcessInfo.processInfo.environment["SCULPT_TEST_MNIST"], !d.isEmpty { return d }
    let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let shared = package.deletingLastPathComponent().appendingPathComponent("shared/data/mnist").path
    return FileManager.default.fileExists(atPath: shared + "/t10k-labels-idx1-ubyte.gz") ? shared : nil
}

/// Seeded test data.
public struct TestRandom {
    public var rng: PhiloxStream
    public init(_ seed: UInt64) { rng = PhiloxStream(seed: seed, purpose: .clustering, stream: 99) }
    public mutating func floats(_ n: Int, scale: Float = 1) -> [Float] { (0..<n).map { _ in rng.nextNormal() * scale } }
    /// 0/1 mask with the given fraction of ones (exactly 0 or 1 at density 0 and 1).
    public mutating func mask(_ n: Int, density: Double) -> [Float] {
        (0..<n).map { _ in Double(rng.nextUInt32()) / 4_294_967_296.0 < density ? 1 : 0 }
    }
    public mutating func bits(_ n: Int) -> [Float] { (0..<n).map { _ in Float(rng.nextUInt32() & 1) } }
}

/// SplitMix64: a small seeded generator, so every test input is reproducible.
public struct SplitMix64: RandomNumberGenerator {
    public var state: UInt64
    public init(seed: UInt64) { state = seed }
    public init(_ seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// The xor-pairs table (docs/method.md §1.2), written out so training tests do not depend on the task
/// parser: h1 = x0⊕x1, h2 = x2⊕x3; y = (h1, ¬h1, h2, ¬h2).
public func xorPairsData() -> Dataset {
    var x: [Float] = [], y: [Float] = []
    for r in 0..<16 {
        let bits = (0..<4).map { (r >> (3 - $0)) & 1 }
        x += bits.map(Float.init)
        let h1 = bits[0] ^ bits[1], h2 = bits[2] ^ bits[3]
        y += [h1, 1 - h1, h2, 1 - h2].map(Float.init)
    }
    return Dataset(inputs: x, targets: y, inputWidth: 4, outputWidth: 4)
}

/// `|a − b| ≤ atol + rtol·|b|` elementwise; returns a description of the first mismatches, or nil.
public func mismatches(_ a: [Float], _ b: [Float], atol: Float, rtol: Float, limit: Int = 5) -> String? {
    guard a.count == b.count else { return "count \(a.count) vs \(b.count)" }
    var bad: [String] = []
    var maxAbs: Float = 0, maxRel: Float = 0, nBad = 0
    for i in 0..<a.count where a[i] != b[i] {  // equal values (infinities included) agree
        let d = abs(a[i] - b[i])
        maxAbs = max(maxAbs, d)
        maxRel = max(maxRel, d / max(abs(b[i]), 1e-30))
        if !(d <= atol + rtol * abs(b[i])) {
            nBad += 1
            if bad.count < limit { bad.append("[\(i)] \(a[i]) vs \(b[i])") }
        }
    }
    return nBad == 0 ? nil : "\(nBad) of \(a.count) differ (max abs \(maxAbs), max rel \(maxRel)): " + bad.joined(separator: ", ")
}

/// A value shared by concurrent test workers, guarded by a lock.
public final class Locked<T>: @unchecked Sendable {
    private var value: T
    private let lock = NSLock()
    public init(_ value: T) { self.value = value }
    public func withLock<R>(_ body: (inout T) -> R) -> R {
        lock.lock()
        defer { lock.unlock() }
        return body(&value)
    }
    public var current: T { withLock { $0 } }
}
