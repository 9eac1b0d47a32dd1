import Foundation
import SculptCore
import TestSupport
import XCTest

/// Seeded mutants of a valid masks file: each is read or refused with an error, never a crash.
final class MaskFileFuzzTests: XCTestCase {
    func testMasksReaderSurvivesMutants() throws {
        let valid = Array(
            #"{"format":"sculpt-masks/1","arch":[4,3,2],"task":"xor-pairs","layers":[{"shape":[3,4],"edges":[[0,0],[1,1],[3,2]],"weights":[0.5,-1,2]},{"shape":[2,3],"edges":[[0,0],[2,1]],"weights":[1,1]}],"meta":{"seed":"0"}}"#
                .utf8)
        XCTAssertNoThrow(try MaskFile(jsonData: Data(valid)))
        var m = Mutator(seed: 21), accepted = 0
        let ran = m.run(valid, count: 4000) { bytes in
            if (try? MaskFile(jsonData: Data(bytes))) != nil { accepted += 1 }
        }
        XCTAssertGreaterThan(ran, 100)
        XCTAssertLessThan(accepted, ran)
    }
}
