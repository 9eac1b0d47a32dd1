/// The paper's choice among the (P_u, P_e) runs of one (task, architecture, seed) (docs/method.md §5):
/// the sparsest network that meets the accuracy threshold.
public enum Selection {
    /// The outcome with the fewest edges (= the largest final edge prune percentage) among those whose
    /// final accuracy is at least `threshold`; nil when none is. Ties, in order: the higher accuracy,
    /// then the larger P_u, then the larger P_e (the paper's lists run from large to small steps, so
    /// this prefers the first pair the paper would have tried). Deterministic for any input order.
    public static func sparsest(_ outcomes: [ModelOutcome], threshold: Double) -> ModelOutcome? {
        tiedSparsest(outcomes, threshold: threshold).first
    }

    /// Every outcome that meets `threshold` with the fewest edges, in the tie order of `sparsest`
    /// (its choice first). The paper keeps all of them: where several pairs of a seed end equally
    /// sparse, its stored results hold one network per pair, and its success rates count the seed as
    /// passed when any of them passes (docs/fidelity.md, "Tied sparsest networks").
    public static func tiedSparsest(_ outcomes: [ModelOutcome], threshold: Double) -> [ModelOutcome] {
        let meeting = outcomes.filter { $0.accuracy >= threshold }
        guard let fewest = meeting.map(\.edges).min() else { return [] }
        return meeting.filter { $0.edges == fewest }.sorted { a, b in
            if a.accuracy != b.accuracy { return a.accuracy > b.accuracy }
            if a.unitStep != b.unitStep { return a.unitStep > b.unitStep }
            return a.edgeStep > b.edgeStep
        }
    }
}
