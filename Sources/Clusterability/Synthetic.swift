import Dispatch
import SculptCore

/// Seeded synthetic networks for tests and benchmarks (Philox purpose `.clustering`, streams ≥ 2^48 so they
/// never meet an analysis's streams).
public enum Synthetic {
    /// A randomly pruned MLP: each weight matrix keeps exactly `round(density · n_in · n_out)` edges chosen
    /// uniformly, with standard-normal weights.
    public static func prunedMLP(arch: [Int], density: Double, seed: UInt64) -> MaskFile {
        var rng = PhiloxStream(seed: seed, purpose: .clustering, stream: 1 << 48)
        var edges: [[MaskFile.Edge]] = [], weights: [[Float]] = []
        for l in 0..<(arch.count - 1) {
            let nIn = arch[l], nOut = arch[l + 1]
            var positions = Array(0..<(nIn * nOut))
            rng.fisherYates(&positions)
            let keep = Int((density * Double(nIn * nOut)).rounded())
            let chosen = positions[0..<keep].sorted()
            edges.append(chosen.map { MaskFile.Edge($0 / nOut, $0 % nOut) })
            weights.append(chosen.map { _ in rng.nextNormal() })
        }
        return MaskFile(arch: arch, task: nil, edges: edges, weights: weights)
    }

    /// A layered graph with planted modules: unit u of a layer of width n belongs to module
    /// `u · modules / n`; each possible edge exists with probability `pIn` inside a module and `pOut`
    /// across, with weight |N(0,1)| + 0.5 (so no weight is near zero).
    /// - Returns: the masks and `truth[l][u]`, the planted module of each unit.
    public static func plantedModules(arch: [Int], modules: Int, pIn: Double, pOut: Double, seed: UInt64) -> (masks: MaskFile, truth: [[Int]]) {
        var rng = PhiloxStream(seed: seed, purpose: .clustering, stream: 2 << 48)
        let truth = arch.map { n in (0..<n).map { $0 * modules / n } }
        var edges: [[MaskFile.Edge]] = [], weights: [[Float]] = []
        for l in 0..<(arch.count - 1) {
            var le: [MaskFile.Edge] = [], lw: [Float] = []
            for i in 0..<arch[l] {
                for j in 0..<arch[l + 1] {
                    let p = truth[l][i] == truth[l + 1][j] ? pIn : pOut
                    if KMeans.unit(&rng) < p {
                        le.append(.init(i, j))
                        lw.append(abs(rng.nextNormal()) + 0.5)
                    }
                }
            }
            edges.append(le)
            weights.append(lw)
        }
        return (MaskFile(arch: arch, task: nil, edges: edges, weights: weights), truth)
    }
}
