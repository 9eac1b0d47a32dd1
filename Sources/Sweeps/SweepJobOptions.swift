import Pruning
import SculptCore
import Tasks
import Training

/// What a sweep job sets besides its hyper-parameters, with `sculpt run`'s defaults: the training
/// options, edge normalisation, cleanup, and for vision tasks the data and its splits (manifest keys
/// in docs/sweeps.md).
public struct SweepJobOptions: Codable, Sendable, Equatable {
    public var weightDecay: Float = 1e-4
    /// nil: the task's default (0.1 on Boolean inputs, 0 on images and data files).
    public var noise: Float? = nil
    public var dropout: Float = 0
    public var initialization: WeightInitialization = .kaimingNormal
    /// The loss the best-epoch rule compares (nil: the mean, Sculpt's default).
    public var snapshotLoss: SnapshotLoss? = nil
    /// The BCE gradient (nil: from the logits, Sculpt's default).
    public var bceGradient: BCEGradient? = nil
    public var edgeNorm: EdgeNormalization = .none
    public var cleanup = false
    /// For vision tasks: where the images are and how the splits are made (nil for other tasks).
    public var vision: VisionSettings? = nil

    public init() {}

    private enum CodingKeys: String, CodingKey {
        case weightDecay, noise, dropout, initialization, snapshotLoss, bceGradient, edgeNorm, cleanup, vision
    }

    /// Every key is optional (sweep directories written before these options existed have none).
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = SweepJobOptions()
        weightDecay = try c.decodeIfPresent(Float.self, forKey: .weightDecay) ?? d.weightDecay
        noise = try c.decodeIfPresent(Float.self, forKey: .noise)
        dropout = try c.decodeIfPresent(Float.self, forKey: .dropout) ?? d.dropout
        initialization = try c.decodeIfPresent(WeightInitialization.self, forKey: .initialization) ?? d.initialization
        snapshotLoss = try c.decodeIfPresent(SnapshotLoss.self, forKey: .snapshotLoss)
        bceGradient = try c.decodeIfPresent(BCEGradient.self, forKey: .bceGradient)
        edgeNorm = try c.decodeIfPresent(EdgeNormalization.self, forKey: .edgeNorm) ?? d.edgeNorm
        cleanup = try c.decodeIfPresent(Bool.self, forKey: .cleanup) ?? d.cleanup
        vision = try c.decodeIfPresent(VisionSettings.self, forKey: .vision)
    }

    /// The training settings of a job with these options.
    func training(epochs: Int, batchSize: Int) -> TrainingSettings {
        TrainingSettings(
            epochs: epochs, batchSize: batchSize, weightDecay: weightDecay, noise: noise, dropout: dropout, initialization: initialization,
            snapshotLoss: snapshotLoss, bceGradient: bceGradient)
    }
}
