// Clusterability timings (`sculpt-bench cluster`): spectral clustering and both nulls on a 90 %-pruned
// 784-256×4-10 MLP, Leiden/Louvain on a 10^6-edge layered graph.
import Clusterability
import Dispatch
import SculptCore

/// Wall-clock timings of clustering cases; prints one line per case.
enum ClusterBench {
    static func seconds(_ body: () throws -> Void) rethrows -> Double {
        let t0 = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
    }

    static func run(shuffles: Int = 200, print: (String) -> Void) {
        do {
            let mlp = Synthetic.prunedMLP(arch: [784, 256, 256, 256, 256, 10], density: 0.1, seed: 1)
            let (core, _) = LayeredWeights(masks: mlp).removingIsolated()
            print("MLP 784-256x4-10, 90% pruned, random weights: \(core.graph().vertexCount) vertices, \(core.edgeCount) edges")
            for k in [4, 12] {
                var rng = PhiloxStream(seed: 0, purpose: .clustering)
                var eig = 0.0, full = 0.0
                let g = core.graph()
                eig = try seconds { _ = try Spectral.embedding(g, k: k) }
                full = try seconds { _ = try Spectral.cluster(g, k: k, using: &rng) }
                print(String(format: "spectral k=%d: eigenvectors (dsyevr) %.3f s, clustering incl. 25 k-means restarts %.3f s", k, eig, full))
                for model in NullModel.allCases {
                    var report: ClusterReport?
                    let t = try seconds {
                        report = try Clusterability.spectral(masks: mlp, k: k, shuffles: shuffles, nulls: [model], seed: 0)
                    }
                    let r = report!
                    print(
                        String(
                            format: "spectral k=%d, %d shuffles of null %@: %.1f s (ncut %.4f, null mean %.4f, p %.4f)",
                            k, shuffles, model.rawValue, t, r.statistic, r.nulls[0].mean, r.nulls[0].p))
                }
            }
            var opts = ClusterOptions()
            opts.communityRestarts = 1
            var r1: ClusterReport?
            let tl = try seconds { r1 = try Clusterability.communities(masks: mlp, algorithm: .leiden, shuffles: 0, nulls: [], seed: 0, options: opts) }
            print(String(format: "leiden on the MLP graph, 1 run: %.3f s (Q %.4f)", tl, r1!.statistic))
            let tn = try seconds {
                r1 = try Clusterability.communities(masks: mlp, algorithm: .leiden, shuffles: shuffles, nulls: NullModel.allCases, seed: 0)
            }
            print(String(format: "leiden on the MLP graph, 5 restarts, %d shuffles of each null: %.1f s", shuffles, tn))

            let big = Synthetic.prunedMLP(arch: [5000, 5000, 5000, 5000, 5000], density: 0.01, seed: 2)
            print("layered graph 5000x5, 1% dense: \(big.edgeCount) edges")
            var r2: ClusterReport?
            let tb = try seconds { r2 = try Clusterability.communities(masks: big, algorithm: .leiden, shuffles: 0, nulls: [], seed: 0, options: opts) }
            print(String(format: "leiden on 10^6 edges, 1 run (incl. graph building and Q): %.2f s (Q %.4f, %d communities)", tb, r2!.statistic, r2!.clusterCount))
            let tv = try seconds { r2 = try Clusterability.communities(masks: big, algorithm: .louvain, shuffles: 0, nulls: [], seed: 0, options: opts) }
            print(String(format: "louvain on 10^6 edges, 1 run: %.2f s (Q %.4f)", tv, r2!.statistic))
        } catch {
            print("benchmark failed: \(error)")
        }
    }
}
