import COpenCL

/// A built OpenCL program. Build through `CLContext.program(source:options:)` to reuse builds.
///
/// NOTE: the context caches its programs, so a program must not hold its `CLContext` strongly (that
/// would be a retain cycle and no context would ever be released). It retains the OpenCL context
/// handle instead, which keeps the underlying context alive for as long as the program lives.
public final class CLProgram: @unchecked Sendable {
    public let handle: cl_program
    /// The device the program is built for.
    public let device: CLDevice
    public let name: String
    private let contextHandle: cl_context

    /// - Throws: `CLError` carrying the full build log when the build fails.
    init(context: CLContext, source: String, options: String, name: String) throws {
        self.device = context.device
        self.name = name
        var status: cl_int = 0
        let prog: cl_program? = source.withCString { cstr in
            var ptr: UnsafePointer<CChar>? = cstr
            var len = source.utf8.count
            return clCreateProgramWithSource(context.handle, 1, &ptr, &len, &status)
        }
        guard let prog, status == CL_SUCCESS else {
            throw CLError(code: status, call: "clCreateProgramWithSource", context: "loading \(name)")
        }
        handle = prog
        contextHandle = context.handle
        clRetainContext(contextHandle)
        var dev: cl_device_id? = context.device.id
        let built = clBuildProgram(prog, 1, &dev, options, nil, nil)
        if built != CL_SUCCESS {
            throw CLError(
                code: built, call: "clBuildProgram", context: "building \(name) with options '\(options)' for \(device.name)",
                buildLog: buildLog())
        }
    }

    deinit {
        clReleaseProgram(handle)
        clReleaseContext(contextHandle)
    }

    /// The compiler's log for this program on its device.
    public func buildLog() -> String {
        var size = 0
        guard clGetProgramBuildInfo(handle, device.id, cl_program_build_info(CL_PROGRAM_BUILD_LOG), 0, nil, &size) == CL_SUCCESS, size > 0 else { return "" }
        var bytes = [UInt8](repeating: 0, count: size)
        guard clGetProgramBuildInfo(handle, device.id, cl_program_build_info(CL_PROGRAM_BUILD_LOG), size, &bytes, nil) == CL_SUCCESS else { return "" }
        return String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
    }

    /// A new kernel object for the function `name` of this program.
    public func kernel(_ name: String) throws -> CLKernel { try CLKernel(program: self, name: name) }
}

/// A kernel with its arguments. Not thread-safe (`clSetKernelArg` is not): one per thread.
/// It keeps every buffer bound to it alive, because OpenCL does not retain them and ARC may
/// otherwise free a buffer while a launch still uses it.
public final class CLKernel {
    public let handle: cl_kernel
    public let program: CLProgram
    public let name: String
    private var boundBuffers: [Int: AnyObject] = [:]

    init(program: CLProgram, name: String) throws {
        self.program = program
        self.name = name
        var status: cl_int = 0
        guard let k = clCreateKernel(program.handle, name, &status), status == CL_SUCCESS else {
            throw CLError(code: status, call: "clCreateKernel", context: "creating kernel \(name) of \(program.name)")
        }
        handle = k
    }

    deinit { clReleaseKernel(handle) }

    public func set<T>(_ index: Int, _ buffer: CLBuffer<T>) throws {
        var mem: cl_mem? = buffer.handle
        try check(clSetKernelArg(handle, cl_uint(index), MemoryLayout<cl_mem>.size, &mem), "clSetKernelArg", "argument \(index) (\(buffer.label)) of \(name)")
        boundBuffers[index] = buffer
    }

    public func set(_ index: Int, _ value: Int32) throws { try setScalar(index, value) }
    public func set(_ index: Int, _ value: UInt32) throws { try setScalar(index, value) }
    public func set(_ index: Int, _ value: Float) throws { try setScalar(index, value) }
    public func set(_ index: Int, _ value: UInt64) throws { try setScalar(index, value) }

    /// Binds a local-memory argument of `bytes` bytes.
    public func setLocal(_ index: Int, bytes: Int) throws {
        try check(clSetKernelArg(handle, cl_uint(index), bytes, nil), "clSetKernelArg", "local argument \(index) of \(name)")
        boundBuffers[index] = nil
    }

    private func setScalar<T: BitwiseCopyable>(_ index: Int, _ value: T) throws {
        try withUnsafeBytes(of: value) { bytes in
            try check(clSetKernelArg(handle, cl_uint(index), bytes.count, bytes.baseAddress), "clSetKernelArg", "argument \(index) of \(name)")
        }
        boundBuffers[index] = nil
    }
}
