import COpenCL

/// One OpenCL device with the facts `sculpt devices` reports. Discovered once per process.
public struct CLDevice: @unchecked Sendable, CustomStringConvertible {
    public let id: cl_device_id
    public let platformID: cl_platform_id
    /// Position in `CLDevice.all()`; what `--device N` names.
    public let index: Int
    public let name: String
    public let vendor: String
    public let platformName: String
    public let platformVersion: String
    public let type: DeviceType
    public let driverVersion: String
    public let deviceVersion: String
    public let openCLCVersion: String
    public let computeUnits: Int
    public let globalMemoryBytes: UInt64
    public let maxAllocationBytes: UInt64
    public let localMemoryBytes: UInt64
    public let maxWorkGroupSize: Int
    /// Floats the device's native vector instructions hold (e.g. 16 on a CPU with AVX-512).
    public let nativeFloatVectorWidth: Int

    public enum DeviceType: String, Sendable, Codable {
        case gpu, cpu, accelerator, other
    }

    public var description: String { "#\(index) \(name) [\(type.rawValue), \(platformName), driver \(driverVersion)]" }

    // MARK: - Discovery

    /// NOTE: concurrent *first* use of the ICD loader races on PoCL (docs/layout.md, "Developing kernels"), so
    /// discovery happens exactly once, serially, in this thread-safe lazy static.
    private static let discovered: Result<[CLDevice], CLError> = Result { try discover() }
        .mapError { $0 as! CLError }

    /// Every device of every platform, platforms in ICD order, devices in platform order.
    /// - Throws: `CLError` (`CL_PLATFORM_NOT_FOUND_KHR` or `CL_DEVICE_NOT_FOUND`) when there is none.
    public static func all() throws -> [CLDevice] { try discovered.get() }

    private static func discover() throws -> [CLDevice] {
        var count: cl_uint = 0
        let status = clGetPlatformIDs(0, nil, &count)
        // NOTE: the ICD loader answers CL_PLATFORM_NOT_FOUND_KHR (or success with 0) when no vendor ICD
        // is installed; any other failure is reported as itself.
        if status == -1001 || (status == CL_SUCCESS && count == 0) {
            throw CLError(
                code: -1001, call: "clGetPlatformIDs", context: "looking for OpenCL platforms",
                buildLog: nil
            ).withNoPlatformHint()
        }
        try check(status, "clGetPlatformIDs")
        var platforms = [cl_platform_id?](repeating: nil, count: Int(count))
        try check(clGetPlatformIDs(count, &platforms, nil), "clGetPlatformIDs")
        var devices: [CLDevice] = []
        for case let platform? in platforms {
            var n: cl_uint = 0
            let s = clGetDeviceIDs(platform, cl_device_type(CL_DEVICE_TYPE_ALL), 0, nil, &n)
            if s == CL_DEVICE_NOT_FOUND || n == 0 { continue }
            try check(s, "clGetDeviceIDs")
            var ids = [cl_device_id?](repeating: nil, count: Int(n))
            try check(clGetDeviceIDs(platform, cl_device_type(CL_DEVICE_TYPE_ALL), n, &ids, nil), "clGetDeviceIDs")
            for case let id? in ids {
                devices.append(try CLDevice(id: id, platform: platform, index: devices.count))
            }
        }
        if devices.isEmpty {
            throw CLError(code: CL_DEVICE_NOT_FOUND, call: "clGetDeviceIDs", context: "listing devices of every platform")
        }
        return devices
    }

    private init(id: cl_device_id, platform: cl_platform_id, index: Int) throws {
        self.id = id
        self.platformID = platform
        self.index = index
        name = try Self.string(id, CL_DEVICE_NAME).trimmingCharacters(in: " ")
        vendor = try Self.string(id, CL_DEVICE_VENDOR)
        driverVersion = try Self.string(id, CL_DRIVER_VERSION)
        deviceVersion = try Self.string(id, CL_DEVICE_VERSION)
        openCLCVersion = try Self.string(id, CL_DEVICE_OPENCL_C_VERSION)
        platformName = try Self.platformString(platform, CL_PLATFORM_NAME)
        platformVersion = try Self.platformString(platform, CL_PLATFORM_VERSION)
        let t: cl_device_type = try Self.value(id, CL_DEVICE_TYPE)
        if t & cl_device_type(CL_DEVICE_TYPE_GPU) != 0 {
            type = .gpu
        } else if t & cl_device_type(CL_DEVICE_TYPE_CPU) != 0 {
            type = .cpu
        } else if t & cl_device_type(CL_DEVICE_TYPE_ACCELERATOR) != 0 {
            type = .accelerator
        } else {
            type = .other
        }
        computeUnits = Int(try Self.value(id, CL_DEVICE_MAX_COMPUTE_UNITS) as cl_uint)
        globalMemoryBytes = try Self.value(id, CL_DEVICE_GLOBAL_MEM_SIZE)
        maxAllocationBytes = try Self.value(id, CL_DEVICE_MAX_MEM_ALLOC_SIZE)
        localMemoryBytes = try Self.value(id, CL_DEVICE_LOCAL_MEM_SIZE)
        maxWorkGroupSize = try Self.value(id, CL_DEVICE_MAX_WORK_GROUP_SIZE)
        nativeFloatVectorWidth = Int(try Self.value(id, CL_DEVICE_NATIVE_VECTOR_WIDTH_FLOAT) as cl_uint)
    }

