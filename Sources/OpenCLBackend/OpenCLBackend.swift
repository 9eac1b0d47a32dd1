import CLRuntime
import SculptCore
import SculptKernels

/// Runs the kernels of `Kernels/` on one OpenCL device. Owns its context, queue and kernel objects;
/// not thread-safe (kernel arguments are per object), so use one backend per thread.
public final class OpenCLBackend: ComputeBackend {
    public typealias Floats = CLBuffer<Float>
    public typealias UInts = CLBuffer<UInt32>

    public let context: CLContext
    public let queue: CLQueue
    let program: CLProgram
    private var kernels: [String: CLKernel] = [:]

    /// Kernel families built into the one program, in dependency order (mathfn.cl and random.cl first:
    /// others use them).
    public static let families = ["mathfn", "random", "dropout", "data", "dense", "sparse", "loss", "adam", "population", "prune", "gemm"]

    /// Which matrix-product kernels run large layers (`Kernels/gemm.cl`).
    public enum GemmVariant: String, Sendable, CaseIterable {
        /// From the device type: GPU kernels on GPUs, CPU kernels otherwise.
        case auto
        /// Vector-type, register-blocked kernels with work-groups of one item.
        case cpu
        /// Local-memory tiles with register blocking.
        case gpu
    }

    public let gemmVariant: GemmVariant
    /// Parameters each work-item of `adam_step` updates: 64 on CPUs (a vectorised loop), 1 elsewhere
    /// (coalesced). Any value gives the same results; tests set both.
    public var adamChunk: Int

    /// Which implementation runs the matrix products of large layers.
    public enum GemmPath: String, Sendable, CaseIterable {
        /// `blas` on CPU devices, `opencl` on others.
        case auto
        /// The hand-written kernels of `Kernels/gemm.cl` (variant: `gemmVariant`), on any device.
        case opencl
        /// OpenBLAS's `cblas_sgemm` on the host over the device buffers mapped into host memory; only
        /// for devices whose memory is the host's (CPU devices), where the mapping copies nothing.
        case blas
        /// CLBlast's strided-batched SGEMM on the device (any device; meant for GPUs).
        case clblast
    }

    /// The path the large products take (never `.auto`: resolved from the device at creation; on
    /// devices other than CPUs by `GemmAutotune`'s cached measurement).
    public internal(set) var gemmPath: GemmPath
    /// The measurement `.auto` chose from on a device other than a CPU (nil otherwise).
    public private(set) var gemmChoice: GemmAutotune.Choice?
    /// OpenBLAS threads for `.blas` products (`defaultBLASThreads()` unless given at creation).
    public let blasThreads: Int

    /// The gemm.cl tuning macros the program was built with, and the launch geometry they imply.
    public let gemmTuning: GemmTuning
    /// With `gemmPath` `.blas` or `.clblast`, products of at least this many multiply-adds per model
    /// (M·N·K) go to the library; smaller ones stay on the kernels, whose launch costs less than a
    /// host synchronisation or a library call. Depends on the product's shape only, never on the
    /// population.
    public var libraryGemmMinimum = 1 << 18
    /// How many `gemm` calls the library (OpenBLAS or CLBlast) has taken, the rest having run on the
    /// kernels: lets tests and benchmarks confirm which path ran.
    public internal(set) var libraryProducts = 0
    /// Device scratch for CLBlast's results before the epilogue copies them into place.
    var scratchForLibrary: Floats?
    /// Layer 0 of a model runs on `Kernels/sparse.cl` once its live weights padded to its longest row
    /// (n1 · K) are at most this many times its inputs n0 (`defaultSparseInputCrossover`; 0 never).
    public var sparseInputCrossover: Double
    /// Above this many weights per model, selection runs as parallel radix histograms.
    public var parallelSelectThreshold = 1 << 16
    var radixScratch: (P: Int, G: Int, hist: UInts, rank: UInts, prefix: UInts, mask: UInts)?
    /// The fused small-network path's layout (`defaultFusedLayout`), nil to train every population
    /// with per-layer launches. Its program (`Kernels/fused.cl`) is built at first use, per layout.
    public var fusedLayout: FusedLayout? {
        didSet {
            guard fusedLayout != oldValue else { return }
            fusedProgram = nil
            for name in kernels.keys where name.hasPrefix("fused_") { kernels[name] = nil }
        }
    }
    var fusedProgram: CLProgram?
    /// Populations training at most this many models at once run the fused path's solo kernel (one
    /// model per work-item, its rows or units in the lanes; `defaultFusedSoloLimit`); 0 never.
    public var fusedSoloLimit: Int
    let programOptions: String

