import COpenCL
import Foundation

/// An OpenCL context on one device, with a cache of built programs keyed by (source, options), so a
/// program is built once per device and options and then reused.
public final class CLContext: @unchecked Sendable {
    public let handle: cl_context
    public let device: CLDevice
    private let lock = NSLock()
    private var programs: [ProgramKey: CLProgram] = [:]

    private struct ProgramKey: Hashable { let source: String; let options: String }

    /// - Throws: `CLError` when the context cannot be created.
    public init(device: CLDevice) throws {
        self.device = device
        var status: cl_int = 0
        var id: cl_device_id? = device.id
        guard let ctx = clCreateContext(nil, 1, &id, nil, nil, &status), status == CL_SUCCESS else {
            throw CLError(code: status, call: "clCreateContext", context: "opening device \(device.name)")
        }
        handle = ctx
    }

    deinit { clReleaseContext(handle) }

    /// A command queue with profiling enabled (events carry device timings).
    public func makeQueue() throws -> CLQueue { try CLQueue(context: self) }

    /// The program for `source` built with `options`, from the cache when built before.
    /// - Throws: `CLError` with the full build log when the build fails.
    public func program(source: String, options: String = "", name: String = "program") throws -> CLProgram {
        let key = ProgramKey(source: source, options: options)
        lock.lock()
        defer { lock.unlock() }
        if let p = programs[key] { return p }
        let p = try CLProgram(context: self, source: source, options: options, name: name)
        programs[key] = p
        return p
    }

    /// A zero-filled buffer of `count` elements of `T`.
    public func buffer<T>(_ type: T.Type = T.self, count: Int, label: String = "buffer") throws -> CLBuffer<T> {
        try CLBuffer<T>(context: self, count: count, label: label)
    }

    /// A buffer holding a copy of `values`.
    public func buffer<T>(_ values: [T], label: String = "buffer") throws -> CLBuffer<T> {
        try CLBuffer<T>(context: self, values: values, label: label)
    }
}

/// An in-order command queue with profiling enabled.
public final class CLQueue: @unchecked Sendable {
    public let handle: cl_command_queue
    public let context: CLContext

    init(context: CLContext) throws {
        self.context = context
        var status: cl_int = 0
        let props = cl_command_queue_properties(CL_QUEUE_PROFILING_ENABLE)
        guard let q = clCreateCommandQueue(context.handle, context.device.id, props, &status), status == CL_SUCCESS else {
            throw CLError(code: status, call: "clCreateCommandQueue", context: "on \(context.device.name)")
        }
        handle = q
    }

    deinit { clReleaseCommandQueue(handle) }

    /// Launches `kernel` over `global` work-items (rounded up to a multiple of `local` when given).
    /// Kernels guard their own out-of-range work-items.
    @discardableResult
    public func enqueue(_ kernel: CLKernel, global: [Int], local: [Int]? = nil, event wantEvent: Bool = false) throws -> CLEvent? {
        precondition(!global.isEmpty && global.count <= 3, "1 to 3 dimensions")
        var g = global.map { max($0, 1) }
        if let local = local {
            precondition(local.count == global.count, "local and global sizes need the same rank")
            g = zip(g, local).map { ($0 + $1 - 1) / $1 * $1 }
        }
        var ev: cl_event? = nil
        let status: cl_int = withUnsafeMutablePointer(to: &ev) { evPtr in
            let out = wantEvent ? evPtr : nil
            if let local = local {
                return clEnqueueNDRangeKernel(handle, kernel.handle, cl_uint(g.count), nil, g, local, 0, nil, out)
            }
            return clEnqueueNDRangeKernel(handle, kernel.handle, cl_uint(g.count), nil, g, nil, 0, nil, out)
        }
        try check(status, "clEnqueueNDRangeKernel", "launching \(kernel.name) over \(g)\(local.map { " in groups of \($0)" } ?? "")")
        return ev.map(CLEvent.init)
    }

    /// Copies `values` into the start of `buffer` (blocking).
    public func write<T>(_ buffer: CLBuffer<T>, _ values: [T], offset: Int = 0) throws {
        precondition(offset >= 0 && offset + values.count <= buffer.count, "write of \(values.count) at \(offset) past the end of \(buffer.label) (\(buffer.count))")
        if values.isEmpty { return }
        let stride = MemoryLayout<T>.stride
        try values.withUnsafeBytes { raw in
            try check(
                clEnqueueWriteBuffer(handle, buffer.handle, cl_bool(CL_TRUE), offset * stride, values.count * stride, raw.baseAddress, 0, nil, nil),
                "clEnqueueWriteBuffer", "writing \(values.count) elements to \(buffer.label)")
        }
    }

    /// Reads `count` elements (default: all) of `buffer` from `offset` (blocking).
    public func read<T>(_ buffer: CLBuffer<T>, offset: Int = 0, count: Int? = nil) throws -> [T] {
        let n = count ?? (buffer.count - offset)
        precondition(offset >= 0 && n >= 0 && offset + n <= buffer.count, "read past the end of \(buffer.label)")
        if n == 0 { return [] }
        let stride = MemoryLayout<T>.stride
        let raw = UnsafeMutableRawPointer.allocate(byteCount: n * stride, alignment: MemoryLayout<T>.alignment)
        defer { raw.deallocate() }
        try check(
            clEnqueueReadBuffer(handle, buffer.handle, cl_bool(CL_TRUE), offset * stride, n * stride, raw, 0, nil, nil),
            "clEnqueueReadBuffer", "reading \(n) elements of \(buffer.label)")
        let typed = raw.bindMemory(to: T.self, capacity: n)
        return Array(UnsafeBufferPointer(start: typed, count: n))
    }

