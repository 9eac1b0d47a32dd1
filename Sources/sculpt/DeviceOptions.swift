import ArgumentParser
import CLRuntime
import Foundation

/// The `--device` option every command that runs on OpenCL shares (`@OptionGroup var device: DeviceOptions`).
/// `choose()` is the one place the CLI picks a device.
struct DeviceOptions: ParsableArguments {
    /// The environment variable read when `--device` is not given.
    static let environmentVariable = "SCULPT_DEVICE"

    @Option(name: .customLong("device"),
            help: ArgumentHelp("OpenCL device: an index from `sculpt devices` or a case-insensitive substring of its name (default: env SCULPT_DEVICE, else the first GPU, else the first CPU).",
                               valueName: "N|NAME"))
    var spec: String?

    /// The device named by `--device`, else by `SCULPT_DEVICE`, else the default choice.
    /// - Throws: `DeviceChoiceError` naming the devices there are; `CLError` when there is none.
    func choose() throws -> CLDevice {
        let env = ProcessInfo.processInfo.environment[Self.environmentVariable]
        return try CLDevice.choose(spec ?? env)
    }
}
