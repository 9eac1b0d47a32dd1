import TestSupport
import XCTest
@testable import Analysis

/// The fast average-linkage (nearest-neighbour cache, Lance–Williams updates, incremental Q) against
/// a naive definition: recompute every cluster-pair mean distance from the unit distances at every
/// step, pick the smallest in (lower index, higher index) order, and evaluate Q from the labels.
final class LinkageTests: XCTestCase {
    func testMatchesNaiveDefinitionOnRandomBinaryFeatures() {
        var rng = SplitMix64(7)
        for trial in 0..<60 {
            let n = Int.random(in: 2...14, using: &rng)
            let dims = Int.random(in: 1...6, using: &rng)  // few dimensions: many exact ties
            let f: [[Bool]] = (0..<n).map { _ in
                var v = (0..<dims).map { _ in Bool.random(using: &rng) }
                if !v.contains(true) { v[0] = true }
                return v
            }
            var d = [Double](repeating: 0, count: n * n)
            for i in 0..<n {
                for j in 0..<n where i != j {
                    let c = zip(f[i], f[j]).filter { $0 && $1 }.count
                    d[i * n + j] = cosineDistance(intersection: c, f[i].filter { $0 }.count, f[j].filter { $0 }.count)
                }
            }
            let fast = AverageLinkage(distances: d, n: n)
            let naive = Self.naive(d, n)
            XCTAssertEqual(fast.merges.map { [$0.a, $0.b] }, naive.map { [$0.a, $0.b] }, "trial \(trial), n \(n)")
            for (m, nm) in zip(fast.merges, naive) { XCTAssertEqual(m.distance, nm.distance, accuracy: 1e-12) }
            if n >= 3 {
                for k in 2...(n - 1) {
                    XCTAssertEqual(fast.q[k]!, Self.modularity(d, n, fast.labels(clusters: k)), accuracy: 1e-12, "trial \(trial), k \(k)")
                }
            }
        }
    }

    /// docs/method.md §6.4: when both tests fire, the larger score wins and the single test wins ties.
    func testVerdictCombination() {
        let sep = SeparabilityTest.separate(ki: 3, kj: 3, kij: 0, candidates: 6)  // k_ij = 0 fires
        let single = SeparabilityTest.single(ki: 3, kj: 3, kij: 3, candidates: 6)  // k_ij = max fires
        XCTAssertTrue(sep.fires)
        XCTAssertTrue(single.fires)
        // Both scores: (E − 0)/σ and (3 − E)/σ with E = 1.5 → equal → single wins.
        XCTAssertEqual(sep.score, single.score, accuracy: 1e-12)
        XCTAssertEqual(SeparabilityTest.verdict(separate: sep, single: single, units: 5), 1)
        XCTAssertEqual(SeparabilityTest.verdict(separate: sep, single: nil, units: 5), 5)
        let weakSingle = SeparabilityTest.single(ki: 3, kj: 4, kij: 2, candidates: 6)  // E = 2, k_ij = 2 fires
        XCTAssertTrue(weakSingle.fires)
        XCTAssertEqual(weakSingle.score, 0)
        XCTAssertEqual(SeparabilityTest.verdict(separate: sep, single: weakSingle, units: 5), 5)
    }

    // MARK: - Naive references

    static func naive(_ d: [Double], _ n: Int) -> [AverageLinkage.Merge] {
        var clusters: [[Int]] = (0..<n).map { [$0] }  // each sorted; named by its first member
        var merges: [AverageLinkage.Merge] = []
        func mean(_ a: [Int], _ b: [Int]) -> Double {
            var s = 0.0
            for i in a { for j in b { s += d[i * n + j] } }
            return s / Double(a.count * b.count)
        }
        func key(_ x: Double) -> Int64 { Int64((x / AverageLinkage.tieQuantum).rounded(.toNearestOrEven)) }
        while clusters.count > 1 {
            var best: (Int, Int, Double)? = nil
            for p in 0..<clusters.count {
                for q in (p + 1)..<clusters.count {
                    let v = mean(clusters[p], clusters[q])
                    if best == nil || key(v) < key(best!.2) { best = (p, q, v) }
                }
            }
            let (p, q, v) = best!
            merges.append(AverageLinkage.Merge(a: clusters[p][0], b: clusters[q][0], distance: v))
            clusters[p] = (clusters[p] + clusters[q]).sorted()
            clusters.remove(at: q)
        }
        return merges
    }

    static func modularity(_ d: [Double], _ n: Int, _ labels: [Int]) -> Double {
        let total = d.reduce(0, +)
        guard total > 0 else { return 0 }
        var q = 0.0
        for c in Set(labels) {
            let members = (0..<n).filter { labels[$0] == c }
            var e = 0.0, a = 0.0
            for i in members {
                for j in 0..<n {
                    a += d[i * n + j] / total
                    if labels[j] == c { e += d[i * n + j] / total }
                }
            }
            q += e - a * a
        }
        return AverageLinkage.round8(q)
    }
}
