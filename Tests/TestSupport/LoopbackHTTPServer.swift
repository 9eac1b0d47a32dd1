import Foundation

/// A static-file HTTP server on 127.0.0.1 serving `directory` (Python's `http.server`, which `make test`
/// installs), for tests of downloads without an outside network. Stops when released.
public final class LoopbackHTTPServer {
    public let directory: String
    public let port: Int
    private let process: Process

    /// Starts the server on a free port and waits until it accepts connections.
    public init(directory: String) throws {
        self.directory = directory
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-u", "-m", "http.server", "0", "--bind", "127.0.0.1", "--directory", directory]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        process = p
        // First line: "Serving HTTP on 127.0.0.1 port 41235 (http://127.0.0.1:41235/) ..."
        var text = ""
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline, !text.contains("\n") {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        guard let range = text.range(of: #"port (\d+)"#, options: .regularExpression),
            let port = Int(text[range].dropFirst(5))
        else {
            p.terminate()
            throw LoopbackServerError(description: "python3 -m http.server did not start (apt-get install python3); it printed: \(text)")
        }
        self.port = port
    }

    /// `http://127.0.0.1:PORT/`
    public var baseURL: String { "http://127.0.0.1:\(port)/" }

    deinit {
        process.terminate()
        process.waitUntilExit()
    }
}

public struct LoopbackServerError: Error, CustomStringConvertible {
    public let description: String
}
