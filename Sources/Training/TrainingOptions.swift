import SculptCore

/// Hyper-parameters shared by every model of a population (docs/method.md §2).
public struct TrainingOptions: Sendable, Equatable, Codable {
    public var epochs: Int
    public var batchSize: Int
    /// Coupled L2 weight decay added to the gradient (not AdamW).
    public var weightDecay: Float = 1e-4
    /// σ of the Gaussian noise added to training inputs each time a sample is drawn; 0 turns it off.
    public var noise: Float = 0.1
    public var beta1: Float = 0.9
    public var beta2: Float = 0.999
    public var epsilon: Float = 1e-8
    /// The loss on the logits, and with it what accuracy counts (see `Loss`).
    public var loss: Loss = .bce
    /// Dropout rate after every hidden layer in training (never in evaluation or unit scoring); 0 = off.
    public var dropout: Float = 0
    /// How the weights are drawn (biases start at 0 either way).
    public var initialization: WeightInitialization = .kaimingNormal
    /// Which loss the best-epoch rule compares (see `SnapshotLoss`).
    public var snapshotLoss: SnapshotLoss = .mean
    /// How the BCE gradient treats saturated outputs (see `BCEGradient`).
    public var bceGradient: BCEGradient = .logits

    public init(
        epochs: Int, batchSize: Int, weightDecay: Float = 1e-4, noise: Float = 0.1,
        loss: Loss = .bce, dropout: Float = 0, initialization: WeightInitialization = .kaimingNormal, snapshotLoss: SnapshotLoss = .mean,
        bceGradient: BCEGradient = .logits
    ) {
        self.snapshotLoss = snapshotLoss
        self.bceGradient = bceGradient
        self.epochs = epochs
        self.batchSize = batchSize
        self.weightDecay = weightDecay
        self.noise = noise
        self.loss = loss
        self.dropout = dropout
        self.initialization = initialization
    }

    /// What one validation row counts for accuracy (and divides the summed loss by): every output
    /// bit with `.bce` (`outputs`), the row's class with `.softmaxCrossEntropy` (1).
    /// The most epochs of one training (the per-epoch history is kept on the device).
    public static let maxEpochs = 100_000

    public func unitsPerRow(outputs: Int) -> Int { loss == .softmaxCrossEntropy ? 1 : outputs }

    /// - Throws: `TrainingConfigError` naming the bad value.
    public func validate(dataRows: Int) throws {
        guard (1...Self.maxEpochs).contains(epochs) else { throw TrainingConfigError("epochs must be between 1 and \(Self.maxEpochs) (got \(epochs))") }
        guard batchSize >= 1 else { throw TrainingConfigError("batch size must be at least 1 (got \(batchSize))") }
        guard batchSize <= dataRows else {
            throw TrainingConfigError("batch size \(batchSize) is larger than the data (\(dataRows) rows)")
        }
        guard weightDecay >= 0, weightDecay.isFinite else { throw TrainingConfigError("weight decay must be a finite number ≥ 0 (got \(weightDecay))") }
        guard noise >= 0, noise.isFinite else { throw TrainingConfigError("noise σ must be a finite number ≥ 0 (got \(noise))") }
        guard dropout >= 0, dropout < 1 else { throw TrainingConfigError("dropout rate must be in [0, 1) (got \(dropout))") }
        guard bceGradient == .logits || loss == .bce else {
            throw TrainingConfigError("the BCE gradient 'probabilities' applies to BCE tasks; this task trains with softmax cross-entropy")
        }
    }
}

/// The validation loss the best-epoch rule compares (docs/method.md §2.4). Only the choice among
/// epochs of equal accuracy depends on it.
public enum SnapshotLoss: String, Sendable, Codable, CaseIterable {
    /// The mean loss over every validation row (and output): Sculpt's default.
    case mean
    /// The reference implementation's: validation in batches of the training batch size, the sum of
    /// the batches' mean losses divided by (number of batches − 1). With one batch (batch size ≥
    /// rows) that is a division by zero, the loss is infinite and the rule compares accuracy only, so
    /// the latest epoch of the best accuracy wins; with more, it is the mean times b/(b − 1) (exact
    /// when every batch is full), which orders epochs as the mean does.
    case reference

