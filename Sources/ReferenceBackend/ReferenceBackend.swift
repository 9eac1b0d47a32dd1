import SculptCore

/// Plain-Swift definition of every kernel in `Kernels/`: clear rather than fast, with `Double`
/// accumulators and bounds-checked array indexing. Each method documents nothing beyond its kernel's
/// header; the kernel file is the contract, this is its executable meaning.
public final class ReferenceBackend: ComputeBackend {
    public final class Floats { public var a: [Float]; let label: String; init(_ n: Int, _ l: String) { a = .init(repeating: 0, count: n); label = l } }
    public final class UInts { public var a: [UInt32]; let label: String; init(_ n: Int, _ l: String) { a = .init(repeating: 0, count: n); label = l } }

    public init() {}

    public var deviceDescription: String { "reference (plain Swift on the host)" }
    public var matrixProducts: String { "reference (plain Swift, double accumulation)\(Self.sparseFirstLayer(sparseInputCrossover))" }
    public var memory: (total: UInt64, maxAllocation: UInt64)? { nil }
    /// 0: the reference runs layer 0 densely unless a test sets this (the sparse route gives the
    /// same numbers: the products it skips are exact zeros).
    public var sparseInputCrossover: Double = 0

    public func makeFloats(_ count: Int, label: String) throws -> Floats { Floats(count, label) }
    public func makeUInts(_ count: Int, label: String) throws -> UInts { UInts(count, label) }
    public func write(_ values: [Float], to buffer: Floats, offset: Int) throws {
        buffer.a.replaceSubrange(offset..<offset + values.count, with: values)
    }
    public func write(_ values: [UInt32], to buffer: UInts, offset: Int) throws {
        buffer.a.replaceSubrange(offset..<offset + values.count, with: values)
    }
    public func read(_ buffer: Floats, offset: Int, count: Int) throws -> [Float] { Array(buffer.a[offset..<offset + count]) }
    public func read(_ buffer: UInts, offset: Int, count: Int) throws -> [UInt32] { Array(buffer.a[offset..<offset + count]) }
    public func copy(_ src: Floats, srcOffset: Int, to dst: Floats, dstOffset: Int, count: Int) throws {
        dst.a.replaceSubrange(dstOffset..<dstOffset + count, with: src.a[srcOffset..<srcOffset + count])
    }
    public func finish() throws {}

}

#if canImport(Glibc)
    import Glibc
#endif
