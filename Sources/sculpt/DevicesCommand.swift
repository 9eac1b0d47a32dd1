import ArgumentParser
import CLRuntime
import Foundation

struct DevicesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "devices",
        abstract: "List every OpenCL platform and device (the index is what --device N names).",
        discussion: "The device marked * is the one the other commands would use with the same --device / SCULPT_DEVICE."
    )

    @Flag(help: "Print one JSON document instead of text.")
    var json = false

    @OptionGroup var device: DeviceOptions

    func run() throws { try Self.printDevices(json: json, chosen: device.choose()) }

    /// Prints every device, marking `chosen` (text: `*`; JSON: top-level `"chosen"` index).
    static func printDevices(json: Bool, chosen: CLDevice) throws {
        let devices = try CLDevice.all()
        if json {
            let list: [[String: Any]] = devices.map { d in
                ["index": d.index, "name": d.name, "type": d.type.rawValue, "vendor": d.vendor,
                 "platform": d.platformName, "platform_version": d.platformVersion,
                 "driver_version": d.driverVersion, "device_version": d.deviceVersion,
                 "opencl_c_version": d.openCLCVersion, "compute_units": d.computeUnits,
                 "global_memory_bytes": d.globalMemoryBytes, "max_allocation_bytes": d.maxAllocationBytes,
                 "local_memory_bytes": d.localMemoryBytes, "max_work_group_size": d.maxWorkGroupSize]
            }
            let data = try JSONSerialization.data(withJSONObject: ["devices": list, "chosen": chosen.index] as [String: Any], options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
            return
        }
        var platform = ""
        for d in devices {
            if d.platformName != platform {
                platform = d.platformName
                print("platform: \(d.platformName) (\(d.platformVersion))")
            }
            print("\(d.index == chosen.index ? "* " : "  ")#\(d.index) \(d.name) [\(d.type.rawValue)] vendor \(d.vendor)")
            print("     driver \(d.driverVersion), \(d.deviceVersion), \(d.openCLCVersion)")
            print("     \(d.computeUnits) compute units, global \(mib(d.globalMemoryBytes)) (max alloc \(mib(d.maxAllocationBytes))), local \(kib(d.localMemoryBytes)), max work-group \(d.maxWorkGroupSize)")
        }
    }

    private static func mib(_ b: UInt64) -> String { "\(b / (1 << 20)) MiB" }
    private static func kib(_ b: UInt64) -> String { "\(b / 1024) KiB" }
}
