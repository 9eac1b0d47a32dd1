import Foundation
import SculptCore

/// An image data set in MNIST's four-file IDX format that `sculpt data fetch` can download: the files,
/// their published MD5 checksums (of the `.gz` files as distributed), and the public mirrors to try in
/// order.
public struct DownloadableDataset: Sendable, Equatable {
    public var name: String
    public var files: [File]
    public var mirrors: [String]

    public struct File: Sendable, Equatable {
        public var name: String
        public var md5: String
        public init(name: String, md5: String) {
            self.name = name
            self.md5 = md5
        }
    }

    public init(name: String, files: [File], mirrors: [String]) {
        self.name = name
        self.files = files
        self.mirrors = mirrors
    }

    /// MNIST (LeCun, Cortes and Burges); checksums as published with torchvision's MNIST loader.
    public static let mnist = DownloadableDataset(
        name: "mnist",
        files: [
            File(name: "train-images-idx3-ubyte.gz", md5: "f68b3c2dcbeaaa9fbdd348bbdeb94873"),
            File(name: "train-labels-idx1-ubyte.gz", md5: "d53e105ee54ea40749a09fcbcd1e9432"),
            File(name: "t10k-images-idx3-ubyte.gz", md5: "9fb629c4189551a2d022fa330f9573f3"),
            File(name: "t10k-labels-idx1-ubyte.gz", md5: "ec29112dd5afa0611ce80d1b7f02629c"),
        ],
        mirrors: ["https://ossci-datasets.s3.amazonaws.com/mnist/", "https://storage.googleapis.com/cvdf-datasets/mnist/"])

    /// Fashion-MNIST (Xiao, Rasul and Vollgraf 2017); checksums as published in its repository.
    public static let fashionMNIST = DownloadableDataset(
        name: "fashion-mnist",
        files: [
            File(name: "train-images-idx3-ubyte.gz", md5: "8d4fb7e6c68d591d4c3dfef9ec88bf0d"),
            File(name: "train-labels-idx1-ubyte.gz", md5: "25c81989df183df01b3e8a0aad5dffbe"),
            File(name: "t10k-images-idx3-ubyte.gz", md5: "bef4ecab320f06d8554ea6380940ec79"),
            File(name: "t10k-labels-idx1-ubyte.gz", md5: "bb300cfdad3c16e7a12a480ee83cd310"),
        ],
        mirrors: [
            "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
            "https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/",
        ])

    public static let all = [mnist, fashionMNIST]

    /// - Throws: `DataFetchError` naming the data sets there are.
    public static func named(_ name: String) throws -> DownloadableDataset {
        guard let d = all.first(where: { $0.name == name.lowercased() }) else {
            throw DataFetchError("unknown data set '\(name)': choose \(all.map(\.name).joined(separator: " or "))")
        }
        return d
    }
}

/// Where downloaded data sets live: `$SCULPT_DATA_HOME/<name>`, else `$XDG_CACHE_HOME/sculpt/data/<name>`,
/// else `~/.cache/sculpt/data/<name>`.
public enum DataCache {
    public static func directory(for name: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let home = environment["SCULPT_DATA_HOME"], !home.isEmpty { return home + "/" + name }
        return CacheDirectory.path(environment: environment) + "/data/" + name
    }

    /// The folder `--data VALUE` means: VALUE itself when it is a folder; otherwise, when VALUE names a
    /// downloadable data set, its cached copy.
    /// - Throws: `DataFetchError` when VALUE is neither a folder nor a data set with a cached copy.
    public static func resolve(_ value: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String {
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: value, isDirectory: &isDir), isDir.boolValue { return value }
        guard let d = DownloadableDataset.all.first(where: { $0.name == value.lowercased() }) else { return value }
        let dir = directory(for: d.name, environment: environment)
        let missing = d.files.filter { !FileManager.default.fileExists(atPath: dir + "/" + $0.name) }
        guard missing.isEmpty else {
            throw DataFetchError("--data \(value): no folder '\(value)' here and no downloaded copy in \(dir); run `sculpt data fetch \(d.name)` first")
        }
        return dir
    }
}

