import Foundation
import SculptCore

/// `sculpt export`: every model of a run or train directory as a safetensors or `.npz` file whose
/// tensors `torch.nn.Sequential(Linear, ReLU, …, Linear).load_state_dict` accepts (`StateDict`).
public enum Export {
    /// The file formats `sculpt export` writes.
    public enum Format: String, CaseIterable, Sendable {
        case safetensors, npz
    }

    /// Writes `models/<id>/model.<format>` for each model directory holding `weights.json` and
    /// `masks.json`; returns the files written.
    /// - Throws: `RecordError`/`MaskFileError` for an unreadable model, `FileWriteError`, or
    ///   `RecordError` when the directory holds no model.
    public static func write(runDirectory: String, format: Format) throws -> [String] {
        let models = runDirectory + "/models"
        let ids = ((try? FileManager.default.contentsOfDirectory(atPath: models)) ?? []).sorted().filter {
            FileManager.default.fileExists(atPath: "\(models)/\($0)/weights.json") && FileManager.default.fileExists(atPath: "\(models)/\($0)/masks.json")
        }
        guard !ids.isEmpty else {
            throw RecordError(path: runDirectory, problem: "holds no models/<id>/weights.json with masks.json: give a directory written by sculpt run or sculpt train")
        }
        var written: [String] = []
        for id in ids {
            let dir = RunDirectory(path: "\(models)/\(id)")
            let w = try dir.read(WeightsRecord.self, "weights.json")
            let masks = try MaskFile(contentsOf: dir.file("masks.json"))
            let arch = try Architecture(w.arch)
            guard masks.arch == w.arch else {
                throw RecordError(path: dir.file("masks.json"), problem: "is for \(masks.arch), weights.json for \(w.arch)")
            }
            let dense = (0..<arch.depth).map(masks.denseMask), biases = w.biases.flatMap { $0 }
            let data =
                format == .npz
                ? StateDict.npz(arch: arch, weights: w.weights, biases: biases, masks: dense)
                : try StateDict.safetensors(arch: arch, weights: w.weights, biases: biases, masks: dense, task: masks.task)
            let path = dir.file("model.\(format.rawValue)")
            try AtomicFile.write(data, to: path)
            written.append(path)
        }
        return written
    }
}
