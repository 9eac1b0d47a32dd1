import ArgumentParser
import Foundation
import Pruning

extension Export.Format: ExpressibleByArgument {}

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write each model of a run as a safetensors file that PyTorch and NumPy can load.",
        discussion: """
            For every models/<id>/ of a directory written by `sculpt run` or `sculpt train`, writes \
            models/<id>/model.safetensors: tensors 0.weight, 0.bias, 2.weight, 2.bias, … as \
            torch.nn.Sequential(Linear, ReLU, …, Linear) names them, pruned weights as zeros, with arch and \
            task in the metadata. docs/interop.md shows loading it in Python, and the way back: `sculpt \
            analyze` and `sculpt cluster` read safetensors files of PyTorch MLPs directly.
            """
    )

    @Argument(help: ArgumentHelp("A run or train directory.", valueName: "DIR"))
    var directory: String

    @Option(help: "safetensors (with arch and task metadata) or npz (numpy.savez's format: numpy.load reads it).")
    var format: Export.Format = .safetensors

    func run() throws {
        for path in try Export.write(runDirectory: directory, format: format) { print(path) }
    }
}
