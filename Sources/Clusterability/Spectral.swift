import CLAPACK
import COpenBLAS
import SculptCore

/// Spectral k-way clustering and n-cut (docs/method.md §12).
public enum Spectral {
    /// n-cut of a partition: `Σ_i cut(X_i) / (vol(X_i) + 1e-8)` over the clusters present; vertices labelled
    /// −1 take no part. Range [0, k]; lower is more modular.
    /// - Precondition: `labels.count == graph.vertexCount`.
    public static func nCut(_ graph: WeightGraph, labels: [Int]) -> Double {
        precondition(labels.count == graph.vertexCount, "\(labels.count) labels for \(graph.vertexCount) vertices")
        let k = (labels.max() ?? -1) + 1
        guard k > 0 else { return 0 }
        var cut = [Double](repeating: 0, count: k)
        var vol = [Double](repeating: 0, count: k)
        var present = [Bool](repeating: false, count: k)
        for c in labels where c >= 0 { present[c] = true }
        for e in graph.edges {
            let a = labels[e.u], b = labels[e.v]
            guard a >= 0, b >= 0 else { continue }
            vol[a] += e.weight
            vol[b] += e.weight
            if a != b { cut[a] += e.weight; cut[b] += e.weight }
        }
        var s = 0.0
        for c in 0..<k where present[c] { s += cut[c] / (vol[c] + 1e-8) }
        return s
    }

    /// The spectral embedding: the eigenvectors of the `k` smallest eigenvalues of
    /// `L = I − D^{-1/2} A D^{-1/2}` (trivial one included), each row divided by `sqrt(d_u)`.
    /// LAPACK `dsyevr` (range 'I') on the dense Laplacian, O(n²) memory, O(n³) time.
    /// - Returns: row-major `[n][k]`, and the k eigenvalues in ascending order.
    /// - Precondition: no isolated vertex, `1 ≤ k ≤ n`.
    public static func embedding(_ graph: WeightGraph, k: Int) throws -> (rows: [Double], eigenvalues: [Double]) {
        let n = graph.vertexCount
        precondition(k >= 1 && k <= n, "k = \(k) for \(n) vertices")
        let d = graph.degrees
        precondition(!d.contains(0), "isolated vertex: remove isolated vertices before clustering")
        singleThreadedBLAS()
        let inv = d.map { 1 / $0.squareRoot() }
        // Column-major n×n; symmetric, so both triangles are filled and the layout does not matter.
        var a = [Double](repeating: 0, count: n * n)
        for i in 0..<n { a[i * n + i] = 1 }
        for e in graph.edges {
            let x = -e.weight * inv[e.u] * inv[e.v]
            a[e.u * n + e.v] += x
            a[e.v * n + e.u] += x
        }
        var m: LapackInt = 0
        var w = [Double](repeating: 0, count: n)
        var z = [Double](repeating: 0, count: n * k)
        var isuppz = [LapackInt](repeating: 0, count: 2 * k)
        let info = LAPACKE_dsyevr(
            LAPACK_COL_MAJOR, CChar(UInt8(ascii: "V")), CChar(UInt8(ascii: "I")), CChar(UInt8(ascii: "L")),
            LapackInt(n), &a, LapackInt(n), 0, 0, 1, LapackInt(k), 0,
            &m, &w, &z, LapackInt(n), &isuppz)
        guard info == 0, m == k else { throw ClusterabilityError.lapack(routine: "dsyevr", info: Int(info)) }
        var rows = [Double](repeating: 0, count: n * k)
        for i in 0..<n {
            for j in 0..<k { rows[i * k + j] = z[j * n + i] * inv[i] }
        }
        return (rows, Array(w[0..<k]))
    }

    /// Spectral k-way clustering of a graph without isolated vertices: `embedding`, then k-means++ with
    /// `restarts` restarts (default 25, or 100 above 2,000 vertices), lowest inertia kept. When the graph
    /// has fewer than `k` vertices, `k` is lowered to the vertex count.
    /// - Returns: a label in `0..<k` per vertex, clusters numbered in order of first appearance.
    public static func cluster(_ graph: WeightGraph, k: Int, restarts: Int? = nil, using rng: inout PhiloxStream) throws -> [Int] {
        let n = graph.vertexCount
        guard n > 0 else { return [] }
        let kk = min(k, n)
        let (rows, _) = try embedding(graph, k: kk)
        let r = restarts ?? (n > 2000 ? 100 : 25)
        return relabelled(KMeans.fit(rows, n: n, dim: kk, k: kk, restarts: r, using: &rng).labels)
    }

    /// Renumbers labels ≥ 0 in order of first appearance (−1 stays); makes outputs comparable.
    static func relabelled(_ labels: [Int]) -> [Int] {
        var map: [Int: Int] = [:]
        return labels.map { c in
            guard c >= 0 else { return -1 }
            if let m = map[c] { return m }
            map[c] = map.count
            return map.count - 1
        }
    }

