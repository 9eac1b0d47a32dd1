import Foundation
import PackagePlugin

/// Build-tool plugin: embeds files of the package into generated Swift, so a binary copied alone to
/// another machine still has them. Per target it applies to:
/// - SculptKernels: every `Kernels/*.cl` file as `EmbeddedKernels.sources` (name → text);
/// - Sweeps: every `Sources/Sweeps/Manifests/*.yaml` file as `EmbeddedManifests.sources`;
/// - SculptCore: the commit of the git checkout being built as `BuildCommit.value` (read from
///   `.git/HEAD` and its ref, no git process), so run files record the build's commit, not the
///   working directory's.
/// NOTE: after adding, renaming or removing an embedded file, `touch Package.swift` (SwiftPM only
/// re-plans the build when the package changes); edits to existing files are picked up normally.
@main
struct EmbedResources: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) async throws -> [Command] {
        let tool = try context.tool(named: "EmbedResourcesTool").url
        let package = context.package.directoryURL
        func files(in dir: URL, suffix: String) throws -> [URL] {
            try FileManager.default.contentsOfDirectory(atPath: dir.path()).filter { $0.hasSuffix(suffix) }.sorted().map { dir.appending(path: $0) }
        }
        switch target.name {
        case "SculptKernels":
            return [try strings(tool, context, "EmbeddedKernels", files(in: package.appending(path: "Kernels"), suffix: ".cl"))]
        case "Sweeps":
            return [try strings(tool, context, "EmbeddedManifests", files(in: package.appending(path: "Sources/Sweeps/Manifests"), suffix: ".yaml"))]
        case "SculptCore":
            let git = package.appending(path: ".git")
            var inputs: [URL] = []
            for name in ["HEAD", "packed-refs"] where FileManager.default.fileExists(atPath: git.appending(path: name).path()) {
                inputs.append(git.appending(path: name))
            }
            if let head = try? String(contentsOf: git.appending(path: "HEAD"), encoding: .utf8), head.hasPrefix("ref: ") {
                let ref = git.appending(path: head.dropFirst(5).trimmingCharacters(in: .whitespacesAndNewlines))
                if FileManager.default.fileExists(atPath: ref.path()) { inputs.append(ref) }
            }
            let output = context.pluginWorkDirectoryURL.appending(path: "BuildCommit.swift")
            return [
                .buildCommand(
                    displayName: "Recording the build's git commit", executable: tool,
                    arguments: ["commit", output.path(), git.path()], inputFiles: inputs, outputFiles: [output])
            ]
        default:
            return []
        }
    }

    private func strings(_ tool: URL, _ context: PluginContext, _ name: String, _ files: [URL]) throws -> Command {
        let output = context.pluginWorkDirectoryURL.appending(path: "\(name).swift")
        return .buildCommand(
            displayName: "Embedding \(files.count) file(s) as \(name)", executable: tool,
            arguments: ["strings", output.path(), name] + files.map { $0.path() }, inputFiles: files, outputFiles: [output])
    }
}
