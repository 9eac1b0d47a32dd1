import Foundation

/// Seeded byte-level mutations of a valid input, for robustness tests of the readers: each call
/// applies one to four edits (flip, insert, delete, duplicate, truncate, or splice in a token that
/// parsers find hard: huge numbers, brackets, NaN, control bytes). The readers must either accept a
/// mutant or reject it with an error; a crash fails the test run.
public struct Mutator {
    var rng: SplitMix64
    public init(seed: UInt64) { rng = SplitMix64(seed: seed) }

    static let tokens: [[UInt8]] = [
        "[", "]", "{", "}", "(", ")", ",", ":", "\"", "-", "- ", "\n", "#", "0", "-1", "1e39", "NaN", "Infinity",
        "4294967296", "9223372036854775807", "99999999999999999999", "\u{0}", "\u{FF}", "&a", "*a", "!!str ", "  ",
    ].map { Array($0.utf8) }

    mutating func below(_ n: Int) -> Int { n <= 0 ? 0 : Int(rng.next() % UInt64(n)) }

    public mutating func mutate(_ input: [UInt8]) -> [UInt8] {
        var b = input
        for _ in 0...below(4) {
            let at = below(b.count + 1)
            switch below(7) {
            case 0 where !b.isEmpty: b[min(at, b.count - 1)] ^= UInt8(truncatingIfNeeded: 1 << below(8))
            case 1: b.insert(UInt8(truncatingIfNeeded: rng.next()), at: at)
            case 2 where !b.isEmpty: b.removeSubrange(at..<min(b.count, at + 1 + below(16)))
            case 3 where !b.isEmpty:
                let end = min(b.count, at + 1 + below(64))
                b.insert(contentsOf: b[min(at, b.count - 1)..<end], at: at)
            case 4: b = Array(b.prefix(at))
            default: b.insert(contentsOf: Self.tokens[below(Self.tokens.count)], at: at)
            }
        }
        return b
    }

    /// Runs `body` on `count` mutants of `input` or until `seconds` have passed; returns how many ran.
    @discardableResult
    public mutating func run(_ input: [UInt8], count: Int, seconds: Double = 10, _ body: ([UInt8]) -> Void) -> Int {
        let deadline = Date().addingTimeInterval(seconds)
        var ran = 0
        while ran < count && Date() < deadline {
            body(mutate(input))
            ran += 1
        }
        return ran
    }
}
