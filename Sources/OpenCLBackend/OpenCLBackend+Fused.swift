import CLRuntime
import SculptCore
import SculptKernels

// The fused.cl family (see Kernels/fused.cl for the lane layout, shapes and guards).
extension OpenCLBackend {
    /// CPUs: the models of a group in the lanes of the device's native float vectors (at least 4, at
    /// most 16); other devices: one model per work-item in groups of 32 (a warp reads contiguously).
    public static func defaultFusedLayout(_ device: CLDevice) -> FusedLayout {
        guard device.type == .cpu else { return FusedLayout(lanes: 1, group: 32) }
        var w = 4
        while w < 16 && w < device.nativeFloatVectorWidth { w *= 2 }
        return FusedLayout(lanes: w, group: w)
    }

    /// The fused program for the current layout (mathfn.cl, random.cl and fused.cl), built at first use.
    func fusedKernels() throws -> CLProgram {
        if let p = fusedProgram { return p }
        guard let layout = fusedLayout else { throw FusedUnavailableError(deviceDescription + " (the fused path is off)") }
        let source = try ["mathfn", "random", "fused"].map { try KernelSources.source($0) }.joined(separator: "\n")
        let p = try context.program(
            source: source,
            options:
                "\(programOptions) -DFUSED_V=\(layout.lanes) -DFUSED_G=\(layout.group) -DFUSED_MAX_DEPTH=\(FusedLayout.maximumDepth)",
            name: "sculpt fused kernels (\(layout))")
        fusedProgram = p
        return p
    }

    public func fusedToLanes(P: Int, C: Int, src: Floats, dst: Floats) throws {
        try launch("fused_to_lanes", [C, P], [.i(C), .fb(src), .fb(dst)])
    }

    public func fusedFromLanes(P: Int, C: Int, flag: UInts, src: Floats, dst: Floats) throws {
        try launch("fused_from_lanes", [C, P], [.i(C), .ub(flag), .fb(src), .fb(dst)])
    }

    public func fusedShuffle(P: Int, N: Int, epoch0: Int, epochs: Int, keys: UInts, session: UInts, active: UInts, perm: UInts) throws {
        try launch("fused_shuffle", [P, epochs], [.i(P), .i(N), .i(epoch0), .ub(keys), .ub(session), .ub(active), .ub(perm)])
    }

    public func fusedEpochs(_ a: FusedEpochs<Floats, UInts>) throws {
        guard let layout = fusedLayout else { throw FusedUnavailableError(deviceDescription + " (the fused path is off)") }
        try launch(
            "fused_epochs", [(a.P + layout.lanes - 1) / layout.lanes],
            [
                .i(a.P), .i(a.depth), .ub(a.widths), .i(a.N), .i(a.B), .i(a.epoch0), .i(a.epochs), .f(a.sigma),
                .f(a.dropRate), .f(a.dropScale), .i(a.softmax ? 1 : 0), .i(a.saturate ? 1 : 0),
                .f(a.wd), .f(a.beta1), .f(a.beta2), .f(a.eps), .fb(a.biasCorrections),
                .i(a.validationRows), .i(a.chunk), .f(a.NM), .f(a.ruleScale), .i(a.keepBest ? 1 : 0),
                .fb(a.data), .fb(a.targets), .ub(a.perm), .fb(a.validationData), .fb(a.validationTargets),
                .ub(a.noiseKeys), .ub(a.dropoutKeys), .ub(a.session), .fb(a.lr), .ub(a.active),
                .fb(a.W), .fb(a.bias), .fb(a.mask), .fb(a.biasMask), .fb(a.m1W), .fb(a.m2W), .fb(a.m1b), .fb(a.m2b),
                .fb(a.snapW), .fb(a.snapB), .fb(a.acts), .fb(a.deltas),
                .fb(a.bestLoss), .ub(a.bestCorrect), .fb(a.histLoss), .ub(a.histCorrect),
            ],
            // CPUs: one work-item per work-group, so that the driver neither interleaves work-items
            // through the kernel's loops nor puts every work-item on one core.
            local: layout.lanes > 1 ? [1] : nil)
    }
}