    private static func string(_ id: cl_device_id, _ param: Int32) throws -> String {
        var size = 0
        try check(clGetDeviceInfo(id, cl_device_info(param), 0, nil, &size), "clGetDeviceInfo")
        var bytes = [UInt8](repeating: 0, count: max(size, 1))
        try check(clGetDeviceInfo(id, cl_device_info(param), size, &bytes, nil), "clGetDeviceInfo")
        return String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
    }

    private static func platformString(_ id: cl_platform_id, _ param: Int32) throws -> String {
        var size = 0
        try check(clGetPlatformInfo(id, cl_platform_info(param), 0, nil, &size), "clGetPlatformInfo")
        var bytes = [UInt8](repeating: 0, count: max(size, 1))
        try check(clGetPlatformInfo(id, cl_platform_info(param), size, &bytes, nil), "clGetPlatformInfo")
        return String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
    }

    private static func value<T>(_ id: cl_device_id, _ param: Int32) throws -> T {
        let p = UnsafeMutablePointer<T>.allocate(capacity: 1)
        defer { p.deallocate() }
        try check(clGetDeviceInfo(id, cl_device_info(param), MemoryLayout<T>.size, p, nil), "clGetDeviceInfo")
        return p.pointee
    }

    // MARK: - Choice

    /// The device named by `spec`: a number (index in `all()`) or a case-insensitive substring of the
    /// device or platform name. With no spec: the first GPU, else the first CPU, else the first device.
    /// - Throws: `DeviceChoiceError` naming the spec and the devices there are; `CLError` without any.
    public static func choose(_ spec: String?) throws -> CLDevice {
        let devices = try all()
        guard let spec = spec?.trimmingCharacters(in: " "), !spec.isEmpty else {
            return devices.first { $0.type == .gpu } ?? devices.first { $0.type == .cpu } ?? devices[0]
        }
        if let n = Int(spec) {
            guard n >= 0 && n < devices.count else {
                throw DeviceChoiceError.badIndex(n, devices: devices)
            }
            return devices[n]
        }
        let needle = spec.lowercased()
        if let d = devices.first(where: { $0.name.lowercased().contains(needle) || $0.platformName.lowercased().contains(needle) }) {
            return d
        }
        throw DeviceChoiceError.noMatch(spec, devices: devices)
    }
}

public enum DeviceChoiceError: Error, CustomStringConvertible {
    case badIndex(Int, devices: [CLDevice])
    case noMatch(String, devices: [CLDevice])

    public var description: String {
        switch self {
        case .badIndex(let n, let devices):
            return "no OpenCL device #\(n): there \(devices.count == 1 ? "is 1 device" : "are \(devices.count) devices") (\(Self.list(devices))); see `sculpt devices`"
        case .noMatch(let s, let devices):
            return "no OpenCL device matches '\(s)' (\(Self.list(devices))); see `sculpt devices`"
        }
    }

    private static func list(_ devices: [CLDevice]) -> String {
        devices.map { "#\($0.index) \($0.name)" }.joined(separator: ", ")
    }
}

extension CLError {
    func withNoPlatformHint() -> CLError {
        CLError(
            code: code, call: call,
            context: "looking for OpenCL platforms: none is installed; for CPUs install PoCL (apt-get install pocl-opencl-icd), for GPUs your vendor's OpenCL driver",
            buildLog: nil)
    }
}

extension String {
    func trimmingCharacters(in chars: Character) -> String {
        var s = Substring(self)
        while s.first == chars || s.first == "\0" { s = s.dropFirst() }
        while s.last == chars || s.last == "\0" { s = s.dropLast() }
        return String(s)
    }
}

extension CLDevice {
    /// What `sculpt devices --json` lists about a device.
    public struct Facts: Codable, Sendable, Equatable {
        public var index: Int
        public var name: String
        public var type: String
        public var vendor: String
        public var platform: String
        public var platformVersion: String
        public var driverVersion: String
        public var deviceVersion: String
        public var openclCVersion: String
        public var computeUnits: Int
        public var globalMemoryBytes: UInt64
        public var maxAllocationBytes: UInt64
        public var localMemoryBytes: UInt64
        public var maxWorkGroupSize: Int
    }

    public var facts: Facts {
        Facts(
            index: index, name: name, type: type.rawValue, vendor: vendor, platform: platformName, platformVersion: platformVersion,
            driverVersion: driverVersion, deviceVersion: deviceVersion, openclCVersion: openCLCVersion, computeUnits: computeUnits,
            globalMemoryBytes: globalMemoryBytes, maxAllocationBytes: maxAllocationBytes, localMemoryBytes: localMemoryBytes,
            maxWorkGroupSize: maxWorkGroupSize)
    }
}

extension CLDevice {
    /// `sculpt devices`: every device by platform, `*` marking `chosen`.
    public static func listing(_ devices: [CLDevice], chosen: CLDevice) -> String {
        func mib(_ b: UInt64) -> String { "\(b / (1 << 20)) MiB" }
        var lines: [String] = [], platform = ""
        for d in devices {
            if d.platformName != platform {
                platform = d.platformName
                lines.append("platform: \(d.platformName) (\(d.platformVersion))")
            }
            lines.append("\(d.index == chosen.index ? "* " : "  ")#\(d.index) \(d.name) [\(d.type.rawValue)] vendor \(d.vendor)")
            lines.append("     driver \(d.driverVersion), \(d.deviceVersion), \(d.openCLCVersion)")
            lines.append(
                "     \(d.computeUnits) compute units, global \(mib(d.globalMemoryBytes)) (max alloc \(mib(d.maxAllocationBytes))), local \(d.localMemoryBytes / 1024) KiB, max work-group \(d.maxWorkGroupSize)"
            )
        }
        return lines.joined(separator: "\n")
    }
}
