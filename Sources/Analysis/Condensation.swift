import SculptCore

/// The unit graph after dead-unit removal (docs/method.md §6.1): which units of each layer survive, and the
/// edges between survivors, in both the original and the condensed numbering.
public struct CondensedGraph: Equatable, Sendable {
    /// The original architecture `[n_0, …, n_L]`.
    public let arch: [Int]
    /// `kept[l]` = original indices of the surviving units of layer `l`, ascending.
    public let kept: [[Int]]
    /// `edges[l]` = surviving edges of weight layer `l` in the **condensed** numbering (position in
    /// `kept[l]`, position in `kept[l+1]`), sorted by (source, target).
    public let edges: [[MaskFile.Edge]]

    /// Condensed architecture `a' = [n'_0, …, n'_L]`.
    public var condensedArch: [Int] { kept.map(\.count) }
    public var depth: Int { arch.count - 1 }

    /// Number of passes the reference runs (docs/method.md §6.1: "repeated exactly 10 times").
    public static let passes = 10

    /// Removes dead units from `masks` (docs/method.md §6.1): in each of exactly `passes` passes, an input with
    /// no outgoing edge and a hidden unit with no incoming or no outgoing edge is dead; outputs are
    /// never removed; after the pass every edge touching a dead unit is deleted. The result does not
    /// depend on the order of the edges in the file.
    public init(_ masks: MaskFile, passes: Int = CondensedGraph.passes) {
        let arch = masks.arch
        let L = arch.count - 1
        var alive: [[Bool]] = masks.edges.map { [Bool](repeating: true, count: $0.count) }
        var inDeg = arch.map { [Int](repeating: 0, count: $0) }
        var outDeg = arch.map { [Int](repeating: 0, count: $0) }
        for l in 0..<L {
            for e in masks.edges[l] {
                outDeg[l][e.source] += 1
                inDeg[l + 1][e.target] += 1
            }
        }
        var dead = arch.map { [Bool](repeating: false, count: $0) }
        for _ in 0..<passes {
            // Decide every unit's fate from the edges present at the start of the pass.
            for l in 0..<L {  // the output layer L is never removed
                for u in 0..<arch[l] where !dead[l][u] {
                    if outDeg[l][u] == 0 || (l > 0 && inDeg[l][u] == 0) { dead[l][u] = true }
                }
            }
            for l in 0..<L {
                for (i, e) in masks.edges[l].enumerated() where alive[l][i] {
                    if dead[l][e.source] || dead[l + 1][e.target] {
                        alive[l][i] = false
                        outDeg[l][e.source] -= 1
                        inDeg[l + 1][e.target] -= 1
                    }
                }
            }
        }
        var kept: [[Int]] = []
        var position: [[Int]] = []
        for l in 0...L {
            var k: [Int] = []
            var p = [Int](repeating: -1, count: arch[l])
            for u in 0..<arch[l] where !dead[l][u] {
                p[u] = k.count
                k.append(u)
            }
            kept.append(k)
            position.append(p)
        }
        var edges: [[MaskFile.Edge]] = []
        for l in 0..<L {
            var le: [MaskFile.Edge] = []
            for (i, e) in masks.edges[l].enumerated() where alive[l][i] {
                le.append(MaskFile.Edge(position[l][e.source], position[l + 1][e.target]))
            }
            le.sort()
            edges.append(le)
        }
        self.arch = arch
        self.kept = kept
        self.edges = edges
    }
}
