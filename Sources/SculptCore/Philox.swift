/// Philox-4x32-10 (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3", SC 2011):
/// a counter-based generator. Every random number in Sculpt is `philox(key, counter)` with the key
/// made from (model seed, purpose) and the counter from the position of the number, so a model's
/// numbers do not depend on which other models share its population, and the kernels
/// (`Kernels/random.cl`) compute bit-identical values.
public enum Philox {
    public static let m0: UInt32 = 0xD251_1F53
    public static let m1: UInt32 = 0xCD9E_8D57
    public static let w0: UInt32 = 0x9E37_79B9
    public static let w1: UInt32 = 0xBB67_AE85

    /// Ten rounds of Philox-4x32 on `counter` with `key`.
    @inlinable
    public static func block(counter c: (UInt32, UInt32, UInt32, UInt32), key k: (UInt32, UInt32)) -> (UInt32, UInt32, UInt32, UInt32) {
        var (x0, x1, x2, x3) = c
        var (k0, k1) = k
        for _ in 0..<10 {
            let p0 = UInt64(m0) &* UInt64(x0)
            let p1 = UInt64(m1) &* UInt64(x2)
            let y0 = UInt32(truncatingIfNeeded: p1 >> 32) ^ x1 ^ k0
            let y1 = UInt32(truncatingIfNeeded: p1)
            let y2 = UInt32(truncatingIfNeeded: p0 >> 32) ^ x3 ^ k1
            let y3 = UInt32(truncatingIfNeeded: p0)
            (x0, x1, x2, x3) = (y0, y1, y2, y3)
            k0 = k0 &+ w0
            k1 = k1 &+ w1
        }
        return (x0, x1, x2, x3)
    }

    /// The key for a model seed and a purpose: low and high words of the seed, the purpose mixed in.
    @inlinable
    public static func key(seed: UInt64, purpose: RandomPurpose) -> (UInt32, UInt32) {
        (
            UInt32(truncatingIfNeeded: seed) ^ (purpose.rawValue &* 0x9E37_79B9),
            UInt32(truncatingIfNeeded: seed >> 32) ^ purpose.rawValue
        )
    }

    /// Uniform in (0, 1]: `(u + 1) · 2^-32`, computed in Float exactly as the kernels do.
    @inlinable
    public static func unitFloat(_ u: UInt32) -> Float {
        (Float(u >> 8) + 1) * (1.0 / 16_777_216.0)
    }

    /// Two standard normals from two uniforms (Box–Muller), in Float as the kernels compute them.
    /// NOTE: `log`/`cos` may differ by an ulp between the host and a device's libm, so noise agrees
    /// between backends to ~1e-6, not bit for bit.
    @inlinable
    public static func normalPair(_ a: UInt32, _ b: UInt32) -> (Float, Float) {
        let u1 = unitFloat(a), u2 = unitFloat(b)
        let r = (-2 * logf(u1)).squareRoot()
        let t = 2 * Float.pi * u2
        return (r * cosf(t), r * sinf(t))
    }
}

/// What a stream of random numbers is for; part of the Philox key.
public enum RandomPurpose: UInt32, Sendable {
    case initialWeights = 1
    case shuffle = 2
    case inputNoise = 3
    case dropout = 4
    case clustering = 5
}

/// A sequential generator over one Philox stream, for host-side uses (initialisation, shuffles).
/// Conforms to `RandomNumberGenerator` so it works with the standard library's `shuffle(using:)`,
/// but Sculpt's own shuffle is `fisherYates` below, whose output is fixed by this file alone.
public struct PhiloxStream: RandomNumberGenerator {
    public let key: (UInt32, UInt32)
    public let stream: UInt64
    private var counter: UInt64 = 0
    /// The current block's four numbers and how many of them are used (4: draw a new block).
    private var block: (UInt32, UInt32, UInt32, UInt32) = (0, 0, 0, 0)
    private var used = 4

    public init(seed: UInt64, purpose: RandomPurpose, stream: UInt64 = 0) {
        key = Philox.key(seed: seed, purpose: purpose)
        self.stream = stream
    }

    public mutating func nextUInt32() -> UInt32 {
        if used == 4 {
            block = Philox.block(
                counter: (
                    UInt32(truncatingIfNeeded: counter), UInt32(truncatingIfNeeded: counter >> 32),
                    UInt32(truncatingIfNeeded: stream), UInt32(truncatingIfNeeded: stream >> 32)
                ), key: key)
            used = 0
            counter &+= 1
        }
        // A block's numbers in order: .0, .1, .2, .3.
        defer { used += 1 }
        switch used {
        case 0: return block.0
        case 1: return block.1
        case 2: return block.2
        default: return block.3
        }
    }

    public mutating func next() -> UInt64 {
        UInt64(nextUInt32()) << 32 | UInt64(nextUInt32())
    }

    /// A standard normal (Box–Muller on two uniforms; the second value is dropped).
    public mutating func nextNormal() -> Float {
        Philox.normalPair(nextUInt32(), nextUInt32()).0
    }

    /// Uniform integer in `0..<n` (Lemire's multiply-shift; the tiny bias is irrelevant here).
    public mutating func nextIndex(below n: Int) -> Int {
        Int((UInt64(nextUInt32()) &* UInt64(n)) >> 32)
    }

    /// Shuffles `array` in place with Fisher–Yates from the last element down.
    public mutating func fisherYates<T>(_ array: inout [T]) {
        guard array.count > 1 else { return }
        for i in stride(from: array.count - 1, to: 0, by: -1) {
            array.swapAt(i, nextIndex(below: i + 1))
        }
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
