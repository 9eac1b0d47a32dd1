import Foundation
import TestSupport
import XCTest

/// Runs the `sculpt` binary built beside the test bundle (`swift build --build-tests` builds it).
struct CLI {
    static var binary: URL {
        // The test executable lives in the products directory, next to `sculpt`.
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        if dir.lastPathComponent.hasSuffix(".xctest") { dir.deleteLastPathComponent() }
        for candidate in [dir, dir.deletingLastPathComponent()] {
            let url = candidate.appendingPathComponent("sculpt")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return dir.appendingPathComponent("sculpt")
    }

    struct Result { var status: Int32; var stdout: String; var stderr: String }

    /// Runs `sculpt args` in `cwd` and waits.
    @discardableResult
    static func run(_ args: [String], cwd: String? = nil, env: [String: String] = [:]) throws -> Result {
        let p = try start(args, cwd: cwd, env: env)
        let out = p.out.fileHandleForReading.readDataToEndOfFile()
        let err = p.err.fileHandleForReading.readDataToEndOfFile()
        p.process.waitUntilExit()
        return Result(status: p.process.terminationStatus, stdout: String(decoding: out, as: UTF8.self), stderr: String(decoding: err, as: UTF8.self))
    }

    static func start(_ args: [String], cwd: String? = nil, env: [String: String] = [:]) throws -> (process: Process, out: Pipe, err: Pipe) {
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            try skipOrFail("sculpt binary not found at \(binary.path); run `swift build --build-tests` first")
        }
        let p = Process()
        p.executableURL = binary
        p.arguments = args
        if let cwd { p.currentDirectoryURL = URL(fileURLWithPath: cwd) }
        p.environment = ProcessInfo.processInfo.environment.merging(env) { _, b in b }
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        return (p, out, err)
    }

    static func tempDir() throws -> String {
        let d = NSTemporaryDirectory() + "sculpt-cli-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        return d
    }
}
