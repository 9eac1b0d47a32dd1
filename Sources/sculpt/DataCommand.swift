import ArgumentParser
import Foundation
import Tasks

struct DataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data",
        abstract: "Download the image data sets the vision tasks use.",
        subcommands: [DataFetchCommand.self]
    )
}

struct DataFetchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch",
        abstract: "Download MNIST or Fashion-MNIST (the four IDX files) and check their published MD5 checksums.",
        discussion: """
            Files go to --dir, by default $SCULPT_DATA_HOME/<name>, else $XDG_CACHE_HOME/sculpt/data/<name>, \
            else ~/.cache/sculpt/data/<name>. Each file is downloaded with curl under a hidden partial name and \
            takes its final name only when its checksum matches, so an interrupted or corrupted download \
            leaves nothing that looks complete; files already there with the right checksum are kept. The \
            folder's path is the last line on stdout. Afterwards `--data mnist` (or `--data fashion-mnist`) \
            names the downloaded copy in train, run and sweep.
            """
    )

    @Argument(help: ArgumentHelp("The data set.", valueName: "mnist|fashion-mnist"))
    var name: String

    @Option(help: ArgumentHelp("Folder to put the files in.", valueName: "DIR"))
    var dir: String?

    @Option(
        name: .customLong("mirror"),
        help: ArgumentHelp("Base URL to download from instead of the data set's public mirrors (repeat to try several in order).", valueName: "URL"))
    var mirrors: [String] = []

    func run() throws {
        let dataset = try DownloadableDataset.named(name)
        let target = dir ?? DataCache.directory(for: dataset.name)
        try DataFetch.fetch(dataset, into: target, mirrors: mirrors.isEmpty ? nil : mirrors) {
            FileHandle.standardError.write(Data("\($0)\n".utf8))
        }
        print(target)
    }
}
