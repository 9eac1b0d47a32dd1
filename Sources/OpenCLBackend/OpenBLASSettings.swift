import COpenBLAS
import Foundation

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

/// How long OpenBLAS's idle worker threads spin before they sleep.
///
/// After each call OpenBLAS's workers spin (calling sched_yield) for 2^28 cycles by default, about a
/// tenth of a second, before they sleep. Between Sculpt's host products PoCL's threads run the other
/// kernels of the step (Adam, bias gradients, the loss), and on a machine with few cores the spinning
/// workers take cores from them: on the 2-core host of Benchmarks/RESULTS.md a training step of
/// [1568,784,784,784,3] took 34.0 ms with the default and 28.0 ms with the shortest spin
/// (OPENBLAS_THREAD_TIMEOUT=4, 2^4 cycles). Waking a sleeping worker costs microseconds, against
/// products of a millisecond or more.
public enum BLASIdleWorkers {
    /// The OPENBLAS_THREAD_TIMEOUT Sculpt uses when the user has not set one.
    public static let timeout = "4"

    /// Makes OpenBLAS's idle workers sleep promptly, unless the user set OPENBLAS_THREAD_TIMEOUT
    /// (then theirs holds). OpenBLAS reads the setting when its thread pool starts, so this sets it,
    /// has OpenBLAS read its environment again and stops the pool; the next product restarts it with
    /// the new setting. The process environment is left as it was, so child processes do not see it.
    /// Runs once per process, before the first host product.
    public static let sleepPromptly: Void = {
        guard ProcessInfo.processInfo.environment["OPENBLAS_THREAD_TIMEOUT"] == nil else { return }
        setenv("OPENBLAS_THREAD_TIMEOUT", timeout, 1)
        openblas_read_env()
        unsetenv("OPENBLAS_THREAD_TIMEOUT")
        _ = blas_thread_shutdown_()
    }()
}