/// A download that failed, a checksum that did not match, or a missing tool; one line.
public struct DataFetchError: Error, CustomStringConvertible, Equatable {
    public let description: String
    public init(_ d: String) { description = d }
}

/// Downloads a data set's files into a folder with `curl`, checking each file's MD5 before it takes
/// its final name: a file is written as a hidden partial file and renamed only when it matches, so an
/// interrupted or corrupted download never leaves a file that looks complete. Files already present
/// with the right checksum are kept.
public enum DataFetch {
    /// What happened to one file.
    public enum Outcome: Equatable, Sendable {
        case present
        case downloaded(from: String)
    }

    /// - Parameters:
    ///   - mirrors: base URLs to try in order (default: the data set's own).
    ///   - progress: one line per step, for a terminal.
    /// - Returns: each file's outcome, in the data set's order.
    /// - Throws: `DataFetchError` when a file cannot be had from any mirror with the right checksum, or
    ///   the folder cannot be written.
    @discardableResult
    public static func fetch(
        _ dataset: DownloadableDataset, into dir: String, mirrors: [String]? = nil, progress: (String) -> Void = { _ in }
    ) throws -> [Outcome] {
        do {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        } catch {
            throw DataFetchError("cannot create \(dir): \(error.localizedDescription)")
        }
        let bases = (mirrors ?? dataset.mirrors).map { $0.hasSuffix("/") ? $0 : $0 + "/" }
        guard !bases.isEmpty else { throw DataFetchError("no mirror to download \(dataset.name) from") }
        var outcomes: [Outcome] = []
        for file in dataset.files {
            let target = dir + "/" + file.name
            if let data = FileManager.default.contents(atPath: target), MD5.hex(data) == file.md5 {
                progress("\(file.name): present, checksum ok")
                outcomes.append(.present)
                continue
            }
            var failures: [String] = []
            var got: String?
            for base in bases {
                let url = base + file.name
                progress("\(file.name): downloading \(url)")
                let partial = dir + "/.\(file.name).partial-\(ProcessInfo.processInfo.processIdentifier)"
                defer { try? FileManager.default.removeItem(atPath: partial) }
                do {
                    try download(url, to: partial)
                    guard let data = FileManager.default.contents(atPath: partial) else { throw DataFetchError("cannot read \(partial)") }
                    let sum = MD5.hex(data)
                    guard sum == file.md5 else { throw DataFetchError("checksum mismatch (MD5 \(sum), expected \(file.md5))") }
                    if FileManager.default.fileExists(atPath: target) { try FileManager.default.removeItem(atPath: target) }
                    try FileManager.default.moveItem(atPath: partial, toPath: target)
                    got = url
                    break
                } catch {
                    failures.append("\(url): \(error)")
                }
            }
            guard let got else {
                throw DataFetchError("could not download \(file.name) of \(dataset.name): \(failures.joined(separator: "; "))")
            }
            progress("\(file.name): ok")
            outcomes.append(.downloaded(from: got))
        }
        return outcomes
    }

    /// `curl` to a file, following redirects; errors as one line.
    static func download(_ url: String, to path: String) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["curl", "--fail", "--location", "--silent", "--show-error", "--connect-timeout", "30", "--retry", "2", "--output", path, url]
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        do { try p.run() } catch { throw DataFetchError("cannot run curl (apt-get install curl): \(error.localizedDescription)") }
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            if p.terminationStatus == 127 { throw DataFetchError("curl is not installed (apt-get install curl)") }
            let line = message.split(separator: "\n").last.map(String.init) ?? "curl exited with status \(p.terminationStatus)"
            throw DataFetchError(line.trimmingCharacters(in: .whitespaces))
        }
    }
}
