import Foundation
import SculptKernels
import XCTest

/// These tests need no OpenCL device.
final class KernelSourcesTests: XCTestCase {
    /// The package root, from this file's path: <root>/Tests/CLRuntimeTests/KernelSourcesTests.swift.
    private static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A stale build (a `.cl` file edited, added or removed without the plugin re-running) fails here.
    /// After adding or removing a file: `touch Package.swift` (docs/layout.md "Developing kernels").
    func testEmbeddedKernelsEqualTheFilesOnDisk() throws {
        let dir = Self.packageRoot.appendingPathComponent("Kernels")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path)
            .filter { $0.hasSuffix(".cl") }
        XCTAssertFalse(files.isEmpty, "no Kernels/*.cl under \(dir.path)")
        let names = files.map { String($0.dropLast(3)) }.sorted()
        XCTAssertEqual(EmbeddedKernels.sources.keys.sorted(), names, "embedded names vs Kernels/*.cl: touch Package.swift and rebuild")
        XCTAssertEqual(KernelSources.embeddedNames, names)
        for name in names {
            // The generator normalises CRLF to LF, and so does this comparison.
            let text = try String(contentsOf: dir.appendingPathComponent(name + ".cl"), encoding: .utf8)
                .replacingOccurrences(of: "\r\n", with: "\n")
            XCTAssertEqual(EmbeddedKernels.sources[name], text, "Kernels/\(name).cl differs from its embedded copy: rebuild")
        }
    }

    func testUnknownFamilyNamesTheKnownOnes() throws {
        try withOverride(nil) {
            XCTAssertEqual(try KernelSources.source("util"), EmbeddedKernels.sources["util"])
            XCTAssertThrowsError(try KernelSources.source("no_such_family")) { error in
                let text = String(describing: error)
                XCTAssertTrue(text.contains("no_such_family") && text.contains("util"), text)
            }
        }
    }

    func testOverrideDirectoryIsReadAtEachLookup() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sculpt-kernels-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("util.cl")
        try "// first version\n".write(to: file, atomically: true, encoding: .utf8)
        try withOverride(dir.path) {
            XCTAssertEqual(try KernelSources.source("util"), "// first version\n")
            try "// edited\n".write(to: file, atomically: true, encoding: .utf8)
            XCTAssertEqual(try KernelSources.source("util"), "// edited\n", "no rebuild, no restart")
            XCTAssertThrowsError(try KernelSources.source("missing")) { error in
                let text = String(describing: error)
                XCTAssertTrue(text.contains("missing.cl") && text.contains(KernelSources.overrideVariable), text)
            }
        }
        XCTAssertEqual(try KernelSources.source("util"), EmbeddedKernels.sources["util"], "unset again: embedded")
    }

    /// Runs `body` with `SCULPT_KERNELS_DIR` set to `value` (unset for nil), then restores it.
    private func withOverride(_ value: String?, _ body: () throws -> Void) throws {
        let name = KernelSources.overrideVariable
        let saved = getenv(name).map { String(cString: $0) }
        if let value { setenv(name, value, 1) } else { unsetenv(name) }
        defer { if let saved { setenv(name, saved, 1) } else { unsetenv(name) } }
        try body()
    }
}
