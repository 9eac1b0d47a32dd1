import CLRuntime
import TestSupport
import XCTest

final class BufferTests: XCTestCase {
    func testFloatRoundTrips() throws {
        let context = try requireContext()
        let queue = try context.makeQueue()
        var rng = SplitMix64(seed: 1)
        for n in awkwardSizes {
            var values = [Float].random(n, &rng)
            // Special values must survive bit for bit.
            let specials: [Float] = [-0.0, .infinity, -.infinity, .nan, .leastNonzeroMagnitude, .greatestFiniteMagnitude]
            for (i, s) in specials.enumerated() where i < n { values[i] = s }
            let buffer = try context.buffer(values, label: "floats \(n)")
            XCTAssertEqual(buffer.count, n)
            XCTAssertEqual(try queue.read(buffer).map(\.bitPattern), values.map(\.bitPattern), "n = \(n)")
        }
    }

    func testInt32AndUInt32RoundTrips() throws {
        let context = try requireContext()
        let queue = try context.makeQueue()
        var rng = SplitMix64(seed: 2)
        for n in awkwardSizes {
            var ints = (0..<n).map { _ in Int32.random(in: .min ... .max, using: &rng) }
            ints[0] = .min
            var uints = (0..<n).map { _ in UInt32.random(in: .min ... .max, using: &rng) }
            uints[n - 1] = .max
            XCTAssertEqual(try queue.read(context.buffer(ints)), ints, "Int32, n = \(n)")
            XCTAssertEqual(try queue.read(context.buffer(uints)), uints, "UInt32, n = \(n)")
        }
    }

    func testNewBuffersAreZeroFilled() throws {
        let context = try requireContext()
        let queue = try context.makeQueue()
        for n in awkwardSizes {
            XCTAssertEqual(try queue.read(context.buffer(Float.self, count: n)), [Float](repeating: 0, count: n))
            XCTAssertEqual(try queue.read(context.buffer(UInt32.self, count: n)), [UInt32](repeating: 0, count: n))
        }
    }

    func testWriteReadAndCopyAtOffsets() throws {
        let context = try requireContext()
        let queue = try context.makeQueue()
        for n in awkwardSizes {
            let values = (0..<n).map { Int32($0) - 50 }
            let a = try context.buffer(Int32.self, count: n + 10)
            try queue.write(a, values, offset: 10)
            XCTAssertEqual(try queue.read(a, offset: 10), values)
            XCTAssertEqual(try queue.read(a, count: 10), [Int32](repeating: 0, count: 10))
            XCTAssertEqual(try queue.read(a, offset: 10 + n / 2, count: n - n / 2), Array(values[(n / 2)...]))

            let b = try context.buffer(Int32.self, count: n + 3)
            try queue.copy(from: a, srcOffset: 10, to: b, dstOffset: 3, count: n)
            XCTAssertEqual(try queue.read(b), [0, 0, 0] + values)
        }
    }

    func testEmptyBuffer() throws {
        let context = try requireContext()
        let queue = try context.makeQueue()
        let empty = try context.buffer([Float]())
        XCTAssertEqual(empty.count, 0)
        XCTAssertEqual(try queue.read(empty), [])
        try queue.write(empty, [])
    }
}
