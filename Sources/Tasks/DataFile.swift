import Foundation
import SculptCore

/// A user's own rows, named as a task by `data:FILE`: a CSV file with a header, or a NumPy `.npz`
/// archive (format in docs/formats.md "Your own data").
///
/// Targets decide the loss: 0/1 values are bits (binary cross-entropy per output, accuracy per bit);
/// a single target column of class labels 0…C−1 with C ≥ 3 becomes C one-hot outputs (softmax
/// cross-entropy, accuracy per row). Splits come from the file (a CSV `split` column, `.npz` arrays
/// `x_val`/`y_val`, `x_test`/`y_test`); without a validation split the last tenth of the training rows
/// (at least one) is held out for it.
public enum DataFile {
    public static let prefix = "data:"

    /// Whether `task` names a data file.
    public static func isTask(_ task: String) -> Bool { task.hasPrefix(prefix) }

    /// The fraction of training rows held out for validation when the file names no validation split.
    public static let validationFraction = 0.1

    /// Loads `data:FILE`.
    /// - Throws: `DataFileError` naming the file and, for a CSV, the line.
    public static func load(_ task: String) throws -> TaskData {
        let path = String(task.dropFirst(prefix.count))
        guard !path.isEmpty else { throw DataFileError("\(task): name a file after 'data:', e.g. data:rows.csv") }
        let url = URL(fileURLWithPath: path)
        let bytes: Data
        do { bytes = try Data(contentsOf: url) } catch { throw DataFileError("\(path): cannot read the file (\(error.localizedDescription))") }
        var splits: Splits
        if path.lowercased().hasSuffix(".npz") || NPZ.looksLike(bytes) {
            splits = try npz(bytes, path: path)
        } else {
            guard let text = String(data: bytes, encoding: .utf8) else { throw DataFileError("\(path): not UTF-8 text (a CSV file) nor an .npz archive") }
            splits = try csv(text, path: path)
        }
        if splits.validation == nil {
            guard splits.train.rows.count >= 2 else {
                throw DataFileError(
                    "\(path): \(splits.train.rows.count) training row(s); at least 2 are needed to hold one out for validation (or give a validation split)")
            }
            let held = max(1, Int((Double(splits.train.rows.count) * validationFraction).rounded(.down)))
            let t = splits.train
            splits.validation = Rows(rows: Array(t.rows.suffix(held)), targets: Array(t.targets.suffix(held)), origins: Array(t.origins.suffix(held)))
            splits.train = Rows(rows: Array(t.rows.dropLast(held)), targets: Array(t.targets.dropLast(held)), origins: Array(t.origins.dropLast(held)))
        }
        return try splits.taskData(name: task, path: path)
    }

    /// Rows of one split: inputs, and targets as given (bits or one label).
    struct Rows {
        var rows: [[Float]] = []
        var targets: [[Float]] = []
        /// Where each row came from, for errors ("line 7", "y_val[3]").
        var origins: [String] = []
    }

    struct Splits {
        var train = Rows(), validation: Rows?, test: Rows?

        /// The splits as datasets, with the loss chosen from the targets of all of them.
        func taskData(name: String, path: String) throws -> TaskData {
            guard !train.rows.isEmpty else { throw DataFileError("\(path): no training rows") }
            let all = [train, validation, test].compactMap { $0 }
            let m = train.targets[0].count
            var labels = false
            var classes = 0
            if m == 1 && all.contains(where: { $0.targets.contains { $0[0] > 1 } }) {
                labels = true
                for split in all {
                    for (r, t) in split.targets.enumerated() where t[0] < 0 || t[0] != t[0].rounded() || t[0] > 65_535 {
                        throw DataFileError("\(path): \(split.origin(r)): target \(t[0]) is not a class label 0, 1, 2, … (a single target column holds labels)")
                    }
                }
                classes = Int(all.flatMap { $0.targets.map { $0[0] } }.max()!) + 1
            } else {
                for split in all {
                    for (r, t) in split.targets.enumerated() {
                        if let bad = t.first(where: { $0 != 0 && $0 != 1 }) {
                            throw DataFileError(
                                "\(path): \(split.origin(r)): target \(bad) is neither 0 nor 1 (targets are 0/1 bits, or class labels in a single column)")
                        }
                    }
                }
            }
            func dataset(_ s: Rows) -> Dataset {
                let targets = labels ? s.targets.flatMap { t in (0..<classes).map { $0 == Int(t[0]) ? Float(1) : 0 } } : s.targets.flatMap { $0 }
                return Dataset(inputs: s.rows.flatMap { $0 }, targets: targets, inputWidth: train.rows[0].count, outputWidth: labels ? classes : m)
            }
            return TaskData(
                name: name, train: dataset(train), validation: validation.map(dataset), test: test.flatMap { $0.rows.isEmpty ? nil : dataset($0) },
                isVision: true, isClassification: labels)
        }
    }

    // MARK: CSV

