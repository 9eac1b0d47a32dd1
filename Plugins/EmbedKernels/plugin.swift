import PackagePlugin

/// Build-tool plugin: turns every `Kernels/*.cl` file of the package into a Swift string constant in
/// a generated `EmbeddedKernels.swift`, so a binary copied alone to another machine still has its
/// kernels. NOTE: after adding, renaming or removing a `.cl` file, `touch Package.swift` (SwiftPM only
/// re-plans the build when the package changes); edits to existing files are picked up normally.
@main
struct EmbedKernels: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) async throws -> [Command] {
        let kernelsDir = context.package.directoryURL.appending(path: "Kernels")
        let files = try FileManager.default.contentsOfDirectory(atPath: kernelsDir.path())
            .filter { $0.hasSuffix(".cl") }
            .sorted()
            .map { kernelsDir.appending(path: $0) }
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedKernels.swift")
        return [
            .buildCommand(
                displayName: "Embedding \(files.count) OpenCL kernel files",
                executable: try context.tool(named: "EmbedKernelsTool").url,
                arguments: [output.path()] + files.map { $0.path() },
                inputFiles: files,
                outputFiles: [output]
            )
        ]
    }
}

import Foundation
