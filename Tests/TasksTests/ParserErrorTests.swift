// Parser and checker errors: each names its kind, line and column, and says what was expected.
import Foundation
import Tasks
import XCTest

final class ParserErrorTests: XCTestCase {
    /// Parses `text` as file `t.task`, expecting an error of `kind` at `line:column` whose description
    /// starts with `t.task:LINE:COLUMN: ` and contains `fragment`.
    private func expectError(
        _ text: String, _ kind: TaskError.Kind, _ line: Int, _ column: Int, _ fragment: String,
        file: StaticString = #filePath, fileLine: UInt = #line
    ) {
        do {
            let task = try BooleanTask(source: text, name: "t.task")
            XCTFail("parsed without error: \(task.outputNames)", file: file, line: fileLine)
        } catch let error as TaskError {
            XCTAssertEqual(error.kind, kind, "\(error)", file: file, line: fileLine)
            XCTAssertEqual([error.line, error.column], [line, column], "\(error)", file: file, line: fileLine)
            XCTAssertTrue(error.description.hasPrefix("t.task:\(line):\(column): "), "\(error)", file: file, line: fileLine)
            XCTAssertTrue(error.description.contains(fragment), "\(error)", file: file, line: fileLine)
            XCTAssertFalse(error.description.contains("\n"), "one line", file: file, line: fileLine)
        } catch {
            XCTFail("not a TaskError: \(error)", file: file, line: fileLine)
        }
    }

    func testUnknownGate() {
        expectError("inputs a b\nsub h = andd(a, b)\noutputs y = h\n", .unknownGate, 2, 9, "unknown gate or function 'andd'")
    }

    func testCallingAnInput() {
        expectError("inputs a b\noutputs y = a(b)\n", .unknownGate, 2, 13, "'a' is not a gate or function")
    }

    func testUndefinedName() {
        expectError("inputs a b\nsub h = and(a, c)\noutputs y = h\n", .undefinedName, 2, 16, "undefined name 'c'")
        expectError("inputs a b\noutputs y = and(a, b)\n  z = y\n", .undefinedName, 3, 7, "'y' is an output")
        // a fn body reads only its arguments
        expectError("inputs a b\nfn G(p) = and(p, a)\nsub h = G(b)\noutputs y = h\n", .undefinedName, 2, 18, "not an argument of 'G'")
    }

    func testCycle() {
        expectError("inputs a b\nsub h = and(k, a)\nsub k = or(h, b)\noutputs y = k\n", .cycle, 2, 5, "cycle: h → k → h")
        expectError("inputs a\nsub h = not(h)\noutputs y = h\n", .cycle, 2, 5, "'h' depends on itself")
        expectError("inputs a b\nfn F(p) = G(p)\nfn G(p) = F(p)\nsub h = F(a)\noutputs y = and(h, b)\n", .cycle, 2, 4, "function 'F'")
    }

    func testArity() {
        expectError("inputs a b\noutputs y = not(a, b)\n", .arity, 2, 13, "'not' takes 1 argument, got 2")
        expectError("inputs a b\noutputs y = xor(a)\n", .arity, 2, 13, "'xor' takes 2 or more arguments, got 1")
        expectError("inputs a b c\nfn F(p, q) = nand(p, q)\noutputs y = F(a, b, c)\n", .arity, 3, 13, "'F' takes 2 arguments, got 3")
        expectError("inputs a b\nfn F(p, q) = nand(p, q)\noutputs y = F\n", .arity, 3, 13, "'F' takes 2 arguments, got 0")
    }

    func testDuplicateDefinition() {
        expectError(
            "inputs a b\nsub h = and(a, b)\nsub h = or(a, b)\noutputs y = h\n", .duplicateDefinition, 3, 5,
            "duplicate definition of 'h' (already defined as sub-function at 2:5)")
        expectError("inputs a b a\noutputs y = a\n", .duplicateDefinition, 1, 12, "duplicate definition of 'a'")
        expectError("inputs a b\noutputs y = a\n y = b\n", .duplicateDefinition, 3, 2, "duplicate definition of 'y'")
        expectError("inputs a b\nfn and(p, q) = or(p, q)\noutputs y = a\n", .duplicateDefinition, 2, 4, "'and' is a built-in gate")
        expectError("inputs a b\nfn F(p, p) = or(p, p)\noutputs y = F(a, b)\n", .duplicateDefinition, 2, 9, "duplicate argument 'p'")
    }

    func testEmptyOutputList() {
        expectError("inputs a b\nsub h = and(a, b)\noutputs\n# nothing here\n", .emptyOutputs, 3, 1, "empty output list")
        expectError("inputs a b\nsub h = and(a, b)\n", .emptyOutputs, 3, 1, "expected an 'outputs' section")
    }

    func testSyntax() {
        expectError("inputs a b\noutputs y = and(a, b\n", .syntax, 3, 1, "expected ')' after arguments of 'and', found end of file")
        expectError("inputs a b\noutputs y = and(a; b)\n", .syntax, 2, 18, "unexpected character ';'")
        expectError("sub h = a\n", .syntax, 1, 1, "expected 'inputs'")
        expectError("inputs\noutputs y = 1\n", .syntax, 2, 1, "expected at least one input name")
        expectError("inputs a\nsub = a\noutputs y = a\n", .syntax, 2, 5, "expected a sub-function name after 'sub', found '='")
        expectError("inputs a\noutputs y = a\nsub h = a\n", .syntax, 3, 1, "expected an output 'NAME = EXPR' or end of file")
        expectError("inputs a\noutputs y = 2\n", .syntax, 2, 13, "expected a constant 0 or 1")
        expectError("inputs a\noutputs y = outputs\n", .syntax, 2, 13, "found keyword 'outputs'")
    }

