/// The two unit-separability tests of docs/method.md §6.4 ("compare_expected").
public struct SeparabilityTest: Equatable, Sendable {
    /// `|f_i|` (separate test) or `|U_1|` (single test).
    public let ki: Int
    /// `|f_j|` or `|U_2|`.
    public let kj: Int
    /// The overlap `k_ij`.
    public let kij: Int
    /// Number of candidate downstream units `N`.
    public let candidates: Int
    /// Null-model mean `E = k_i k_j / N`.
    public let expected: Double
    /// Null-model standard deviation `σ = sqrt(N x (1−x))`, `x = k_i k_j / N²`.
    public let sigma: Double
    /// Whether the test fires.
    public let fires: Bool
    /// `z_sep = (E − k_ij)/σ` or `z_single = (k_ij − E)/σ` (without the division when σ = 0).
    public let score: Double

    /// The null model shared by both tests.
    static func nullModel(ki: Int, kj: Int, n: Int) -> (e: Double, sigma: Double) {
        guard n > 0 else { return (0, 0) }
        let N = Double(n)
        let e = Double(ki) * Double(kj) / N
        let x = Double(ki) * Double(kj) / (N * N)
        return (e, (N * x * (1 - x)).squareRoot())
    }

    /// Separate test ("every unit is its own cluster") on the most similar pair `f_i`, `f_j`.
    public static func separate(ki: Int, kj: Int, kij: Int, candidates n: Int) -> SeparabilityTest {
        let (e, s) = nullModel(ki: ki, kj: kj, n: n)
        let fires = (kij < max(ki, kj) && Double(kij) <= e) || kij == 0
        let score = s == 0 ? e - Double(kij) : (e - Double(kij)) / s
        return SeparabilityTest(ki: ki, kj: kj, kij: kij, candidates: n, expected: e, sigma: s, fires: fires, score: score)
    }

    /// Single test ("the whole layer is one cluster") on the unions `U_1`, `U_2` of a 2-cluster cut.
    public static func single(ki: Int, kj: Int, kij: Int, candidates n: Int) -> SeparabilityTest {
        let (e, s) = nullModel(ki: ki, kj: kj, n: n)
        let fires = (kij >= 1 && Double(kij) >= e) || kij >= max(ki, kj)
        let score = s == 0 ? Double(kij) - e : (Double(kij) - e) / s
        return SeparabilityTest(ki: ki, kj: kj, kij: kij, candidates: n, expected: e, sigma: s, fires: fires, score: score)
    }

    /// docs/method.md §6.4 combination: both fire → larger score (single wins ties); one fires → it; else none.
    /// Returns the verdict's cluster count (1 or `n`), or nil for "none".
    public static func verdict(separate: SeparabilityTest?, single: SeparabilityTest?, units n: Int) -> Int? {
        switch (separate?.fires == true ? separate : nil, single?.fires == true ? single : nil) {
        case let (sep?, sin?): return sin.score >= sep.score ? 1 : n
        case (_?, nil): return n
        case (nil, _?): return 1
        case (nil, nil): return nil
        }
    }
}
