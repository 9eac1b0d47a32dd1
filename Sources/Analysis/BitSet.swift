/// A fixed-size set of small non-negative integers, one bit each, packed into 64-bit words.
/// Used for the binary reachability features of docs/method.md §6.2 (one bit per downstream unit).
struct BitSet: Hashable, Sendable {
    private(set) var words: [UInt64]
    let count: Int

    init(count: Int) {
        self.count = count
        words = [UInt64](repeating: 0, count: (count + 63) / 64)
    }

    subscript(_ i: Int) -> Bool {
        get { words[i >> 6] & (1 << UInt64(i & 63)) != 0 }
        set {
            if newValue { words[i >> 6] |= 1 << UInt64(i & 63) } else { words[i >> 6] &= ~(1 << UInt64(i & 63)) }
        }
    }

    mutating func formUnion(_ other: BitSet) {
        precondition(other.count == count, "BitSet sizes differ: \(count) vs \(other.count)")
        for w in 0..<words.count { words[w] |= other.words[w] }
    }

    /// Number of set bits.
    var cardinality: Int { words.reduce(0) { $0 + $1.nonzeroBitCount } }

    /// Number of set bits with index in `range`.
    func cardinality(in range: Range<Int>) -> Int {
        var n = 0
        forEachWord(in: range) { w, mask in n += (words[w] & mask).nonzeroBitCount }
        return n
    }

    /// `|self ∩ other|` restricted to `range`.
    func intersectionCount(_ other: BitSet, in range: Range<Int>) -> Int {
        var n = 0
        forEachWord(in: range) { w, mask in n += (words[w] & other.words[w] & mask).nonzeroBitCount }
        return n
    }

    /// `|self ∩ other|` over the words `wordRange` (a fast path for distance matrices).
    func intersectionCount(_ other: BitSet, words wordRange: Range<Int>) -> Int {
        var n = 0
        words.withUnsafeBufferPointer { a in
            other.words.withUnsafeBufferPointer { b in
                for w in wordRange { n &+= (a[w] & b[w]).nonzeroBitCount }
            }
        }
        return n
    }

    /// Indices of the set bits, ascending.
    var elements: [Int] {
        var out: [Int] = []
        for (w, word) in words.enumerated() {
            var x = word
            while x != 0 {
                let b = x.trailingZeroBitCount
                out.append(w * 64 + b)
                x &= x - 1
            }
        }
        return out
    }

    private func forEachWord(in range: Range<Int>, _ body: (Int, UInt64) -> Void) {
        guard !range.isEmpty else { return }
        let lo = range.lowerBound, hi = range.upperBound  // hi exclusive
        for w in (lo >> 6)...((hi - 1) >> 6) {
            var mask = UInt64.max
            if w == lo >> 6 { mask &= UInt64.max << UInt64(lo & 63) }
            if w == (hi - 1) >> 6, hi & 63 != 0 { mask &= UInt64.max >> UInt64(64 - (hi & 63)) }
            body(w, mask)
        }
    }
}