    /// A header line of column names, then one row per line. Columns named `y…` are targets,
    /// a column named `split` (train / validation / test) assigns rows, every other column is an input.
    static func csv(_ text: String, path: String) throws -> Splits {
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated().map { ($0 + 1, String($1)) }
        lines.removeAll { $0.1.trimmingCharacters(in: .whitespaces).isEmpty }
        guard let (headerLine, header) = lines.first else { throw DataFileError("\(path): empty file (a header line of column names is needed)") }
        let names = header.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        if let empty = names.firstIndex(of: "") { throw DataFileError("\(path): line \(headerLine): column \(empty + 1) has no name") }
        if let dup = names.first(where: { n in names.filter { $0 == n }.count > 1 }) {
            throw DataFileError("\(path): line \(headerLine): column '\(dup)' appears twice")
        }
        let splitColumn = names.firstIndex(of: "split")
        let targetColumns = names.indices.filter { names[$0].hasPrefix("y") }
        let inputColumns = names.indices.filter { $0 != splitColumn && !names[$0].hasPrefix("y") }
        guard !targetColumns.isEmpty else {
            throw DataFileError("\(path): no target column; name the target columns y, y0, y1, … (columns named y… are targets, the others inputs)")
        }
        guard !inputColumns.isEmpty else { throw DataFileError("\(path): no input column (every column is named y… or split)") }
        var splits = Splits()
        var validation = Rows(), test = Rows()
        var namedValidation = false
        for (line, text) in lines.dropFirst() {
            let fields = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard fields.count == names.count else {
                throw DataFileError("\(path): line \(line): \(fields.count) fields, but the header names \(names.count) columns")
            }
            func number(_ c: Int) throws -> Float {
                guard let v = Float(fields[c]), v.isFinite else {
                    throw DataFileError("\(path): line \(line): column '\(names[c])' is '\(fields[c])', not a finite number")
                }
                return v
            }
            let x = try inputColumns.map(number), y = try targetColumns.map(number)
            let origin = "line \(line)"
            switch splitColumn.map({ fields[$0].lowercased() }) ?? "train" {
            case "train": splits.train.add(x, y, origin)
            case "validation", "val":
                namedValidation = true
                validation.add(x, y, origin)
            case "test": test.add(x, y, origin)
            case let other: throw DataFileError("\(path): line \(line): split '\(other)' is not train, validation or test")
            }
        }
        splits.validation = namedValidation ? validation : nil
        splits.test = test.rows.isEmpty ? nil : test
        return splits
    }

    // MARK: NPZ

    /// Arrays `x` `[N, n0]` (or `[N]`) and `y` `[N, m]` (or `[N]`), optionally `x_val`/`y_val` and `x_test`/`y_test`.
    static func npz(_ bytes: Data, path: String) throws -> Splits {
        let arrays: [String: SafeTensors.Tensor]
        do { arrays = try NPZ.read(bytes) } catch { throw DataFileError("\(path): \(error)") }
        func rows(_ xName: String, _ yName: String) throws -> Rows? {
            guard let x = arrays[xName] else {
                if arrays[yName] != nil { throw DataFileError("\(path): '\(yName)' without '\(xName)'") }
                return nil
            }
            guard let y = arrays[yName] else { throw DataFileError("\(path): '\(xName)' without '\(yName)'") }
            func matrix(_ t: SafeTensors.Tensor, _ name: String) throws -> (n: Int, width: Int) {
                switch t.shape.count {
                case 1: return (t.shape[0], 1)
                case 2: return (t.shape[0], t.shape[1])
                default: throw DataFileError("\(path): '\(name)' has shape \(t.shape); rows × columns ([N, n] or [N]) are needed")
                }
            }
            let (n, width) = try matrix(x, xName), (ny, m) = try matrix(y, yName)
            guard n == ny else { throw DataFileError("\(path): '\(xName)' has \(n) rows but '\(yName)' has \(ny)") }
            guard width > 0, m > 0 else { throw DataFileError("\(path): '\(xName)' or '\(yName)' has no columns") }
            var out = Rows()
            for r in 0..<n {
                let xr = Array(x.values[(r * width)..<((r + 1) * width)]), yr = Array(y.values[(r * m)..<((r + 1) * m)])
                if let c = xr.firstIndex(where: { !$0.isFinite }) { throw DataFileError("\(path): \(xName)[\(r), \(c)] is \(xr[c]), not a finite number") }
                if let c = yr.firstIndex(where: { !$0.isFinite }) { throw DataFileError("\(path): \(yName)[\(r)] column \(c) is \(yr[c]), not a finite number") }
                out.add(xr, yr, "\(yName)[\(r)]")
            }
            return out
        }
        guard let train = try rows("x", "y") else {
            throw DataFileError("\(path): no 'x' array (an .npz data set holds x and y, optionally x_val/y_val and x_test/y_test)")
        }
        var splits = Splits(train: train, validation: try rows("x_val", "y_val"), test: try rows("x_test", "y_test"))
        for other in [splits.validation, splits.test].compactMap({ $0 })
        where other.rows.first.map({ $0.count != train.rows[0].count || other.targets[0].count != train.targets[0].count }) ?? false {
            throw DataFileError("\(path): the splits' widths differ (x is \(train.rows[0].count) wide, y \(train.targets[0].count))")
        }
        splits.test = splits.test.flatMap { $0.rows.isEmpty ? nil : $0 }
        return splits
    }
}

extension DataFile.Rows {
    mutating func add(_ x: [Float], _ y: [Float], _ origin: String) {
        rows.append(x)
        targets.append(y)
        origins.append(origin)
    }

    func origin(_ r: Int) -> String { r < origins.count ? origins[r] : "row \(r)" }
}

/// A data file that cannot be used, with the file and the place in it.
public struct DataFileError: Error, CustomStringConvertible {
    public let description: String
    init(_ d: String) { description = d }
}
