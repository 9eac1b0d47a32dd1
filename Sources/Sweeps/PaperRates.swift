/// The overall success rates the Neural Sculpting paper plots for its Boolean experiments (docs/method.md
/// §7.3; 1, 2, 3, 4 hidden layers), for the sweep report to show beside Sculpt's. For `hierarchy-U` the
/// paper's score is "all modules for depth". Overlap cells are plotted per width and not listed here.
public enum PaperRates {
    /// The paper's rate for `task` at `hiddenLayers`, or nil where it plots none.
    public static func success(task: String, hiddenLayers h: Int) -> Double? {
        func at(_ rates: [Double?]) -> Double? { h >= 1 && h <= rates.count ? rates[h - 1] : nil }
        switch task {
        case "xor-pairs", "and-or", "non-modular": return at([1, 1, 1])
        case "reuse-2": return at([0, 0.58, 0.67])
        case "reuse-4": return at([0, 0.92, 0.75])
        case "reuse-8": return at([0, 1, 0.83])
        case "reuse-12": return at([0, 1, 0.83])
        case "reuse-16": return at([0, 1, 0.92])
        case "hierarchy-4": return at([nil, 1, 0.50, 0.75])
        case "hierarchy-8": return at([nil, 1, 0.83, 0.92])
        case "hierarchy-12": return at([nil, 1, 1, 1])
        case "hierarchy-16": return at([nil, 0.83, 1, 1])
        default: return nil
        }
    }
}
