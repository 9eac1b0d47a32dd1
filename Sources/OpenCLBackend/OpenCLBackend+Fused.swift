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

    /// Populations training at most this many models at once take the solo kernel on a CPU (the models
    /// of a group share one work-item's lanes, so a few live models leave both the lanes and the
    /// other cores idle): measured in Benchmarks/RESULTS.md ("The solo kernel").
    public static func defaultFusedSoloLimit(_ device: CLDevice, layout: FusedLayout?) -> Int {
        guard let layout, layout.lanes > 1, device.type == .cpu else { return 0 }
        return 4 * device.computeUnits
    }

    /// The fused program for the current layout (mathfn.cl, random.cl, fused.cl and fused_solo.cl),
    /// built at first use.
    func fusedKernels() throws -> CLProgram {
        if let p = fusedProgram { return p }
        guard let layout = fusedLayout else { throw FusedUnavailableError(deviceDescription + " (the fused path is off)") }
        let source = try ["mathfn", "random", "fused", "fused_solo"].map { try KernelSources.source($0) }.joined(separator: "\n")
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

    public func fusedSoloConvert(P: Int, depth: Int, widths: UInts, WT: Int, toSolo: Bool, flag: UInts, slots: UInts, src: Floats, dst: Floats) throws {
        try launch("fused_solo_convert", [WT, P], [.i(depth), .ub(widths), .i(toSolo ? 1 : 0), .ub(flag), .ub(slots), .fb(src), .fb(dst)])
    }

    public func fusedSoloEpochs(_ a: FusedEpochs<Floats, UInts>, slots: UInts) throws {
        guard let layout = fusedLayout, layout.lanes > 1 else {
            throw FusedUnavailableError(deviceDescription + " (the solo kernel needs models in vector lanes)")
        }
        try fusedEpochsLaunch("fused_solo_epochs", a, workItems: a.P, scratch: [.fb(a.acts)], tail: [.ub(slots)])
    }

    public func fusedEpochs(_ a: FusedEpochs<Floats, UInts>) throws {
        guard let layout = fusedLayout else { throw FusedUnavailableError(deviceDescription + " (the fused path is off)") }
        try fusedEpochsLaunch("fused_epochs", a, workItems: (a.P + layout.lanes - 1) / layout.lanes, scratch: [.fb(a.acts), .fb(a.deltas)])
    }

    /// fused_epochs and fused_solo_epochs take the same arguments but for their scratch and the solo
    /// kernel's slots (`tail`).
    private func fusedEpochsLaunch(_ name: String, _ a: FusedEpochs<Floats, UInts>, workItems: Int, scratch: [Arg], tail: [Arg] = []) throws {
        let lanes = fusedLayout?.lanes ?? 1
        try launch(
            name, [workItems],
            [
                .i(a.P), .i(a.depth), .ub(a.widths), .i(a.N), .i(a.B), .i(a.epoch0), .i(a.epochs), .f(a.sigma),
                .f(a.dropRate), .f(a.dropScale), .i(a.softmax ? 1 : 0), .i(a.saturate ? 1 : 0),
                .f(a.wd), .f(a.beta1), .f(a.beta2), .f(a.eps), .fb(a.biasCorrections),
                .i(a.validationRows), .i(a.chunk), .f(a.NM), .f(a.ruleScale), .i(a.keepBest ? 1 : 0),
                .fb(a.data), .fb(a.targets), .ub(a.perm), .fb(a.validationData), .fb(a.validationTargets),
                .ub(a.noiseKeys), .ub(a.dropoutKeys), .ub(a.session), .fb(a.lr), .ub(a.active),
                .fb(a.W), .fb(a.bias), .fb(a.mask), .fb(a.biasMask), .fb(a.m1W), .fb(a.m2W), .fb(a.m1b), .fb(a.m2b),
                .fb(a.snapW), .fb(a.snapB),
            ] + scratch + [.fb(a.bestLoss), .ub(a.bestCorrect), .fb(a.histLoss), .ub(a.histCorrect)] + tail,
            // CPUs: one work-item per work-group, so that the driver neither interleaves work-items
            // through the kernel's loops nor puts every work-item on one core.
            local: lanes > 1 ? [1] : nil)
    }
}
