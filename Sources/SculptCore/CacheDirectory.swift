import Foundation

/// Sculpt's per-user cache folder: `$XDG_CACHE_HOME/sculpt`, else `~/.cache/sculpt`. Downloaded data
/// sets and measured device choices live under it.
public enum CacheDirectory {
    public static func path(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let base = environment["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory() + "/.cache"
        return base + "/sculpt"
    }
}
