import CLRuntime
import Foundation
import TestSupport
import XCTest

final class DeviceTests: XCTestCase {
    func testDiscoveryListsUsableDevices() throws {
        _ = try requireContext()
        let devices = try CLDevice.all()
        XCTAssertFalse(devices.isEmpty)
        XCTAssertEqual(devices.map(\.index), Array(0..<devices.count), "indices are positions in all()")
        for d in devices {
            XCTAssertFalse(d.name.isEmpty)
            XCTAssertFalse(d.platformName.isEmpty)
            XCTAssertGreaterThan(d.computeUnits, 0)
            XCTAssertGreaterThan(d.globalMemoryBytes, 0)
            XCTAssertGreaterThan(d.maxAllocationBytes, 0)
            XCTAssertGreaterThanOrEqual(d.maxWorkGroupSize, 1)
        }
        // Discovery runs once per process: a second call gives the same device handles.
        XCTAssertEqual(try CLDevice.all().map(\.id), devices.map(\.id))
    }

    /// 8 threads at once each discover devices, open a context and round-trip a buffer. Concurrent
    /// *first* use of ocl-icd/PoCL races (docs/layout.md `testConcurrentFirstUseInFreshProcess`
    /// runs this test in a new process, where it really is the first use.
    func testEightThreadsDiscoverAndAllocateAtOnce() throws {
        let threads = 8
        let gate = DispatchSemaphore(value: 0)
        let done = DispatchGroup()
        let failures = Failures()
        for t in 0..<threads {
            done.enter()
            Thread {
                defer { done.leave() }
                gate.wait()
                do {
                    let device = try CLDevice.choose(ProcessInfo.processInfo.environment["SCULPT_DEVICE"])
                    let context = try CLContext(device: device)
                    let queue = try context.makeQueue()
                    let values = (0..<1024).map { Float($0 * (t + 1)) }
                    let buffer = try context.buffer(values, label: "thread \(t)")
                    let back = try queue.read(buffer)
                    if back != values { throw CLError(code: 0, call: "round trip", context: "thread \(t) read wrong values") }
                } catch {
                    failures.append("thread \(t): \(error)")
                }
            }.start()
        }
        for _ in 0..<threads { gate.signal() }
        done.wait()
        if !failures.list.isEmpty, try TestDevice.device() == nil {
            try skipOrFail("no OpenCL device")
        }
        XCTAssertEqual(failures.list, [], "every thread must find the device and round-trip its buffer")
    }

    /// Runs the test above in fresh test processes, where discovery has not happened yet.
    func testConcurrentFirstUseInFreshProcess() throws {
        _ = try requireContext()
        let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        for run in 1...3 {
            let process = Process()
            process.executableURL = exe
            process.arguments = ["CLRuntimeTests.DeviceTests/testEightThreadsDiscoverAndAllocateAtOnce"]
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = pipe
            try process.run()
            let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            XCTAssertEqual(process.terminationStatus, 0, "run \(run) of the concurrent test in a fresh process failed:\n\(output)")
            XCTAssertTrue(output.contains("Executed 1 test"), "the child process did not run exactly the one test:\n\(output)")
            XCTAssertFalse(output.contains("skipped"), "the child process skipped:\n\(output)")
        }
    }

    func testChoiceByIndexNameAndDefault() throws {
        _ = try requireContext()
        let devices = try CLDevice.all()
        for d in devices {
            XCTAssertEqual(try CLDevice.choose(String(d.index)).id, d.id)
            XCTAssertEqual(try CLDevice.choose(" \(d.index) ").id, d.id, "surrounding blanks are ignored")
        }
        // A name substring, in any case, picks the first device whose name contains it.
        let first = devices[0]
        let needle = String(first.name.prefix(6)).uppercased()
        XCTAssertEqual(try CLDevice.choose(needle).id, devices.first { $0.name.uppercased().contains(needle) }!.id)
        // No spec (nil, empty or blank): the first GPU, else the first CPU, else device 0.
        let expected = devices.first { $0.type == .gpu } ?? devices.first { $0.type == .cpu } ?? devices[0]
        for spec in [nil, "", "  "] as [String?] {
            XCTAssertEqual(try CLDevice.choose(spec).id, expected.id)
        }
    }

    func testBadIndexNamesTheDevices() throws {
        _ = try requireContext()
        let devices = try CLDevice.all()
        for spec in [String(devices.count), String(devices.count + 4), "-1"] {
            XCTAssertThrowsError(try CLDevice.choose(spec)) { error in
                guard case DeviceChoiceError.badIndex(let n, let listed)? = error as? DeviceChoiceError else {
                    return XCTFail("expected DeviceChoiceError.badIndex, got \(error)")
                }
                XCTAssertEqual(String(n), spec)
                XCTAssertEqual(listed.map(\.id), devices.map(\.id))
                let text = String(describing: error)
                XCTAssertTrue(text.contains("#\(spec)"), text)
                for d in devices { XCTAssertTrue(text.contains(d.name), "\(text) should name \(d.name)") }
                XCTAssertFalse(text.contains("\n"), "the CLI prints it as one line")
            }
        }
    }

    func testNonMatchingNameNamesTheDevices() throws {
        _ = try requireContext()
        let devices = try CLDevice.all()
        let spec = "no-such-device-zq9"
        XCTAssertThrowsError(try CLDevice.choose(spec)) { error in
            guard case DeviceChoiceError.noMatch(let s, _)? = error as? DeviceChoiceError else {
                return XCTFail("expected DeviceChoiceError.noMatch, got \(error)")
            }
            XCTAssertEqual(s, spec)
            let text = String(describing: error)
            XCTAssertTrue(text.contains(spec), text)
            for d in devices { XCTAssertTrue(text.contains(d.name), "\(text) should name \(d.name)") }
            XCTAssertFalse(text.contains("\n"), "the CLI prints it as one line")
        }
    }
}

/// Failure messages collected from several threads.
private final class Failures: @unchecked Sendable {
    private let lock = NSLock()
    private var messages: [String] = []
    func append(_ message: String) { lock.lock(); messages.append(message); lock.unlock() }
    var list: [String] { lock.lock(); defer { lock.unlock() }; return messages }
}
