import ArgumentParser
import Foundation
import SculptCore

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Convert a PyTorch or NumPy MLP (.safetensors, .npz, .pth) into a Sculpt masks file.",
        discussion: """
            Reads FILE as `sculpt analyze` does — a state_dict of nn.Linear layers (*.weight [n_out, n_in], \
            *.bias, optional *.weight_mask) in safetensors, numpy.savez or torch.save form, a zero weight \
            counting as pruned unless a mask is given — and writes it as sculpt-masks/1 with its surviving \
            weights (docs/formats.md). docs/interop.md has the naming rules.
            """
    )

    @Argument(help: ArgumentHelp("The network file.", valueName: "FILE"))
    var file: String

    @Option(help: "The masks file to write (replaced atomically).")
    var out: String

    @Option(help: "Task name to record in the masks file (e.g. xor-pairs), so that analyze can judge it.")
    var task: String?

    func run() throws {
        var masks = try MaskFile(contentsOf: file)
        if let task { masks.task = task }
        try AtomicFile.write(try masks.jsonData(), to: out)
        print("\(out): arch \(masks.arch.map(String.init).joined(separator: ",")), \(masks.edges.map(\.count).reduce(0, +)) edges")
    }
}
