import Foundation
import SculptCore
import XCTest

/// Declared widths are checked before anything is allocated from them: a 100-byte file declaring a
/// trillion units once aborted the process, and 10^8 units took 2.4 GB.
final class MaskFileLimitTests: XCTestCase {
    func read(_ text: String) -> String {
        do {
            _ = try MaskFile(jsonData: Data(text.utf8))
            return "accepted"
        } catch { return "\(error)" }
    }

    func testHugeDeclaredWidthsAreRefused() {
        for width in ["1000000000000", "100000000"] {
            let text = #"{"format":"sculpt-masks/1","arch":[4,"# + width + #",4],"layers":[{"edges":[[0,0]]},{"edges":[[0,0]]}]}"#
            let e = read(text)
            XCTAssert(e.contains("arch") && e.contains("units in all"), "\(width): \(e)")
        }
        // Within the unit limit but past the weights kernels can index.
        let wide = #"{"format":"sculpt-masks/1","arch":[60000,60000,4],"layers":[{"edges":[[0,0]]},{"edges":[[0,0]]}]}"#
        XCTAssert(read(wide).contains("weights"), read(wide))
    }

    /// A key twice in one object was silently resolved to one of its values.
    func testDuplicateKeysAreRefused() {
        let top = #"{"format":"sculpt-masks/1","arch":[4,4,4],"arch":[4,8,4],"layers":[{"edges":[]},{"edges":[]}]}"#
        XCTAssert(read(top).contains("arch") && read(top).contains("appears twice"), read(top))
        let nested = #"{"format":"sculpt-masks/1","arch":[4,4,4],"layers":[{"edges":[[0,0]],"edges":[]},{"edges":[]}]}"#
        XCTAssert(read(nested).contains("edges") && read(nested).contains("appears twice"), read(nested))
        // The same key in different objects, and colons or quotes inside strings, are fine.
        let fine = #"{"format":"sculpt-masks/1","arch":[4,4,4],"meta":{"note":"a: \"b\", c"},"layers":[{"edges":[]},{"edges":[]}]}"#
        XCTAssertEqual(read(fine), "accepted")
    }
}
