import Foundation
import SculptCore

/// `sculpt export`: every model of a run or train directory as a safetensors file that
/// `torch.nn.Sequential(Linear, ReLU, …, Linear).load_state_dict` accepts (`StateDict.safetensors`).
public enum Export {
    /// Writes `models/<id>/model.safetensors` for each model directory holding `weights.json` and
    /// `masks.json`; returns the files written.
    /// - Throws: `RecordError`/`MaskFileError` for an unreadable model, `FileWriteError`, or
    ///   `RecordError` when the directory holds no model.
    public static func safetensors(runDirectory: String) throws -> [String] {
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
            let data = try StateDict.safetensors(
                arch: arch, weights: w.weights, biases: w.biases.flatMap { $0 }, masks: (0..<arch.depth).map(masks.denseMask), task: masks.task)
            let path = dir.file("model.safetensors")
            try AtomicFile.write(data, to: path)
            written.append(path)
        }
        return written
    }
}
