// The built-in manifests (Sources/Sweeps/Manifests/*.yaml, embedded at build time) and loading by name or path.
import Foundation

public enum SweepManifests {
    /// In the order of the paper's experiments: the four Boolean ones, then MNIST.
    public static let builtinNames = ["exemplar", "reuse", "overlap", "hierarchy", "mnist"]

    private static var builtins: [(name: String, yaml: String)] {
        builtinNames.map { ($0, EmbeddedManifests.sources[$0] ?? "") }
    }

    /// - Throws: `ManifestError` for an unknown name.
    public static func builtin(_ name: String) throws -> SweepManifest {
        try SweepManifest.parse(yaml: yaml(ofBuiltin: name), name: name)
    }

    /// The embedded YAML text of a built-in manifest (a starting point for a custom one).
    /// - Throws: `ManifestError` for an unknown name.
    public static func yaml(ofBuiltin name: String) throws -> String {
        guard let entry = builtins.first(where: { $0.name == name }) else {
            throw ManifestError(
                file: name, field: "",
                problem: "no built-in manifest of that name; the built-ins are \(builtinNames.joined(separator: ", "))")
        }
        return entry.yaml
    }

    /// A built-in name or a path to a YAML file. A built-in name wins over a file of the same name
    /// in the working directory; write `./exemplar` to read the file.
    /// - Throws: `ManifestError` (unreadable file, invalid manifest, neither a built-in nor a file).
    public static func load(_ nameOrPath: String) throws -> SweepManifest {
        if builtinNames.contains(nameOrPath) { return try builtin(nameOrPath) }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: nameOrPath, isDirectory: &isDirectory) else {
            throw ManifestError(
                file: nameOrPath, field: "",
                problem: "no such file, and not a built-in manifest (\(builtinNames.joined(separator: ", ")))")
        }
        guard !isDirectory.boolValue else {
            throw ManifestError(file: nameOrPath, field: "", problem: "is a directory; expected a YAML manifest file")
        }
        let text: String
        do {
            text = try String(contentsOfFile: nameOrPath, encoding: .utf8)
        } catch {
            throw ManifestError(file: nameOrPath, field: "", problem: "cannot read the file as UTF-8 text")
        }
        return try SweepManifest.parse(yaml: text, name: nameOrPath)
    }
}
