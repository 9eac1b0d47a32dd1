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

    /// Kernel families built into the one program, in dependency order (random.cl first: others use it).
    public static let families = ["random", "dropout", "data", "dense", "loss", "adam", "population", "prune", "gemm"]

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

    /// The gemm.cl tuning macros the program was built with, and the launch geometry they imply.
    public let gemmTuning: GemmTuning
    /// Above this many weights per model, selection runs as parallel radix histograms.
    public var parallelSelectThreshold = 1 << 16
    var radixScratch: (P: Int, G: Int, hist: UInts, rank: UInts, prefix: UInts, mask: UInts)?

    /// - Parameters:
    ///   - gemm: the large-layer kernel variant (default: from the device type).
    ///   - tuning: the gemm.cl tuning macros (set through this value only, so launches match them).
    ///   - buildOptions: extra OpenCL build options.
    /// - Throws: `GemmTuningError`, `CLError` (with the build log when a kernel does not compile) or `KernelSourceError`.
    public init(device: CLDevice, gemm: GemmVariant = .auto, tuning: GemmTuning = GemmTuning(), buildOptions: String = "") throws {
        try tuning.validate(maxWorkGroupSize: device.maxWorkGroupSize, localMemoryBytes: device.localMemoryBytes)
        context = try CLContext(device: device)
        queue = try context.makeQueue()
        gemmVariant = gemm == .auto ? (device.type == .gpu ? .gpu : .cpu) : gemm
        gemmTuning = tuning
        let source = try Self.families.map { try KernelSources.source($0) }.joined(separator: "\n")
        program = try context.program(
            source: source, options: "-cl-std=CL1.2 \(SnapshotRule.buildOption) \(tuning.buildOptions) \(buildOptions)",
            name: "sculpt kernels (\(Self.families.joined(separator: ", ")))")
    }

    public var deviceDescription: String {
        let d = context.device
        return "\(d.name) (\(d.type.rawValue), \(d.platformName), driver \(d.driverVersion))"
    }

    public var memory: (total: UInt64, maxAllocation: UInt64)? {
        (context.device.globalMemoryBytes, context.device.maxAllocationBytes)
    }

    func kernel(_ name: String) throws -> CLKernel {
        if let k = kernels[name] { return k }
        let k = try program.kernel(name)
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