    /// - Parameters:
    ///   - gemm: the large-layer kernel variant (default: from the device type).
    ///   - path: who runs the large products (default: OpenBLAS on CPU devices, the kernels elsewhere).
    ///   - blasThreads: OpenBLAS threads for the `.blas` path (default `defaultBLASThreads()`).
    ///   - tuning: the gemm.cl tuning macros (set through this value only, so launches match them).
    ///   - buildOptions: extra OpenCL build options.
    /// - Throws: `GemmPathError` for `.blas` on a device with its own memory, `GemmTuningError`,
    ///   `CLError` (with the build log when a kernel does not compile) or `KernelSourceError`.
    public init(
        device: CLDevice, gemm: GemmVariant = .auto, path: GemmPath = .auto, blasThreads: Int? = nil, tuning: GemmTuning = GemmTuning(),
        buildOptions: String = ""
    ) throws {
        try tuning.validate(maxWorkGroupSize: device.maxWorkGroupSize, localMemoryBytes: device.localMemoryBytes)
        switch path {
        case .auto: gemmPath = device.type == .cpu ? .blas : .opencl  // on other devices measured below
        case .blas where device.type != .cpu:
            throw GemmPathError(
                "--gemm blas runs the products on the host over mapped device memory, which needs a CPU device; \(device.name) is a \(device.type.rawValue) device (use --gemm opencl or auto)"
            )
        default: gemmPath = path
        }
        if let blasThreads, blasThreads < 1 { throw GemmPathError("OpenBLAS threads must be at least 1, not \(blasThreads)") }
        self.blasThreads = blasThreads ?? Self.defaultBLASThreads()
        context = try CLContext(device: device)
        queue = try context.makeQueue()
        gemmVariant = gemm == .auto ? (device.type == .gpu ? .gpu : .cpu) : gemm
        adamChunk = device.type == .cpu ? 64 : 1
        sparseInputCrossover = Self.defaultSparseInputCrossover(device.type)
        gemmTuning = tuning
        let source = try Self.families.map { try KernelSources.source($0) }.joined(separator: "\n")
        programOptions = "-cl-std=CL1.2 \(SnapshotRule.buildOption) \(tuning.buildOptions) \(buildOptions)"
        fusedLayout = Self.defaultFusedLayout(device)
        fusedSoloLimit = Self.defaultFusedSoloLimit(device, layout: Self.defaultFusedLayout(device))
        program = try context.program(
            source: source, options: programOptions,
            name: "sculpt kernels (\(Self.families.joined(separator: ", ")))")
        if path == .auto && device.type != .cpu {
            let (chosen, choice) = GemmAutotune.choose(for: self)
            gemmPath = chosen
            gemmChoice = choice
        }
    }

    /// Where the sparse first layer starts to win, n1 · K ≤ 1 · n0 (Benchmarks/RESULTS.md, "The sparse
    /// first layer"): measured on a CPU device; other devices get the same value until one is measured.
    public static func defaultSparseInputCrossover(_ type: CLDevice.DeviceType) -> Double { 1 }

