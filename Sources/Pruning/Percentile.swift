/// The percentile rule of docs/method.md §3.1–3.2/docs/method.md §4: numpy's default "linear" method, then survivors are the
/// values strictly above the threshold.
///
/// numpy (≥ 1.22) computes the virtual index `v = (n − 1)·q/100`, `lo = ⌊v⌋`, `t = v − lo`, and
/// `θ = lerp(s[lo], s[lo+1], t)` with `lerp = a + (b−a)·t` for `t < 0.5` and `b − (b−a)·(1−t)`
/// otherwise. Sculpt does this in Double (numpy keeps float32 inputs in float32; the two can differ
/// only when θ lands within an ulp of a score).
public enum Percentile {
    /// Position of the `percent` percentile among `n` sorted values.
    public static func position(percent: Double, count n: Int) -> (lo: Int, hi: Int, t: Double) {
        precondition(n > 0, "percentile of nothing")
        let v = Double(n - 1) * (percent / 100)
        if v <= 0 { return (0, min(1, n - 1), 0) }
        if v >= Double(n - 1) { return (n - 1, n - 1, 0) }
        let lo = Int(v.rounded(.down))
        return (lo, min(lo + 1, n - 1), v - Double(lo))
    }

    /// numpy's linear interpolation between two neighbours.
    public static func lerp(_ a: Double, _ b: Double, _ t: Double) -> Double {
        let d = b - a
        return t >= 0.5 ? b - d * (1 - t) : a + d * t
    }

    /// The `percent` percentile of `values`.
    public static func value(_ values: [Double], percent: Double) -> Double {
        let s = values.sorted()
        let (lo, hi, t) = position(percent: percent, count: s.count)
        return lerp(s[lo], s[hi], t)
    }

    /// `values[i] > θ` with θ the `percent` percentile of `values` (ties and zeros counted).
    public static func survivors(_ values: [Float], percent: Double) -> [Bool] {
        let theta = value(values.map(Double.init), percent: percent)
        return values.map { Double($0) > theta }
    }
}