    /// The factor from the mean validation loss to the loss the rule compares.
    public func ruleScale(validationRows: Int, batchSize: Int) -> Float {
        switch self {
        case .mean: return 1
        case .reference:
            let batches = (validationRows + max(batchSize, 1) - 1) / max(batchSize, 1)
            return batches <= 1 ? .infinity : Float(batches) / Float(batches - 1)
        }
    }
}

/// The gradient of the BCE loss with respect to the logits (docs/method.md §9).
public enum BCEGradient: String, Sendable, Codable, CaseIterable {
    /// σ(z) − y from the logits, for any z: a confidently wrong output is pushed back. Sculpt's default.
    case logits
    /// The reference implementation's: BCE of float sigmoid probabilities, whose gradient vanishes
    /// where σ(z) rounds to exactly 1 (z above about 16.6) with target 0, or to exactly 0 with target
    /// 1: such an output gets no gradient and stays wrong.
    case probabilities
}

/// The loss on the network's logits (`Kernels/loss.cl`).
public enum Loss: String, Sendable, Codable, CaseIterable {
    /// Mean binary cross-entropy of one sigmoid per output; accuracy counts correct output bits.
    case bce
    /// Softmax over the outputs with cross-entropy, mean over rows (targets one-hot); accuracy counts
    /// rows whose largest logit is the target class.
    case softmaxCrossEntropy
}

/// Weight initialisation, drawn from the model's `initialWeights` Philox stream (`Initialization`).
public enum WeightInitialization: String, Sendable, Codable, CaseIterable {
    /// `N(0, 2/n_in)` (He et al.; PyTorch's `kaiming_normal_` with the ReLU gain).
    case kaimingNormal
    /// `U(−a, a)`, `a = sqrt(6/(n_in + n_out))` (Glorot & Bengio; Keras' default).
    case glorotUniform
}

/// One model of a population: its seed (all its randomness derives from it) and learning rate.
public struct ModelSpec: Sendable, Equatable, Codable {
    public var seed: UInt64
    public var learningRate: Float

    public init(seed: UInt64, learningRate: Float) {
        self.seed = seed
        self.learningRate = learningRate
    }
}

public struct TrainingConfigError: Error, CustomStringConvertible, Equatable {
    public let description: String
    public init(_ d: String) { description = d }
}

/// What one (re)training of one model produced: the best-epoch snapshot's numbers and every epoch's.
public struct TrainingResult: Sendable, Equatable, Codable {
    /// 1-based epoch of the snapshot the model now holds.
    public var bestEpoch: Int
    /// Accuracy of the snapshot on the validation table, in percent: per output bit with BCE, per
    /// row (class) with softmax cross-entropy.
    public var accuracy: Double
    /// Mean loss of the snapshot on the validation table (per element with BCE, per row with softmax).
    public var loss: Double
    /// Correct output bits (rows with softmax) of the snapshot: accuracy = 100 · correct / total,
    /// total = rows · `TrainingOptions.unitsPerRow`.
    public var correctBits: Int
    public var totalBits: Int
    /// Validation loss and accuracy after each epoch.
    public var epochLoss: [Double]
    public var epochAccuracy: [Double]
}

/// Opt-in early stopping of a retraining (see `Population.train`).
public struct EarlyStop: Sendable, Equatable, Codable {
    /// Accuracy (percent) the snapshot must have reached.
    public var accuracyThreshold: Double
    /// Epochs without a new snapshot before the model stops.
    public var patience: Int

    public init(accuracyThreshold: Double, patience: Int) {
        self.accuracyThreshold = accuracyThreshold
        self.patience = patience
    }
}
