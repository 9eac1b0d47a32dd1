import COpenBLAS
import Foundation

/// The ceiling for a training step whose products run on the host: the same matrix products as one
/// step of an MLP (forward, weight gradient, input gradient of every layer but the first), each
/// timed alone through `cblas_sgemm` on ordinary host arrays, medians summed. A step can only
/// approach this; the rest of its time is the other kernels and the synchronisation around products.
enum HostSgemm {
    /// (M, N, K, A transposed, B transposed) of each product in one step of `widths` at `batch` rows,
    /// in the layouts the population passes (weights `[n_out][n_in]`, activations `[rows][n]`).
    static func stepProducts(widths: [Int], batch: Int) -> [(Int, Int, Int, Bool, Bool)] {
        var products: [(Int, Int, Int, Bool, Bool)] = []
        for l in 0..<(widths.count - 1) {
            let nIn = widths[l], nOut = widths[l + 1]
            products.append((batch, nOut, nIn, false, true))  // forward: in · Wᵀ
            products.append((nOut, nIn, batch, true, false))  // weight gradient: dOutᵀ · in
            if l > 0 { products.append((batch, nIn, nOut, false, false)) }  // input gradient: dOut · W
        }
        return products
    }

    /// Median seconds of one product, over `repeats` runs after a warm-up.
    static func seconds(_ M: Int, _ N: Int, _ K: Int, transA: Bool, transB: Bool, repeats: Int) -> Double {
        let a = (0..<(M * K)).map { Float(($0 % 97) - 48) / 97 }
        let b = (0..<(K * N)).map { Float(($0 % 89) - 44) / 89 }
        var c = [Float](repeating: 0, count: M * N)
        func run() {
            cblas_sgemm(
                Int32(COpenBLASRowMajor), Int32(transA ? COpenBLASTrans : COpenBLASNoTrans), Int32(transB ? COpenBLASTrans : COpenBLASNoTrans),
                Int32(M), Int32(N), Int32(K), 1, a, Int32(transA ? M : K), b, Int32(transB ? K : N), 0, &c, Int32(N))
        }
        run()
        var times: [Double] = []
        for _ in 0..<repeats {
            let t0 = DispatchTime.now().uptimeNanoseconds
            run()
            times.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
        }
        times.sort()
        return times[times.count / 2]
    }

    /// Seconds of one step's products at plain-sgemm speed with `threads` OpenBLAS threads.
    static func stepSeconds(widths: [Int], batch: Int, threads: Int, repeats: Int = 7) -> Double {
        openblas_set_num_threads(Int32(threads))
        return stepProducts(widths: widths, batch: batch).reduce(0) { $0 + seconds($1.0, $1.1, $1.2, transA: $1.3, transB: $1.4, repeats: repeats) }
    }
}
