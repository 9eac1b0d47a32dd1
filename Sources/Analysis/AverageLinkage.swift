/// Agglomerative clustering with average linkage (UPGMA), docs/method.md §6.3 step 1, plus the modularity loss
/// `Q(k)` of step 2 for every `k` along the way.
///
/// Clusters are named by their smallest member (a unit's position in its layer). At each step the
/// pair with the smallest average distance merges. **Ties** (distances equal after quantisation to
/// `tieQuantum`) go to the pair that comes first in (lower cluster index, then higher cluster index)
/// order. Distances are quantised only for choosing; the merge heights keep full precision.
struct AverageLinkage {
    /// One merge: clusters `a < b` (smallest members) join into `a`, at average distance `distance`.
    struct Merge: Equatable { let a: Int; let b: Int; let distance: Double }

    /// Distances closer than this are a tie (float noise of the linkage updates stays far below it).
    static let tieQuantum = 1e-11

    let n: Int
    /// The `n − 1` merges in order.
    let merges: [Merge]
    /// `q[k]` for `k = 2 … n−1`: the loss of docs/method.md §6.3 step 2 for the cut into `k` clusters, rounded to
    /// 8 decimals; nil outside that range.
    let q: [Int: Double]

    /// - Parameter distances: `n × n` row-major, symmetric, zero diagonal.
    init(distances: [Double], n: Int) {
        precondition(distances.count == n * n, "distance matrix must be \(n)×\(n)")
        self.n = n
        var d = distances
        var active = [Bool](repeating: true, count: n)
        var size = [Int](repeating: 1, count: n)
        // Modularity bookkeeping on unnormalised sums: T = Σ_ij D_ij, att_c = Σ_{i∈c} Σ_j D_ij,
        // sumIn = Σ_c Σ_{i,j∈c} D_ij, sumAtt2 = Σ_c att_c²; then Q = sumIn/T − sumAtt2/T².
        var att = [Double](repeating: 0, count: n)
        for i in 0..<n { for j in 0..<n { att[i] += d[i * n + j] } }
        let total = att.reduce(0, +)
        var sumIn = 0.0
        var sumAtt2 = att.reduce(0) { $0 + $1 * $1 }

        func key(_ x: Double) -> Int64 { Int64((x / Self.tieQuantum).rounded(.toNearestOrEven)) }
        // bestJ[i] = the active j > i nearest to i (first j on ties); -1 if none.
        var bestJ = [Int](repeating: -1, count: n)
        var bestKey = [Int64](repeating: .max, count: n)
        func recompute(_ i: Int) {
            var bj = -1
            var bk = Int64.max
            let row = i * n
            for j in (i + 1)..<max(n, i + 1) where active[j] {
                let k = key(d[row + j])
                if k < bk { bk = k; bj = j }
            }
            bestJ[i] = bj
            bestKey[i] = bk
        }
        for i in 0..<n { recompute(i) }

        var merges: [Merge] = []
        var q: [Int: Double] = [:]
        merges.reserveCapacity(max(n - 1, 0))
        for step in 1..<max(n, 1) {
            var a = -1
            for i in 0..<n where active[i] && bestJ[i] >= 0 {
                if a < 0 || bestKey[i] < bestKey[a] { a = i }
            }
            let b = bestJ[a]
            let dab = d[a * n + b]
            let sa = Double(size[a]), sb = Double(size[b])
            for c in 0..<n where active[c] && c != a && c != b {
                let v = (sa * d[a * n + c] + sb * d[b * n + c]) / (sa + sb)
                d[a * n + c] = v
                d[c * n + a] = v
            }
            sumIn += 2 * dab * sa * sb
            sumAtt2 += 2 * att[a] * att[b]
            att[a] += att[b]
            size[a] += size[b]
            active[b] = false
            merges.append(Merge(a: a, b: b, distance: dab))
            let k = n - step
            if k >= 2 && k <= n - 1 {
                let value = total > 0 ? sumIn / total - sumAtt2 / (total * total) : 0
                q[k] = Self.round8(value)
            }
            // Refresh the nearest-neighbour cache where the merge may have changed it.
            recompute(a)
            for i in 0..<n where active[i] && i != a {
                if i < a {
                    if bestJ[i] == a || bestJ[i] == b {
                        recompute(i)
                    } else {
                        let kk = key(d[i * n + a])
                        if kk < bestKey[i] || (kk == bestKey[i] && a < bestJ[i]) { bestJ[i] = a; bestKey[i] = kk }
                    }
                } else if i < b, bestJ[i] == b {
                    recompute(i)
                }
            }
        }
        self.merges = merges
        self.q = q
    }

    /// Python's `round(x, 8)` up to binary representation: half to even on the scaled value.
    static func round8(_ x: Double) -> Double {
        let r = (x * 1e8).rounded(.toNearestOrEven) / 1e8
        return r == 0 ? 0 : r  // no −0 in reports
    }

    /// Cluster label of every unit when the tree is cut into `k` clusters (`1 ≤ k ≤ n`): the first
    /// `n − k` merges applied. Labels are 0…k−1 in order of each cluster's smallest member.
    func labels(clusters k: Int) -> [Int] {
        precondition(k >= 1 && k <= max(n, 1), "cannot cut \(n) units into \(k) clusters")
        var root = Array(0..<n)
        func find(_ x: Int) -> Int {
            var x = x
            while root[x] != x { root[x] = root[root[x]]; x = root[x] }
            return x
        }
        for m in merges.prefix(n - k) { root[find(m.b)] = find(m.a) }
        var label = [Int](repeating: -1, count: n)
        var byRoot: [Int: Int] = [:]
        for u in 0..<n {
            let r = find(u)
            if let l = byRoot[r] { label[u] = l } else { byRoot[r] = byRoot.count; label[u] = byRoot[r]! }
        }
        return label
    }
}

/// Cosine distance between binary vectors, `1 − |f∩g| / sqrt(|f|·|g|)`; 1 when either is empty
/// (no direction to compare; scikit-learn's convention for zero vectors).
@inline(__always)
func cosineDistance(intersection: Int, _ a: Int, _ b: Int) -> Double {
    guard a > 0 && b > 0 else { return 1 }
    let v = 1 - Double(intersection) / (Double(a) * Double(b)).squareRoot()
    return max(v, 0)
}
