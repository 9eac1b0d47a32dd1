import CLRuntime
import Foundation
import OpenCLBackend
import SculptCore

// MARK: - Arithmetic peak

/// The OpenCL source of the peak kernel: each work-item runs `chains` independent recurrences
/// `a = a·m + c` in `float<lanes>` vectors, the multiply and the add separate (FP_CONTRACT OFF, as in
/// every Sculpt kernel), so it measures what exact (non-FMA) float arithmetic can reach on the device.
func peakKernelSource(lanes: Int, chains: Int) -> String {
    let v = lanes == 1 ? "float" : "float\(lanes)"
    let declare = (0..<chains).map { "    \(v) a\($0) = (\(v))(0.001f * (float)(gid + \($0)));" }.joined(separator: "\n")
    let step = (0..<chains).map { "        a\($0) = a\($0) * m; a\($0) = a\($0) + c;" }.joined(separator: "\n")
    let sum = (0..<chains).map { "a\($0)" }.joined(separator: " + ")
    let reduce = lanes == 1 ? "s" : (0..<lanes).map { "s.s\(String($0, radix: 16))" }.joined(separator: " + ")
    return """
        #pragma OPENCL FP_CONTRACT OFF
        __kernel void peak(const int iters, const float m, const float c, __global float* out) {
            const int gid = get_global_id(0);
        \(declare)
            for (int i = 0; i < iters; ++i) {
        \(step)
            }
            const \(v) s = \(sum);
            out[gid] = \(reduce);
        }
        """
}

/// GFLOP/s of separate float multiplies and adds in the fused layout's vector width, for 4, 8 and 16
/// independent chains per work-item (median of three launches each); the most is the device's
/// attainable peak for the fused path's arithmetic. Validated first against the same recurrence on the host.
@MainActor func benchPeak() throws {
    let backend = try OpenCLBackend(device: device)
    let lanes = OpenCLBackend.defaultFusedLayout(device).lanes
    let items = max(1, device.computeUnits) * 16
    let (m, c): (Float, Float) = (0.999_999, 1e-7)  // a converges to c/(1 − m) = 0.1: no overflow, no subnormals
    var best = 0.0
    for chains in [4, 8, 16] {
        let program = try backend.context.program(source: peakKernelSource(lanes: lanes, chains: chains), name: "peak")
        let kernel = try program.kernel("peak")
        let out = try backend.context.buffer(Float.self, count: items, label: "peak out")
        func launch(_ iters: Int) throws -> Double {
            try kernel.set(0, Int32(iters))
            try kernel.set(1, m)
            try kernel.set(2, c)
            try kernel.set(3, out)
            let t0 = now()
            _ = try backend.queue.enqueue(kernel, global: [items], local: [1])  // one work-item per group: every core gets groups
            try backend.queue.finish()
            return now() - t0
        }
        // Validate: work-item 1's result against the host recurrence (same operations, same order).
        _ = try launch(1000)
        let got = try backend.queue.read(out)[1]
        var chainSum: Float = 0  // every lane holds the same chains: a0 + a1 + … in order
        for k in 0..<chains {
            var a = 0.001 * Float(1 + k)
            for _ in 0..<1000 { a = a * m; a = a + c }
            chainSum = k == 0 ? a : chainSum + a
        }
        let expected = (1..<lanes).reduce(chainSum) { sum, _ in sum + chainSum }
        if abs(got - expected) > 1e-4 * abs(expected) { fatalError("peak kernel: \(got) against the host's \(expected)") }
        // Size a launch to about 0.3 s, then time it three times.
        var iters = 1 << 16
        while try launch(iters) < 0.1 && iters < 1 << 28 { iters *= 2 }
        iters = Int(Double(iters) * 0.3 / max(try launch(iters), 1e-3))
        let t = median(try (0..<3).map { _ in try launch(iters) })
        let gflops = 2 * Double(lanes * chains * items) * Double(iters) / t / 1e9
        best = max(best, gflops)
        report(
            "peak", ["lanes": lanes, "chains": chains, "work_items": items, "iterations": iters, "gflops": gflops],
            String(format: "separate mul + add, float%d, %2d chains × %d work-items: %.1f GFLOP/s", lanes, chains, items, gflops))
    }
    report("peak-best", ["lanes": lanes, "gflops": best], String(format: "attainable peak (exact float arithmetic): %.1f GFLOP/s", best))
}

/// Floating-point operations of one training step of one model in its matrix products: forward,
/// backward to every hidden layer, weight gradients, and the step's share of the epoch's validation
/// forward pass over `validationRows` (Adam, losses and masks not counted).
func matrixFlopsPerStep(arch: Architecture, batch: Int, validationRows: Int) -> Double {
    let W = Double(arch.weightCount), firstLayer = Double(arch.widths[0] * arch.widths[1])
    let stepsPerEpoch = Double((validationRows + batch - 1) / batch)
    let B = Double(batch)
    return 2 * W * B + 2 * (W - firstLayer) * B + 2 * W * B + 2 * W * Double(validationRows) / stepsPerEpoch
}