    public var deviceDescription: String {
        let d = context.device
        return "\(d.name) (\(d.type.rawValue), \(d.platformName), driver \(d.driverVersion))"
    }

    /// Who runs the large matrix products, for run files: e.g. "blas (OpenBLAS 0.3.21 …, 2 threads)" or
    /// "opencl (cpu kernels)".
    public var matrixProducts: String {
        let large: String
        switch gemmPath {
        case .blas: large = "blas (\(Self.hostBLASDescription(threads: blasThreads)))"
        case .clblast: large = "clblast (CLBlast strided-batched SGEMM\(gemmChoice.map { Self.measured($0) } ?? ""))"
        default: large = "opencl (\(gemmVariant.rawValue) kernels\(gemmChoice.map { Self.measured($0) } ?? ""))"
        }
        return large + Self.sparseFirstLayer(sparseInputCrossover) + "; small networks " + (fusedLayout.map { "fused (\($0))" } ?? "per layer")
    }

    /// "; chosen by measurement: kernels 12.1 ms, CLBlast 8.3 ms" for run files.
    static func measured(_ c: GemmAutotune.Choice) -> String {
        let clblast = c.clblastSeconds.map { String(format: "CLBlast %.2f ms", $0 * 1000) } ?? "CLBlast unavailable"
        return String(format: "; chosen by measurement: kernels %.2f ms, %@", c.openclSeconds * 1000, clblast)
    }

    public var memory: (total: UInt64, maxAllocation: UInt64)? {
        (context.device.globalMemoryBytes, context.device.maxAllocationBytes)
    }

    func kernel(_ name: String) throws -> CLKernel {
        if let k = kernels[name] { return k }
        let k = try (name.hasPrefix("fused_") ? fusedKernels() : program).kernel(name)
        kernels[name] = k
        return k
    }

    public func makeFloats(_ count: Int, label: String) throws -> Floats { try context.buffer(Float.self, count: count, label: label) }
    public func makeUInts(_ count: Int, label: String) throws -> UInts { try context.buffer(UInt32.self, count: count, label: label) }
    public func write(_ values: [Float], to buffer: Floats, offset: Int) throws { try queue.write(buffer, values, offset: offset) }
    public func write(_ values: [UInt32], to buffer: UInts, offset: Int) throws { try queue.write(buffer, values, offset: offset) }
    public func read(_ buffer: Floats, offset: Int, count: Int) throws -> [Float] { try queue.read(buffer, offset: offset, count: count) }
    public func read(_ buffer: UInts, offset: Int, count: Int) throws -> [UInt32] { try queue.read(buffer, offset: offset, count: count) }
    public func copy(_ src: Floats, srcOffset: Int, to dst: Floats, dstOffset: Int, count: Int) throws {
        try queue.copy(from: src, srcOffset: srcOffset, to: dst, dstOffset: dstOffset, count: count)
    }
    public func finish() throws { try queue.finish() }

    /// One argument of a launch.
    enum Arg {
        case i(Int), f(Float), fb(Floats), ub(UInts)
    }

    /// Binds `args` in order and launches `name` over `global` (in work-groups of `local` when given).
    func launch(_ name: String, _ global: [Int], _ args: [Arg], local: [Int]? = nil) throws {
        if global.contains(0) { return }
        let k = try kernel(name)
        for (n, a) in args.enumerated() {
            switch a {
            case .i(let v):
                precondition(v >= Int(Int32.min) && v <= Int(Int32.max), "\(name) argument \(n) = \(v) does not fit a 32-bit int")
                try k.set(n, Int32(v))
            case .f(let v): try k.set(n, v)
            case .fb(let b): try k.set(n, b)
            case .ub(let b): try k.set(n, b)
            }
        }
        try queue.enqueue(k, global: global, local: local)
    }

}

/// A large-product path the device cannot take.
public struct GemmPathError: Error, CustomStringConvertible, Equatable {
    public let description: String
    init(_ d: String) { description = d }
}
