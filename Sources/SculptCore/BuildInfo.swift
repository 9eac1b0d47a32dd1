/// What this binary is: its version and the commit it was built from.
public enum BuildInfo {
    public static let version = "0.2.0"
    /// First 10 hex digits of the commit the build was made from (embedded by the build plugin), or
    /// nil when it was built outside a git checkout. The working directory plays no part.
    public static let commit: String? = buildCommit

    /// `0.2.0 (commit 0123456789)` for `--version` and logs.
    public static var description: String { version + (commit.map { " (commit \($0))" } ?? "") }
}
