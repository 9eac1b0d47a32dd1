import SculptCore
import OpenCLBackend
import ReferenceBackend
import TestSupport
import XCTest

/// The xor-pairs table of docs/method.md §1.2, written out here so training tests do not depend on the
/// task parser: h1 = x0⊕x1, h2 = x2⊕x3; y = (h1, ¬h1, h2, ¬h2).
func xorPairsData() -> Dataset {
    var x: [Float] = [], y: [Float] = []
    for r in 0..<16 {
        let bits = (0..<4).map { (r >> (3 - $0)) & 1 }
        x += bits.map(Float.init)
        let h1 = bits[0] ^ bits[1], h2 = bits[2] ^ bits[3]
        y += [h1, 1 - h1, h2, 1 - h2].map(Float.init)
    }
    return Dataset(inputs: x, targets: y, inputWidth: 4, outputWidth: 4)
}

/// An OpenCL backend on the test device, or a skip (a failure in CI) when there is none.
func openCLBackend() throws -> OpenCLBackend {
    guard let device = try TestDevice.device() else { throw XCTSkip("no OpenCL device (set CI=true to make this a failure)") }
    return try OpenCLBackend(device: device)
}
