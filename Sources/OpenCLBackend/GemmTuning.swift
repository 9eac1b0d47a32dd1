/// The tuning macros of `Kernels/gemm.cl` and the launch geometry that must match them, in one value:
/// the build options and the work sizes both come from here, so overriding a macro cannot leave the
/// host launching the kernel with the wrong shape.
public struct GemmTuning: Sendable, Equatable {
    /// `GEMM_VB_MR`: rows per work-item of `gemm_vecb_cpu` (its 16 columns are two float8).
    public var vecbRows = 4
    /// `GEMM_DOT_MR`, `GEMM_DOT_NR`: rows × columns per work-item of `gemm_dot_cpu`.
    public var dotRows = 4
    public var dotColumns = 4
    /// `GEMM_TS`: tile edge of `gemm_tiled_gpu`; a multiple of 4 (each work-item computes 4 × 4 outputs,
    /// so a work-group is (tile/4)²).
    public var tile = 64
    /// `GEMM_TK`: depth of a tile step of `gemm_tiled_gpu`.
    public var tileDepth = 16

    public init(vecbRows: Int = 4, dotRows: Int = 4, dotColumns: Int = 4, tile: Int = 64, tileDepth: Int = 16) {
        self.vecbRows = vecbRows
        self.dotRows = dotRows
        self.dotColumns = dotColumns
        self.tile = tile
        self.tileDepth = tileDepth
    }

    /// The `-D` flags that set every macro.
    public var buildOptions: String {
        "-DGEMM_VB_MR=\(vecbRows) -DGEMM_DOT_MR=\(dotRows) -DGEMM_DOT_NR=\(dotColumns) -DGEMM_TS=\(tile) -DGEMM_TK=\(tileDepth)"
    }

    /// Work-group of `gemm_tiled_gpu`.
    public var tiledWorkGroup: Int { (tile / 4) * (tile / 4) }

    /// - Throws: `GemmTuningError` for a value the kernels cannot run with on a device whose work-groups
    ///   hold at most `maxWorkGroupSize` items and whose local memory is `localMemoryBytes`.
    public func validate(maxWorkGroupSize: Int, localMemoryBytes: UInt64) throws {
        for (name, v) in [("GEMM_VB_MR", vecbRows), ("GEMM_DOT_MR", dotRows), ("GEMM_DOT_NR", dotColumns), ("GEMM_TK", tileDepth)] where !(1...64).contains(v) {
            throw GemmTuningError("\(name) = \(v) must lie in 1…64")
        }
        guard tile >= 4, tile % 4 == 0 else { throw GemmTuningError("GEMM_TS = \(tile) must be a positive multiple of 4") }
        guard tiledWorkGroup <= maxWorkGroupSize else {
            throw GemmTuningError("GEMM_TS = \(tile) needs work-groups of \(tiledWorkGroup) items; the device allows \(maxWorkGroupSize)")
        }
        let local = UInt64(2 * tileDepth * tile * MemoryLayout<Float>.size)
        guard local <= localMemoryBytes else {
            throw GemmTuningError("GEMM_TS = \(tile), GEMM_TK = \(tileDepth) need \(local) bytes of local memory; the device has \(localMemoryBytes)")
        }
    }

    func up(_ x: Int, _ d: Int) -> Int { (x + d - 1) / d }

    /// NDRange of `gemm_vecb_cpu` for an M × N product of P models.
    func vecbGlobal(M: Int, N: Int, P: Int) -> [Int] { [up(N, 16), up(M, vecbRows), P] }
    /// NDRange of `gemm_dot_cpu`.
    func dotGlobal(M: Int, N: Int, P: Int) -> [Int] { [up(N, dotColumns), up(M, dotRows), P] }
    /// NDRange and work-group of `gemm_tiled_gpu`.
    func tiled(M: Int, N: Int, P: Int) -> (global: [Int], local: [Int]) {
        ([up(N, tile) * tile / 4, up(M, tile) * tile / 4, P], [tile / 4, tile / 4, 1])
    }
}

/// A tuning value the kernels cannot run with.
public struct GemmTuningError: Error, CustomStringConvertible, Equatable {
    public let description: String
    init(_ d: String) { description = d }
}
