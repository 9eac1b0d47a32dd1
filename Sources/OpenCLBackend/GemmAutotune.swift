import CLRuntime
import Foundation
import SculptCore

/// `--gemm auto` on devices that are not CPUs: whether the hand-written kernels or CLBlast run large
/// products faster, measured once per device and driver on two representative products (a forward
/// product and a weight gradient of a 1024-wide layer at batch 512) and cached in
/// `<cache>/gemm-paths.json`, so later runs start without measuring. A failing CLBlast call chooses the
/// kernels and records why.
public enum GemmAutotune {
    /// One device's measurement, as cached.
    public struct Choice: Codable, Sendable, Equatable {
        public var path: String
        public var openclSeconds: Double
        public var clblastSeconds: Double?
        public var note: String?
        public var date: String
    }

    /// Cache key: the device's name and driver version.
    static func key(_ device: CLDevice) -> String { "\(device.name) | \(device.platformName) | driver \(device.driverVersion)" }

    static func cacheFile(environment: [String: String]) -> String { CacheDirectory.path(environment: environment) + "/gemm-paths.json" }

    /// The cached choice for `backend`'s device, or a fresh measurement (then cached). A cache that
    /// cannot be read or written is ignored: the measurement is repeated next time.
    /// - Parameter width: the layer width and half the batch of the products timed (tests pass a small one).
    static func choose(
        for backend: OpenCLBackend, width: Int = 1024, environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> (path: OpenCLBackend.GemmPath, choice: Choice) {
        let file = cacheFile(environment: environment), key = key(backend.context.device)
        var table = (try? RecordCoding.decoder().decode([String: Choice].self, from: Data(contentsOf: URL(fileURLWithPath: file)))) ?? [:]
        if let c = table[key], let path = OpenCLBackend.GemmPath(rawValue: c.path), path == .opencl || path == .clblast { return (path, c) }
        let c = measure(backend, width: width)
        table[key] = c
        if let data = try? RecordCoding.fileData(table) { try? AtomicFile.write(data, to: file) }
        return (OpenCLBackend.GemmPath(rawValue: c.path) ?? .opencl, c)
    }

    /// Times both paths (median of 3 after a warm-up that also builds CLBlast's kernels).
    static func measure(_ backend: OpenCLBackend, width: Int) -> Choice {
        let date = ISO8601DateFormatter().string(from: Date())
        do {
            let opencl = try seconds(backend, path: .opencl, width: width)
            do {
                let clblast = try seconds(backend, path: .clblast, width: width)
                return Choice(path: clblast < opencl ? "clblast" : "opencl", openclSeconds: opencl, clblastSeconds: clblast, note: nil, date: date)
            } catch {
                return Choice(path: "opencl", openclSeconds: opencl, clblastSeconds: nil, note: "CLBlast failed: \(error)", date: date)
            }
        } catch {
            return Choice(path: "opencl", openclSeconds: .nan, clblastSeconds: nil, note: "measurement failed: \(error)", date: date)
        }
    }

    static func seconds(_ b: OpenCLBackend, path: OpenCLBackend.GemmPath, width: Int) throws -> Double {
        let M = width / 2, N = width, K = width
        let x = try b.makeFloats(M * K, label: "autotune input"), w = try b.makeFloats(N * K, label: "autotune weights")
        let y = try b.makeFloats(M * N, label: "autotune output"), gw = try b.makeFloats(N * K, label: "autotune gradient")
        let active = try b.makeUInts(1, label: "autotune active")
        try b.write([1], to: active, offset: 0)
        let saved = b.gemmPath
        b.gemmPath = path
        defer { b.gemmPath = saved }
        func products() throws {
            // Forward (in · Wᵀ) and weight gradient (dOutᵀ · in), in the layouts training uses.
            try b.gemm(
                P: 1, M: M, N: N, K: K, a: x, aOff: 0, sAp: 0, sAm: K, sAk: 1, b: w, bOff: 0, sBp: 0, sBk: 1, sBn: K,
                c: y, cOff: 0, sCp: 0, ldc: N, bias: nil, biasOff: 0, sBiasP: 0, relu: true, gate: nil, gOff: 0, sGp: 0, ldg: 0, active: active)
            try b.gemm(
                P: 1, M: N, N: K, K: M, a: y, aOff: 0, sAp: 0, sAm: 1, sAk: N, b: x, bOff: 0, sBp: 0, sBk: K, sBn: 1,
                c: gw, cOff: 0, sCp: 0, ldc: K, bias: nil, biasOff: 0, sBiasP: 0, relu: false, gate: nil, gOff: 0, sGp: 0, ldg: 0, active: active)
            try b.finish()
        }
        try products()
        var times: [Double] = []
        for _ in 0..<3 {
            let t0 = DispatchTime.now().uptimeNanoseconds
            try products()
            times.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
        }
        return times.sorted()[1]
    }
}
