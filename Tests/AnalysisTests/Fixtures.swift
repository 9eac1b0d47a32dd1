import TestSupport
import Foundation
@testable import Analysis
import SculptCore

/// Hand-built masks for the tests. Edges are given as `(source, target)` per weight layer.
enum Fixture {
    static func masks(_ arch: [Int], task: String? = nil, _ layers: [[(Int, Int)]]) -> MaskFile {
        MaskFile(arch: arch, task: task, edges: layers.map { $0.map { MaskFile.Edge($0.0, $0.1) } })
    }

    /// All edges from every source in `from` to every target in `to`.
    static func full(_ from: [Int], _ to: [Int]) -> [(Int, Int)] { from.flatMap { s in to.map { (s, $0) } } }

    /// docs/method.md §10 check 3: `[4,24,4]`, hidden 12 and 16 read x0, x1 and feed y0, y1; hidden 7 and 21
    /// read x2, x3 and feed y2, y3 (16 edges).
    static func check3(task: String? = "xor-pairs") -> MaskFile {
        masks(
            [4, 24, 4], task: task,
            [
                full([0, 1], [12, 16]) + full([2, 3], [7, 21]),
                full([12, 16], [0, 1]) + full([7, 21], [2, 3]),
            ])
    }

    /// One sub-function of all 4 inputs: hidden 3 and 9 read every input and feed every output.
    static func nonModular(task: String? = "non-modular") -> MaskFile {
        masks([4, 24, 4], task: task, [full([0, 1, 2, 3], [3, 9]), full([3, 9], [0, 1, 2, 3])])
    }

    /// `[6,3,3,3]` on `[6,24,24,3]`: A = h5(x0,x1), B = h11(x2,x3), C = h17(x4,x5), each copied to the
    /// second hidden layer (h2, h8, h20), then y0 ← A,B; y1 ← A,C; y2 ← B,C.
    static func andOr(task: String? = "and-or") -> MaskFile {
        masks(
            [6, 24, 24, 3], task: task,
            [
                [(0, 5), (1, 5), (2, 11), (3, 11), (4, 17), (5, 17)],
                [(5, 2), (11, 8), (17, 20)],
                [(2, 0), (8, 0), (2, 1), (20, 1), (8, 2), (20, 2)],
            ])
    }

    /// Reuse `[4,1,2,U]` on `[4,24,24,U]`: hidden 1, 4, 6 form the shared non-separable module
    /// (x1, x2 feed all three, x0 only h1, x3 only h6); h1, h4, h6 all feed g3 and g10;
    /// g3 feeds the even outputs, g10 the odd ones. Condensed `[4,3,2,U]`.
    static func reuse(_ u: Int, task: String? = nil) -> MaskFile {
        let even = Array(stride(from: 0, to: u, by: 2)), odd = Array(stride(from: 1, to: u, by: 2))
        return masks(
            [4, 24, 24, u], task: task ?? "reuse-\(u)",
            [
                [(0, 1)] + full([1, 2], [1, 4, 6]) + [(3, 6)],
                full([1, 4, 6], [3, 10]),
                full([3], even) + full([10], odd),
            ])
    }

    /// Overlap `o = 2`, `U = 4` on `[6,24,24,4]`: F1 unit h2 reads x0..x3, F2 unit h9 reads x2..x5;
    /// each is copied (g5, g7) and feeds its outputs (even ← F1, odd ← F2).
    static func overlap2() -> MaskFile {
        masks(
            [6, 24, 24, 4], task: "overlap-2-4",
            [
                full([0, 1, 2, 3], [2]) + full([2, 3, 4, 5], [9]),
                [(2, 5), (9, 7)],
                full([5], [0, 2]) + full([7], [1, 3]),
            ])
    }

    /// Hierarchy `[8,2,1,2,U]` on `[8,24,24,24,U]`: a = h3(x0..x3), b = h8(x4..x7), c = g1(a, b),
    /// then d0 = k4 (even outputs) and d1 = k9 (odd outputs), both reading c.
    static func hierarchy(_ u: Int) -> MaskFile {
        let even = Array(stride(from: 0, to: u, by: 2)), odd = Array(stride(from: 1, to: u, by: 2))
        return masks(
            [8, 24, 24, 24, u], task: "hierarchy-\(u)",
            [
                full([0, 1, 2, 3], [3]) + full([4, 5, 6, 7], [8]),
                [(3, 1), (8, 1)],
                [(1, 4), (1, 9)],
                full([4], even) + full([9], odd),
            ])
    }

    /// The same masks with each layer's edges in a seeded random order.
    static func shuffled(_ m: MaskFile, seed: UInt64) -> MaskFile {
        var rng = SplitMix64(seed)
        var out = m
        out.edges = m.edges.map { $0.shuffled(using: &rng) }
        return out
    }
}

extension DetectionResult {
    /// Modules as sets of names like "x0", "h12", "y1" (single hidden layer) for readable asserts.
    var moduleNames: Set<Set<String>> {
        Set(modules.map { Set($0.map { u in u.layer == 0 ? "x\(u.unit)" : u.layer == depth ? "y\(u.unit)" : "h\(u.unit)" }) })
    }
}
