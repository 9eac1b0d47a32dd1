import Foundation
#if canImport(Glibc)
    import Glibc
#endif

/// Progress on stderr: a redrawn line on a terminal, plain lines otherwise.
public final class ProgressLine {
    public init() {}

    let tty = isatty(STDERR_FILENO) != 0
    let start = Date()
    var last = ""

    /// Whether the line is redrawn on a terminal (else every change is a new line, e.g. in a log).
    public var isTerminal: Bool { tty }

    public func update(_ text: String) {
        let line = String(format: "[%6.1fs] ", Date().timeIntervalSince(start)) + text
        if tty {
            FileHandle.standardError.write(Data(("\r\u{1B}[K" + line).utf8))
        } else if text != last {
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
        last = text
    }

    public func done() {
        if tty && !last.isEmpty { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }

    public static func bar(_ done: Int, _ total: Int, width: Int = 20) -> String {
        let filled = total > 0 ? min(width, done * width / total) : 0
        return "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "]"
    }
}