    func testMintermTables() {
        expectError("inputs a b\nfn F(p, q) = minterms(01, 110)\noutputs y = F(a, b)\n", .invalidTable, 2, 27, "'110' has 3 bits; 'F' has 2 arguments")
        expectError("inputs a b\nfn F(p, q) = minterms(01, 21)\noutputs y = F(a, b)\n", .invalidTable, 2, 27, "only 0 and 1")
        expectError("inputs a b\nfn F(p, q) = minterms(01, 01)\noutputs y = F(a, b)\n", .invalidTable, 2, 27, "listed twice")
        expectError("inputs a b\nfn F(p, q) = minterms(01 10)\noutputs y = F(a, b)\n", .syntax, 2, 26, "expected ',' or ')' after the minterms of 'F'")
    }

    func testUnusedSubFunction() {
        expectError("inputs a b\nsub h = and(a, b)\nsub k = or(a, b)\noutputs y = h\n", .unusedDefinition, 3, 5, "'k' is defined but no output depends on it")
    }

    func testTooManyInputs() {
        let names = (0..<21).map { "x\($0)" }.joined(separator: " ")
        // "inputs " is 7 columns, x0…x9 take 3 each, x10…x19 4 each: x20 starts at column 8 + 30 + 40 = 78
        expectError("inputs \(names)\noutputs y = x0\n", .tooLarge, 1, 78, "at most 20")
    }

    func testUnknownTaskAndBadParameters() {
        XCTAssertThrowsError(try TaskCatalog.load("no-such-task")) { error in
            XCTAssertEqual((error as? TaskError)?.kind, .unknownTask)
            XCTAssertEqual("\(error)", "unknown task 'no-such-task' (built-ins: xor-pairs, non-modular, and-or, reuse-U, overlap-O-U, hierarchy-U; or give a file path)")
        }
        for bad in ["reuse-3", "reuse-0", "hierarchy-7", "overlap-5-8", "overlap-2-3", "reuse-x", "overlap-2"] {
            XCTAssertThrowsError(try TaskCatalog.builtin(bad), bad) { error in
                XCTAssertEqual((error as? TaskError)?.kind, .badParameter, "\(bad): \(error)")
            }
        }
    }

    /// Errors in a task file name the file path.
    func testFileErrorsNameThePath() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("sculpt-bad-\(UUID().uuidString).task")
        try "inputs a b\noutputs y = and(a, b\n".write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        XCTAssertThrowsError(try TaskCatalog.load(url.path)) { error in
            XCTAssertEqual("\(error)", "\(url.path):3:1: expected ')' after arguments of 'and', found end of file")
        }
    }
}

/// Inputs that once crashed the program: deep nesting overflowed the stack.
final class ParserLimitTests: XCTestCase {
    func testDeeplyNestedCallsAreRefusedInOneLine() {
        let n = 50_000
        let text = "inputs x0 x1\noutputs\n  y0 = " + String(repeating: "not(", count: n) + "x0" + String(repeating: ")", count: n) + "\n"
        XCTAssertThrowsError(try BooleanTask(source: text, name: "deep.task")) { error in
            let d = "\(error)"
            XCTAssert(d.hasPrefix("deep.task:3:") && d.contains("nested more than 200 deep"), d)
        }
        // 200 levels still parse.
        let ok = "inputs x0\noutputs\n  y0 = " + String(repeating: "not(", count: 200) + "x0" + String(repeating: ")", count: 200) + "\n"
        XCTAssertNoThrow(try BooleanTask(source: ok, name: "ok.task"))
    }

    /// A long chain of subs is compiled without recursion (each sub reads the one before).
    func testALongChainOfSubsCompiles() throws {
        let n = 30_001
        var text = "inputs x0 x1\nsub a0 = xor(x0, x1)\n"
        for i in 1..<n { text += "sub a\(i) = not(a\(i - 1))\n" }
        text += "outputs\n  y0 = a\(n - 1)\n"
        let task = try BooleanTask(source: text, name: "chain.task")
        XCTAssertEqual(task.outputNames, ["y0"])
        // An even number of nots after the xor: y0 = x0 xor x1 on the four rows.
        XCTAssertEqual((0..<4).map { task.outputs(row: $0) }, [[false], [true], [true], [false]])
    }
}

/// A task's truth table is bounded before it is evaluated (20 inputs × 5,000 outputs once took 6 GB).
final class TaskSizeLimitTests: XCTestCase {
    func testATooLargeTruthTableIsRefusedBeforeEvaluation() {
        let inputs = (0..<20).map { "x\($0)" }
        let text = "inputs " + inputs.joined(separator: " ") + "\noutputs\n" + (0..<5000).map { "  y\($0) = x\($0 % 20)\n" }.joined()
        XCTAssertThrowsError(try BooleanTask(source: text, name: "wide.task")) { error in
            XCTAssert("\(error)".contains("2^20 rows × 5000 outputs has more than 67108864 entries"), "\(error)")
        }
    }
}

/// A task file that is not UTF-8 says so, with the byte and line, instead of a system message.
final class TaskFileEncodingTests: XCTestCase {
    func testLatin1IsNamed() throws {
        let path = NSTemporaryDirectory() + "latin-\(UUID().uuidString).task"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data("inputs a b\n# caf".utf8 + [0xE9] + Array("\noutputs y = and(a, b)\n".utf8)).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try TaskCatalog.load(path)) { error in
            XCTAssert("\(error)".contains("is not UTF-8 text (byte 0xE9 on line 2)"), "\(error)")
        }
    }
}
