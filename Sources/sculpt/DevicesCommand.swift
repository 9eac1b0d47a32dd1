import ArgumentParser
import CLRuntime
import Foundation
import OpenCLBackend
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
            struct Listing: Encodable { var devices: [CLDevice.Facts]; var chosen: Int; var hostBLAS: String }
            print(try RecordCoding.line(Listing(devices: devices.map(\.facts), chosen: chosen.index, hostBLAS: OpenCLBackend.hostBLASDescription())))
            return
        }
        print(CLDevice.listing(devices, chosen: chosen))
        print("Host BLAS (large layers on CPU devices, --gemm blas): \(OpenCLBackend.hostBLASDescription())")
    }
}