    /// OpenBLAS on one thread: parallelism is across shuffles, and one thread gives the same bits
    /// whichever thread calls. NOTE: this is process-wide (OpenBLAS has no per-call setting), and
    /// training's host products may have raised it since the last call, so it is checked every time.
    private static func singleThreadedBLAS() {
        if openblas_get_num_threads() != 1 { openblas_set_num_threads(1) }
    }
}

/// Lloyd's k-means with k-means++ seeding (Arthur & Vassilvitskii 2007), seeded from a Philox stream.
public enum KMeans {
    /// Clusters `n` points of dimension `dim` (row-major `points[n][dim]`) into `k` clusters, `restarts`
    /// times from fresh k-means++ seeds, and keeps the lowest inertia (the first on ties).
    /// An emptied cluster takes the point farthest from its centre. Stops when no label changes (≤ 300 sweeps).
    public static func fit(_ points: [Double], n: Int, dim: Int, k: Int, restarts: Int, using rng: inout PhiloxStream) -> (labels: [Int], inertia: Double) {
        precondition(points.count == n * dim && k >= 1 && k <= n && restarts >= 1)
        var best: (labels: [Int], inertia: Double) = ([], .infinity)
        for _ in 0..<restarts {
            let r = lloyd(points, n: n, dim: dim, centres: seed(points, n: n, dim: dim, k: k, using: &rng), k: k)
            if r.inertia < best.inertia { best = r }
        }
        return best
    }

    @inline(__always)
    static func distance2(_ p: UnsafePointer<Double>, _ c: UnsafePointer<Double>, _ dim: Int) -> Double {
        var s = 0.0
        for j in 0..<dim { let t = p[j] - c[j]; s += t * t }
        return s
    }

    /// Uniform in [0, 1) with 53 random bits.
    static func unit(_ rng: inout PhiloxStream) -> Double { Double(rng.next() >> 11) * 0x1p-53 }

    /// k-means++: the first centre uniform, each next one a point drawn with probability ∝ D(x)².
    static func seed(_ x: [Double], n: Int, dim: Int, k: Int, using rng: inout PhiloxStream) -> [Double] {
        var centres = [Double](repeating: 0, count: k * dim)
        var d2 = [Double](repeating: .infinity, count: n)
        var pick = rng.nextIndex(below: n)
        x.withUnsafeBufferPointer { xp in
            for c in 0..<k {
                for j in 0..<dim { centres[c * dim + j] = xp[pick * dim + j] }
                if c == k - 1 { break }
                var total = 0.0
                centres.withUnsafeBufferPointer { cp in
                    for i in 0..<n {
                        let t = distance2(xp.baseAddress! + i * dim, cp.baseAddress! + c * dim, dim)
                        if t < d2[i] { d2[i] = t }
                        total += d2[i]
                    }
                }
                if total > 0 {
                    let target = unit(&rng) * total
                    var acc = 0.0
                    pick = n - 1
                    for i in 0..<n {
                        acc += d2[i]
                        if acc > target && d2[i] > 0 { pick = i; break }
                    }
                } else {
                    pick = rng.nextIndex(below: n)
                }
            }
        }
        return centres
    }

    static func lloyd(_ x: [Double], n: Int, dim: Int, centres initial: [Double], k: Int) -> (labels: [Int], inertia: Double) {
        var centres = initial
        var labels = [Int](repeating: -1, count: n)
        var dist = [Double](repeating: 0, count: n)
        var inertia = 0.0
        x.withUnsafeBufferPointer { xp in
            for _ in 0..<300 {
                var changed = false
                inertia = 0
                centres.withUnsafeBufferPointer { cp in
                    for i in 0..<n {
                        var bestC = 0, bestD = Double.infinity
                        for c in 0..<k {
                            let t = distance2(xp.baseAddress! + i * dim, cp.baseAddress! + c * dim, dim)
                            if t < bestD { bestD = t; bestC = c }
                        }
                        if labels[i] != bestC { labels[i] = bestC; changed = true }
                        dist[i] = bestD
                        inertia += bestD
                    }
                }
                // Empty clusters take the farthest points, one each (deterministic: largest distance, lowest index).
                var counts = [Int](repeating: 0, count: k)
                for c in labels { counts[c] += 1 }
                for c in 0..<k where counts[c] == 0 {
                    var far = -1
                    for i in 0..<n where counts[labels[i]] > 1 && (far < 0 || dist[i] > dist[far]) { far = i }
                    guard far >= 0 else { break }
                    counts[labels[far]] -= 1
                    labels[far] = c
                    counts[c] = 1
                    inertia -= dist[far]
                    dist[far] = 0
                    changed = true
                }
                if !changed { break }
                centres = [Double](repeating: 0, count: k * dim)
                for i in 0..<n {
                    let c = labels[i]
                    for j in 0..<dim { centres[c * dim + j] += xp[i * dim + j] }
                }
                for c in 0..<k where counts[c] > 0 {
                    for j in 0..<dim { centres[c * dim + j] /= Double(counts[c]) }
                }
            }
        }
        return (labels, inertia)
    }
}

/// LAPACKE's `lapack_int` (a macro, so not imported): `int32_t` in Debian's LP64 build.
typealias LapackInt = Int32
