/// File names for exports of many input files into one directory, never two alike.
public enum ExportNames {
    /// `preferred[i]`, or where names collide (two paths sharing a stem, or a stem equal to another
    /// file's flattened path), `name-2`, `name-3`, … in input order, so no export overwrites another.
    public static func unique(_ preferred: [String]) -> [String] {
        var taken = Set<String>(), out: [String] = []
        let counts = Dictionary(preferred.map { ($0, 1) }, uniquingKeysWith: +)
        // Names that occur once keep their form; repeated ones are numbered from their second use.
        for name in preferred where counts[name] == 1 { taken.insert(name) }
        var seen: [String: Int] = [:]
        for name in preferred {
            guard counts[name]! > 1 else { out.append(name); continue }
            seen[name, default: 0] += 1
            var candidate = seen[name] == 1 ? name : "\(name)-\(seen[name]!)"
            var k = seen[name]!
            while taken.contains(candidate) { k += 1; candidate = "\(name)-\(k)" }
            taken.insert(candidate)
            out.append(candidate)
        }
        return out
    }
}
