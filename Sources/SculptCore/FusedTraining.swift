/// How the fused small-network path (`Kernels/fused.cl`) lays a population out: models in groups of
/// `group`, element c of model p's C-element array at `((p / group)·C + c)·group + p % group`, one
/// work-item for every `lanes` consecutive models (`lanes` divides `group`). CPUs: lanes = group =
/// the float vector width (models in vector lanes); GPUs: lanes 1, group a warp (coalesced reads).
///
/// exp, log, log1p, sin and cos come from `Kernels/mathfn.cl`, whose vector instances round as the
/// scalar ones the per-layer kernels call, so the numbers are the per-layer kernels' bit for bit in
/// every layout.
public struct FusedLayout: Equatable, Sendable, CustomStringConvertible {
    public let lanes: Int
    public let group: Int

    public init(lanes: Int, group: Int) {
        precondition(lanes >= 1 && group >= lanes && group % lanes == 0, "lanes must divide the group")
        self.lanes = lanes
        self.group = group
    }

    /// The deepest network (weight layers) the fused kernel takes; deeper ones train per layer.
    public static var maximumDepth: Int { 16 }

    /// Models the lane-layout arrays hold: P rounded up to whole groups.
    public func padded(_ P: Int) -> Int { (P + group - 1) / group * group }

    public var description: String {
        lanes > 1
            ? "\(lanes) models per work-item in vector lanes"
            : "one model per work-item, groups of \(group)"
    }
}

/// One launch of `fused_epochs` (`Kernels/fused.cl`): `epochs` whole epochs of every active model.
/// Buffers as that kernel's header describes them; `lanes` arrays are in the `FusedLayout`.
public struct FusedEpochs<Floats, UInts> {
    public var P: Int, widths: UInts, depth: Int
    public var N: Int, B: Int, epoch0: Int, epochs: Int, sigma: Float
    public var dropRate: Float, dropScale: Float, softmax: Bool, saturate: Bool
    public var wd: Float, beta1: Float, beta2: Float, eps: Float
    /// Adam's bias corrections (1 − β1^t, 1 − β2^t) of every step of these epochs, in order.
    public var biasCorrections: Floats
    public var validationRows: Int, chunk: Int, NM: Float, ruleScale: Float, keepBest: Bool
    public var data: Floats, targets: Floats, perm: UInts, validationData: Floats, validationTargets: Floats
    public var noiseKeys: UInts, dropoutKeys: UInts, session: UInts, lr: Floats, active: UInts
    public var W: Floats, bias: Floats, mask: Floats, biasMask: Floats
    public var m1W: Floats, m2W: Floats, m1b: Floats, m2b: Floats
    public var snapW: Floats, snapB: Floats, acts: Floats, deltas: Floats
    public var bestLoss: Floats, bestCorrect: UInts, histLoss: Floats, histCorrect: UInts

    public init(
        P: Int, widths: UInts, depth: Int, N: Int, B: Int, epoch0: Int, epochs: Int, sigma: Float, dropRate: Float, dropScale: Float,
        softmax: Bool, saturate: Bool = false, wd: Float, beta1: Float, beta2: Float, eps: Float, biasCorrections: Floats, validationRows: Int, chunk: Int,
        NM: Float, ruleScale: Float, keepBest: Bool, data: Floats, targets: Floats, perm: UInts, validationData: Floats, validationTargets: Floats,
        noiseKeys: UInts, dropoutKeys: UInts, session: UInts, lr: Floats, active: UInts, W: Floats, bias: Floats, mask: Floats,
        biasMask: Floats, m1W: Floats, m2W: Floats, m1b: Floats, m2b: Floats, snapW: Floats, snapB: Floats, acts: Floats,
        deltas: Floats, bestLoss: Floats, bestCorrect: UInts, histLoss: Floats, histCorrect: UInts
    ) {
        (self.P, self.widths, self.depth, self.N, self.B, self.epoch0, self.epochs, self.sigma) = (P, widths, depth, N, B, epoch0, epochs, sigma)
        (self.dropRate, self.dropScale, self.softmax, self.saturate, self.wd, self.beta1, self.beta2, self.eps) = (
            dropRate, dropScale, softmax, saturate, wd, beta1, beta2, eps
        )
        (self.biasCorrections, self.validationRows, self.chunk, self.NM, self.ruleScale, self.keepBest) = (
            biasCorrections, validationRows, chunk, NM, ruleScale, keepBest
        )
        (self.data, self.targets, self.perm, self.validationData, self.validationTargets) = (data, targets, perm, validationData, validationTargets)
        (self.noiseKeys, self.dropoutKeys, self.session, self.lr, self.active) = (noiseKeys, dropoutKeys, session, lr, active)
        (self.W, self.bias, self.mask, self.biasMask, self.m1W, self.m2W, self.m1b, self.m2b) = (W, bias, mask, biasMask, m1W, m2W, m1b, m2b)
        (self.snapW, self.snapB, self.acts, self.deltas) = (snapW, snapB, acts, deltas)
        (self.bestLoss, self.bestCorrect, self.histLoss, self.histCorrect) = (bestLoss, bestCorrect, histLoss, histCorrect)
    }
}

/// A backend without the fused path was asked to run it.
public struct FusedUnavailableError: Error, CustomStringConvertible {
    public let description: String
    public init(_ backend: String) { description = "\(backend) has no fused small-network path" }
}
