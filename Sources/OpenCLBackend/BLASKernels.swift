import COpenBLAS

/// Which of OpenBLAS's kernel sets the host products run on.
///
/// A DYNAMIC_ARCH OpenBLAS picks its kernels once, when it is loaded, from the CPU it recognises, or
/// takes them from `OPENBLAS_CORETYPE` when that is set. The choice changes the speed of the host
/// products by up to two times (Benchmarks/RESULTS.md) and their rounding, so run files and
/// `sculpt devices` name it.
public enum BLASKernels {
    /// The kernel set OpenBLAS runs now, e.g. "Haswell" or "SkylakeX".
    public static var current: String {
        guard let c = openblas_get_corename() else { return "unknown" }
        return String(cString: c)
    }
}
