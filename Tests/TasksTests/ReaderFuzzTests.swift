import Foundation
import TestSupport
import XCTest

@testable import Tasks

/// Thousands of seeded mutants of valid task files and IDX files: each is parsed or refused with an
/// error, never a crash. (The masks reader and the manifest parser have the same test in their targets.)
final class ReaderFuzzTests: XCTestCase {
    func testTaskParserSurvivesMutants() throws {
        let source = Array(try TaskCatalog.source(ofBuiltin: "hierarchy-4").utf8)
        var m = Mutator(seed: 11), accepted = 0
        let ran = m.run(source, count: 3000) { bytes in
            if (try? BooleanTask(source: String(decoding: bytes, as: UTF8.self), name: "mutant.task")) != nil { accepted += 1 }
        }
        XCTAssertGreaterThan(ran, 100)
        XCTAssertLessThan(accepted, ran, "most mutants are refused")
    }

    func testIDXReadersSurviveMutants() throws {
        let images = IDX.encode(IDXImages(count: 3, rows: 28, columns: 28, pixels: (0..<(3 * 784)).map { UInt8($0 % 251) }))
        let labels = IDX.encode(labels: [1, 2, 3, 4])
        var m = Mutator(seed: 12)
        XCTAssertGreaterThan(m.run(images, count: 1500) { _ = try? IDX.parseImages($0, file: "mutant") }, 100)
        XCTAssertGreaterThan(m.run(labels, count: 1500) { _ = try? IDX.parseLabels($0, file: "mutant") }, 100)
        let gz = Gzip.compress(labels)
        XCTAssertGreaterThan(m.run(gz, count: 1500) { _ = try? Gzip.decompress($0, file: "mutant", limit: 1 << 16) }, 100)
    }
}