    /// Device-side copy of `count` elements.
    public func copy<T>(from src: CLBuffer<T>, srcOffset: Int = 0, to dst: CLBuffer<T>, dstOffset: Int = 0, count: Int) throws {
        if count == 0 { return }
        let stride = MemoryLayout<T>.stride
        try check(
            clEnqueueCopyBuffer(handle, src.handle, dst.handle, srcOffset * stride, dstOffset * stride, count * stride, 0, nil, nil),
            "clEnqueueCopyBuffer", "copying \(count) elements from \(src.label) to \(dst.label)")
    }

    /// Waits until every queued command has finished.
    public func finish() throws { try check(clFinish(handle), "clFinish") }

    /// Maps all of `buffer` for reading and writing on the host, after every command queued before
    /// it. On devices that share host memory (PoCL's CPU devices) this is the buffer's own storage, no
    /// copy; elsewhere the driver may copy. Pair every map with `unmap`. With `blocking: false` the
    /// pointer may be used only after a later `finish()` (one wait for several maps).
    public func map<T>(_ buffer: CLBuffer<T>, blocking: Bool = true) throws -> UnsafeMutablePointer<T> {
        var status: cl_int = 0
        let bytes = max(buffer.count, 1) * MemoryLayout<T>.stride
        let flags = cl_map_flags(CL_MAP_READ) | cl_map_flags(CL_MAP_WRITE)
        let raw = clEnqueueMapBuffer(handle, buffer.handle, cl_bool(blocking ? CL_TRUE : CL_FALSE), flags, 0, bytes, 0, nil, nil, &status)
        try check(status, "clEnqueueMapBuffer", "mapping \(buffer.label) (\(bytes) bytes)")
        guard let raw else { throw CLError(code: CL_MAP_FAILURE, call: "clEnqueueMapBuffer", context: "mapping \(buffer.label)") }
        return raw.bindMemory(to: T.self, capacity: max(buffer.count, 1))
    }

    /// Ends a `map`: commands queued after this see the host's writes.
    public func unmap<T>(_ buffer: CLBuffer<T>, _ pointer: UnsafeMutablePointer<T>) throws {
        try check(clEnqueueUnmapMemObject(handle, buffer.handle, pointer, 0, nil, nil), "clEnqueueUnmapMemObject", "unmapping \(buffer.label)")
    }
}

/// A device buffer of `count` elements of `T`.
public final class CLBuffer<T>: @unchecked Sendable {
    public let handle: cl_mem
    public let count: Int
    public let label: String
    public let context: CLContext

    init(context: CLContext, count: Int, label: String) throws {
        precondition(count >= 0)
        self.context = context
        self.count = count
        self.label = label
        let bytes = max(count, 1) * MemoryLayout<T>.stride
        var status: cl_int = 0
        // Zero-filled at creation so every buffer starts in a known state.
        let zeros = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 16)
        defer { zeros.deallocate() }
        zeros.initializeMemory(as: UInt8.self, repeating: 0, count: bytes)
        let flags = cl_mem_flags(CL_MEM_READ_WRITE) | cl_mem_flags(CL_MEM_COPY_HOST_PTR)
        guard let mem = clCreateBuffer(context.handle, flags, bytes, zeros, &status), status == CL_SUCCESS else {
            throw CLError(
                code: status, call: "clCreateBuffer",
                context:
                    "allocating \(label) (\(bytes) bytes; device has \(context.device.globalMemoryBytes) bytes, at most \(context.device.maxAllocationBytes) per buffer)")
        }
        handle = mem
    }

    init(context: CLContext, values: [T], label: String) throws {
        self.context = context
        self.count = values.count
        self.label = label
        var status: cl_int = 0
        let flags = cl_mem_flags(CL_MEM_READ_WRITE) | cl_mem_flags(CL_MEM_COPY_HOST_PTR)
        let bytes = max(values.count, 1) * MemoryLayout<T>.stride
        let mem: cl_mem? =
            values.isEmpty
            ? clCreateBuffer(context.handle, cl_mem_flags(CL_MEM_READ_WRITE), bytes, nil, &status)
            : values.withUnsafeBytes { clCreateBuffer(context.handle, flags, bytes, UnsafeMutableRawPointer(mutating: $0.baseAddress), &status) }
        guard let mem, status == CL_SUCCESS else {
            throw CLError(
                code: status, call: "clCreateBuffer",
                context:
                    "allocating \(label) (\(bytes) bytes; device has \(context.device.globalMemoryBytes) bytes, at most \(context.device.maxAllocationBytes) per buffer)")
        }
        handle = mem
    }

    deinit { clReleaseMemObject(handle) }
}

/// A completed-or-pending command, for profiling.
public final class CLEvent {
    public let handle: cl_event
    init(_ handle: cl_event) { self.handle = handle }
    deinit { clReleaseEvent(handle) }

    public func wait() throws {
        var h: cl_event? = handle
        try check(clWaitForEvents(1, &h), "clWaitForEvents")
    }

    /// Device time between start and end of the command, in seconds (waits for it first).
    public func seconds() throws -> Double {
        try wait()
        var start: cl_ulong = 0, end: cl_ulong = 0
        try check(clGetEventProfilingInfo(handle, cl_profiling_info(CL_PROFILING_COMMAND_START), 8, &start, nil), "clGetEventProfilingInfo")
        try check(clGetEventProfilingInfo(handle, cl_profiling_info(CL_PROFILING_COMMAND_END), 8, &end, nil), "clGetEventProfilingInfo")
        return Double(end &- start) * 1e-9
    }
}
