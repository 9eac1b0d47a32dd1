import Foundation
import TestSupport
import XCTest

@testable import Sweeps

/// Seeded mutants of a built-in manifest: each is parsed or refused with an error, never a crash.
final class ManifestFuzzTests: XCTestCase {
    func testManifestParserSurvivesMutants() throws {
        let yaml = Array(try SweepManifests.yaml(ofBuiltin: "exemplar").utf8)
        var m = Mutator(seed: 31), accepted = 0
        let ran = m.run(yaml, count: 1500) { bytes in
            if (try? SweepManifest.parse(yaml: String(decoding: bytes, as: UTF8.self), name: "mutant")) != nil { accepted += 1 }
        }
        XCTAssertGreaterThan(ran, 50)
        XCTAssertLessThan(accepted, ran)
    }
}
