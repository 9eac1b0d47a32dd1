/// The best-epoch snapshot rule (docs/method.md §2.4), defined once for the host and both backends:
/// an epoch is taken when it is at least as accurate and no worse in loss, or strictly more accurate;
/// a loss at or above `lossCeiling` (a diverging epoch) is not compared, only the accuracy.
public enum SnapshotRule {
    /// The loss above which only accuracy counts; also every training's starting best loss.
    public static let lossCeiling: Float = 1000

    public static func takes(loss: Float, correct: UInt32, bestLoss: Float, bestCorrect: UInt32) -> Bool {
        loss < lossCeiling ? (loss <= bestLoss && correct >= bestCorrect) || correct > bestCorrect : correct >= bestCorrect
    }

    /// The loss the rule compares: the mean validation loss times `scale` (`SnapshotLoss.ruleScale`),
    /// +inf whenever the scale is (so a loss of 0 gives +inf, not NaN).
    public static func ruleLoss(_ loss: Float, scale: Float) -> Float { scale.isInfinite ? scale : loss * scale }

    /// The build option that gives `Kernels/population.cl` the same ceiling.
    public static var buildOption: String { "-DSNAPSHOT_LOSS_CEILING=\(lossCeiling)f" }
}
