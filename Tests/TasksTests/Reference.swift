// An independent statement of docs/method.md §1.2, written as plain Swift formulas (not in the task format), that
// the parsed built-ins are checked against.

enum Reference {
    /// docs/method.md §1.2: minterms over (a, b, c, d) with `a` the most significant bit.
    static let f1Minterms: Set<Int> = [0b0011, 0b1010, 0b1100]
    static let f2Minterms: Set<Int> = [0b0101, 0b1001, 0b1111]

    /// Input bit `i` of row `r` for an `n`-input table (x0 = MSB).
    static func bit(_ r: Int, _ i: Int, of n: Int) -> Bool { (r >> (n - 1 - i)) & 1 == 1 }

    /// F over inputs `window` (4 indices) of row `r`.
    static func f(_ minterms: Set<Int>, _ r: Int, _ window: [Int], n: Int) -> Bool {
        minterms.contains(window.reduce(0) { $0 * 2 + (bit(r, $1, of: n) ? 1 : 0) })
    }

    /// (inputs n, outputs m, output k of row r) straight from the definitions column of docs/method.md §1.2.
    static func task(_ name: String) -> (n: Int, m: Int, value: (Int, Int) -> Bool) {
        let parts = name.split(separator: "-").map(String.init)
        switch parts[0] {
        case "xor":
            return (
                4, 4,
                { r, k in
                    let h1 = bit(r, 0, of: 4) != bit(r, 1, of: 4), h2 = bit(r, 2, of: 4) != bit(r, 3, of: 4)
                    return [h1, !h1, h2, !h2][k]
                }
            )
        case "non":
            return (4, 4, { r, _ in f(f1Minterms, r, [0, 1, 2, 3], n: 4) })
        case "and":
            return (
                6, 3,
                { r, k in
                    let a = bit(r, 0, of: 6) && bit(r, 1, of: 6)
                    let b = bit(r, 2, of: 6) && bit(r, 3, of: 6)
                    let c = bit(r, 4, of: 6) && bit(r, 5, of: 6)
                    return [a || b, a || c, b || c][k]
                }
            )
        case "reuse":
            return (
                4, Int(parts[1])!,
                { r, k in
                    f(f1Minterms, r, [0, 1, 2, 3], n: 4) && bit(r, k % 2 == 0 ? 0 : 2, of: 4)
                }
            )
        case "overlap":
            let o = Int(parts[1])!, n = 8 - o
            return (
                n, Int(parts[2])!,
                { r, k in
                    k % 2 == 0 ? f(f1Minterms, r, [0, 1, 2, 3], n: n) : f(f2Minterms, r, Array(4 - o...7 - o), n: n)
                }
            )
        case "hierarchy":
            return (
                8, Int(parts[1])!,
                { r, k in
                    let a = f(f1Minterms, r, [0, 1, 2, 3], n: 8), b = f(f2Minterms, r, [4, 5, 6, 7], n: 8)
                    return k % 2 == 0 ? (a && !b) : (!a && b)
                }
            )
        default:
            fatalError("no reference for \(name)")
        }
    }
}
