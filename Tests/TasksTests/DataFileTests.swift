import Foundation
import SculptCore
import Tasks
import TestSupport
import XCTest

/// `data:FILE`: a user's own rows from CSV and .npz, the loss chosen from the targets, splits, and
/// one-line errors that name the file and the place in it.
final class DataFileTests: XCTestCase {
    var dir = ""
    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "sculpt-datafile-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: dir) }

    func write(_ name: String, _ text: String) throws -> String {
        let path = dir + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func testCSVWithBitTargetsAndAHeldOutTenth() throws {
        var text = "a, b ,y0,y1\n"
        for r in 0..<20 { text += "\(r % 2),\(Float(r) / 4),\(r % 2),\(1 - r % 2)\n" }
        text += "\n"  // blank lines are skipped
        let t = try TaskData.load("data:" + (try write("bits.csv", text)))
        XCTAssertEqual(t.train.inputWidth, 2)
        XCTAssertEqual(t.train.outputWidth, 2)
        XCTAssertEqual(t.train.count, 18, "the last tenth is held out")
        XCTAssertEqual(t.validation?.count, 2)
        XCTAssertNil(t.test)
        XCTAssertFalse(t.isClassification, "0/1 targets are bits")
        XCTAssertEqual(Array(t.train.inputs.prefix(4)), [0, 0, 1, 0.25])
        XCTAssertEqual(Array(t.validation!.targets), [0, 1, 1, 0], "rows 18 and 19")
        XCTAssertEqual(t.defaultNoise(nil), 0, "no input noise by default on real-valued rows")
    }

    func testCSVWithLabelsAndASplitColumn() throws {
        let text = """
            split,x1,x2,y
            train,0.5,1,0
            train,1,2,2
            validation,3,4,1
            test,5,6,2
            val,7,8,0
            """
        let t = try TaskData.load("data:" + (try write("labels.csv", text)))
        XCTAssert(t.isClassification, "one column of labels 0…2 is a softmax task")
        XCTAssertEqual(t.train.outputWidth, 3)
        XCTAssertEqual(t.train.targets, [1, 0, 0, 0, 0, 1])
        XCTAssertEqual(t.validation?.count, 2, "validation and val both name the validation split")
        XCTAssertEqual(t.test?.targets, [0, 0, 1])
        XCTAssertEqual(t.train.inputs, [0.5, 1, 1, 2])
    }

    func testCSVErrorsNameTheLine() throws {
        for (name, text, fragment) in [
            ("fields", "a,y\n1,0\n2\n", "line 3: 1 fields, but the header names 2 columns"),
            ("number", "a,y\n1,0\nx,1\n", "line 3: column 'a' is 'x', not a finite number"),
            ("nan", "a,y\n1,0\nnan,1\n", "line 3: column 'a' is 'nan'"),
            ("target", "a,y0,y1\n1,0,1\n2,0.5,1\n", "line 3: target 0.5 is neither 0 nor 1"),
            ("label", "a,y\n1,0\n2,2.5\n3,1\n", "line 3: target 2.5 is not a class label"),
            ("split", "a,y,split\n1,0,train\n2,1,holdout\n", "line 3: split 'holdout'"),
            ("no target", "a,b\n1,0\n", "no target column"),
            ("no input", "y,split\n1,train\n", "no input column"),
            ("duplicate", "a,a,y\n1,2,0\n", "column 'a' appears twice"),
            ("empty", "\n\n", "empty file"),
            ("one row", "a,y\n1,0\n", "at least 2 are needed"),
        ] {
            XCTAssertThrowsError(try TaskData.load("data:" + (try write("\(name).csv", text))), name) {
                XCTAssert("\($0)".contains(fragment), "\(name): \($0)")
                XCTAssertFalse("\($0)".contains("\n"), "\(name): one line")
            }
        }
        XCTAssertThrowsError(try TaskData.load("data:" + dir + "/missing.csv")) { XCTAssert("\($0)".contains("cannot read the file"), "\($0)") }
        XCTAssertThrowsError(try TaskData.load("data:")) { XCTAssert("\($0)".contains("name a file"), "\($0)") }
    }

    /// Runs python3 with NumPy to write an .npz (the format users bring).
    func numpy(_ script: String) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", "import numpy as np\n" + script]
        p.currentDirectoryURL = URL(fileURLWithPath: dir)
        let err = Pipe()
        p.standardError = err
        try p.run()
        p.waitUntilExit()
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        guard p.terminationStatus == 0 else {
            // NumPy is one of `make test`'s dependencies: its absence is a failure, not a skip.
            throw DataFileTestError("python3 with numpy failed: \(message)")
        }
    }
    struct DataFileTestError: Error { let message: String; init(_ m: String) { message = m } }

    func testNPZWithIntegerLabelsAndSplits() throws {
        try numpy(
            """
            x = np.arange(40, dtype=np.float64).reshape(10, 4) / 10
            y = np.array([0, 1, 2, 3, 0, 1, 2, 3, 0, 1], dtype=np.int64)
            np.savez("labels.npz", x=x, y=y, x_val=x[:3].astype(np.float32), y_val=y[:3], x_test=x[:2], y_test=y[:2].astype(np.uint8))
            np.savez("bits.npz", x=np.eye(6, dtype=np.float32), y=np.eye(6, 2, dtype=np.bool_))
            np.savez("shapes.npz", x=np.zeros((5, 2)), y=np.zeros(4))
            np.savez("noy.npz", x=np.zeros((5, 2)))
            np.savez("rank.npz", x=np.zeros((5, 2, 2)), y=np.zeros(5))
            np.savez("inf.npz", x=np.array([[1.0], [np.inf]]), y=np.array([0, 1]))
            np.savez("widths.npz", x=np.zeros((4, 3)), y=np.zeros(4), x_val=np.zeros((2, 2)), y_val=np.zeros(2))
            """)
        let t = try TaskData.load("data:" + dir + "/labels.npz")
        XCTAssert(t.isClassification)
        XCTAssertEqual(t.train.count, 10)
        XCTAssertEqual(t.train.outputWidth, 4)
        XCTAssertEqual(Array(t.train.targets.prefix(8)), [1, 0, 0, 0, 0, 1, 0, 0])
        XCTAssertEqual(t.validation?.count, 3)
        XCTAssertEqual(t.test?.count, 2)
        XCTAssertEqual(Array(t.train.inputs.prefix(5)), [0, 0.1, 0.2, 0.3, 0.4])
        let bits = try TaskData.load("data:" + dir + "/bits.npz")
        XCTAssertFalse(bits.isClassification, "boolean targets are bits")
        XCTAssertEqual(bits.train.outputWidth, 2)
        XCTAssertEqual(bits.train.count + (bits.validation?.count ?? 0), 6)
        for (file, fragment) in [
            ("shapes", "'x' has 5 rows but 'y' has 4"), ("noy", "'x' without 'y'"), ("rank", "'x' has shape [5, 2, 2]"),
            ("inf", "x[1, 0] is inf"), ("widths", "the splits' widths differ"),
        ] {
            XCTAssertThrowsError(try TaskData.load("data:\(dir)/\(file).npz"), file) { XCTAssert("\($0)".contains(fragment), "\(file): \($0)") }
        }
    }
}
