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
}
