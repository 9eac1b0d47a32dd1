/// The paper's choice among the (P_u, P_e) runs of one (task, architecture, seed) (docs/method.md §5):
/// the sparsest network that meets the accuracy threshold.
public enum Selection {
    /// The outcome with the fewest edges (= the largest final edge prune percentage) among those whose
    /// final accuracy is at least `threshold`; nil when none is. Ties, in order: the higher accuracy,
    /// then the larger P_u, then the larger P_e (the paper's lists run from large to small steps, so
    /// this prefers the first pair the paper would have tried). Deterministic for any input order.
    public static func sparsest(_ outcomes: [ModelOutcome], threshold: Double) -> ModelOutcome? {
        outcomes.filter { $0.accuracy >= threshold }.min { a, b in
            if a.edges != b.edges { return a.edges < b.edges }
            if a.accuracy != b.accuracy { return a.accuracy > b.accuracy }
            if a.unitStep != b.unitStep { return a.unitStep > b.unitStep }
            return a.edgeStep > b.edgeStep
        }
    }
}
