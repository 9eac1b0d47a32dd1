import Analysis
import Foundation
import Reports
import SculptCore

/// Wall-clock timings of module detection, for `Benchmarks/` (validate first, then time: each
/// measurement checks that every kept unit landed in exactly one module before it reports).
enum AnalysisTiming {
    struct Measurement: CustomStringConvertible {
        public let name: String
        /// Median over the repeats, seconds.
        public let seconds: Double
        public let repeats: Int
        public let detail: String
        public var description: String { "\(name): median \(String(format: "%.3f", seconds)) s over \(repeats) runs (\(detail))" }
    }

    /// A random pruned network: `edges` distinct edges spread evenly over the weight layers, drawn
    /// with a seeded SplitMix64 generator (so every run times the same masks).
    static func syntheticMasks(arch: [Int], edges: Int, seed: UInt64, task: String? = nil) -> MaskFile {
        var state = seed
        func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        let L = arch.count - 1
        var layers: [[MaskFile.Edge]] = []
        for l in 0..<L {
            let want = min(edges / L + (l < edges % L ? 1 : 0), arch[l] * arch[l + 1])
            var set = Set<MaskFile.Edge>()
            while set.count < want {
                set.insert(MaskFile.Edge(Int(next() % UInt64(arch[l])), Int(next() % UInt64(arch[l + 1]))))
            }
            layers.append(set.sorted())
        }
        return MaskFile(arch: arch, task: task, edges: layers)
    }

    /// Detection (no file I/O) on one large synthetic network, default
    /// `[1568,1568,1568,1568,1568,20]` with 20,000 edges.
    static func timeLargeNetwork(
        arch: [Int] = [1568, 1568, 1568, 1568, 1568, 20], edges: Int = 20_000,
        repeats: Int = 3
    ) -> Measurement {
        let masks = syntheticMasks(arch: arch, edges: edges, seed: 1)
        var times: [Double] = []
        var detail = ""
        for _ in 0..<max(repeats, 1) {
            let t0 = DispatchTime.now().uptimeNanoseconds
            let r = ModuleDetection.detect(masks)
            times.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
            precondition(r.modules.reduce(0) { $0 + $1.count } == r.condensedArch.reduce(0, +), "modules must cover the kept units")
            detail = "arch \(arch), \(masks.edgeCount) edges, condensed \(r.condensedArch), \(r.modules.count) modules"
        }
        return Measurement(name: "detect large network", seconds: median(times), repeats: times.count, detail: detail)
    }

    /// Reading and analysing `count` small mask files (`[4,24,24,4]`, 40 edges each) with
    /// `ModuleReport.analyzeFiles`, as `sculpt analyze` does; the files go to `directory`.
    /// - Throws: the file system's error while writing the inputs.
    static func timeManySmallFiles(count: Int = 1000, directory: String, repeats: Int = 3) throws -> Measurement {
        var paths: [String] = []
        for i in 0..<count {
            let m = syntheticMasks(arch: [4, 24, 24, 4], edges: 40, seed: UInt64(i + 1), task: "non-modular")
            let p = (directory as NSString).appendingPathComponent("masks-\(i).json")
            try AtomicFile.write(m.jsonData(), to: p)
            paths.append(p)
        }
        var times: [Double] = []
        for _ in 0..<max(repeats, 1) {
            let t0 = DispatchTime.now().uptimeNanoseconds
            let out = ModuleReport.analyzeFiles(paths)
            times.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
            precondition(out.allSatisfy { if case .success = $0.outcome { return true } else { return false } }, "every file must parse")
        }
        return Measurement(
            name: "analyze \(count) small files", seconds: median(times), repeats: times.count,
            detail: "[4,24,24,4], 40 edges each, read + detect + judge")
    }

    static func median(_ xs: [Double]) -> Double {
        let s = xs.sorted()
        return s.isEmpty ? 0 : s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }
}
