import Foundation

/// Where OpenCL kernel sources come from: the copies embedded at build time from `Kernels/*.cl`,
/// or, for kernel development, the directory named by `SCULPT_KERNELS_DIR` (read at each lookup, so
/// an edited `.cl` file takes effect at the next run without rebuilding).
public enum KernelSources {
    /// The environment variable that overrides the embedded kernels with a directory of `.cl` files.
    public static let overrideVariable = "SCULPT_KERNELS_DIR"

    /// Names of the embedded kernel families (file names without `.cl`), sorted.
    public static var embeddedNames: [String] { EmbeddedKernels.sources.keys.sorted() }

    /// The source of kernel family `name` (`Kernels/<name>.cl`).
    /// - Throws: `KernelSourceError` when the family is unknown or the override file cannot be read.
    public static func source(_ name: String) throws -> String {
        if let dir = ProcessInfo.processInfo.environment[overrideVariable], !dir.isEmpty {
            let path = (dir as NSString).appendingPathComponent(name + ".cl")
            do {
                return try String(contentsOfFile: path, encoding: .utf8)
            } catch {
                throw KernelSourceError.unreadableOverride(path: path, variable: overrideVariable)
            }
        }
        guard let text = EmbeddedKernels.sources[name] else {
            throw KernelSourceError.unknown(name: name, known: embeddedNames)
        }
        return text
    }
}

public enum KernelSourceError: Error, CustomStringConvertible {
    case unknown(name: String, known: [String])
    case unreadableOverride(path: String, variable: String)

    public var description: String {
        switch self {
        case .unknown(let name, let known):
            return "no kernel family '\(name)' is embedded (known: \(known.joined(separator: ", ")))"
        case .unreadableOverride(let path, let variable):
            return "cannot read kernel file \(path) (\(variable) is set; unset it to use the embedded kernels)"
        }
    }
}
