import ArgumentParser
import CLRuntime
import Foundation
import SculptCore

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
            struct Listing: Encodable { var devices: [CLDevice.Facts]; var chosen: Int }
            print(try RecordCoding.line(Listing(devices: devices.map(\.facts), chosen: chosen.index)))
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
