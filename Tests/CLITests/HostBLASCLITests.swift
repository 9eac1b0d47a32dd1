import Foundation
import XCTest

/// `sculpt devices` names the host BLAS the large products of CPU devices run on: its build, the
/// kernel set OpenBLAS loaded (from OPENBLAS_CORETYPE when set) and the threads it will use.
final class HostBLASCLITests: XCTestCase {
    func testDevicesNamesKernelsAndThreads() throws {
        let text = try CLI.run(["devices"], env: ["OPENBLAS_CORETYPE": "Haswell", "OPENBLAS_NUM_THREADS": "3"])
        XCTAssertEqual(text.status, 0, text.stderr)
        let line = text.stdout.split(separator: "\n").first { $0.hasPrefix("Host BLAS") }.map(String.init) ?? ""
        XCTAssert(line.contains("OpenBLAS") && line.contains("Haswell kernels") && line.hasSuffix("3 threads"), text.stdout)

        let json = try CLI.run(["devices", "--json"], env: ["OPENBLAS_CORETYPE": "Haswell", "OPENBLAS_NUM_THREADS": "1"])
        XCTAssertEqual(json.status, 0, json.stderr)
        let o = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        let blas = o?["host_blas"] as? String ?? ""
        XCTAssert(blas.contains("Haswell kernels") && blas.hasSuffix("1 thread"), json.stdout)
    }
}
