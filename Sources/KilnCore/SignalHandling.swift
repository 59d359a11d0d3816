import Foundation

/// Ends an interrupted or failing run without leaving anything behind.
///
/// SIGINT, SIGTERM and SIGHUP are blocked in every thread and taken by one watcher thread with
/// `sigwaitinfo`, so the cleanup runs as ordinary code rather than in a signal handler: it removes
/// the registered ``TemporaryOutputs`` and then lets the signal end the process as it would have.
/// A bus error (a memory-mapped input shrank or its storage failed) cannot be blocked; its handler
/// only relays the faulting address to the watcher with `sigqueue` (async-signal-safe) and waits, and
/// the watcher names the mapped file, removes the temporaries and exits with status 2.
public enum SignalHandling {
    static let terminating = [SIGINT, SIGTERM, SIGHUP]
    /// Carries a bus error from the faulting thread to the watcher.
    static let busErrorRelay = SIGUSR2

    /// Installs the watcher; call once, first thing in `main`, before any other thread starts (threads
    /// inherit the blocked signals from the thread that creates them).
    public static func install() {
        var blocked = watchedSignals
        pthread_sigmask(SIG_BLOCK, &blocked, nil)
        // A file-size limit (`ulimit -f`) makes the write fail with EFBIG, reported like a full disk,
        // instead of killing the process with the output half-written.
        signal(SIGXFSZ, SIG_IGN)
        var action = sigaction()
        action.__sigaction_handler.sa_sigaction = relayBusError
        action.sa_flags = SA_SIGINFO
        sigaction(SIGBUS, &action, nil)
        let watcher = Thread { watch() }
        watcher.name = "kiln-signals"
        watcher.start()
    }

    private static var watchedSignals: sigset_t {
        var set = sigset_t()
        sigemptyset(&set)
        for signal in terminating + [busErrorRelay] { sigaddset(&set, signal) }
        return set
    }

    private static func watch() -> Never {
        var set = watchedSignals
        while true {
            var info = siginfo_t()
            let signal = sigwaitinfo(&set, &info)
            if signal == busErrorRelay {
                let address = UInt(bitPattern: info._sifields._rt.si_sigval.sival_ptr)
                let files = MappedFile.paths(containing: address)
                // A bus error outside every mapped input is a crash (in Kiln, or in the crash reporter
                // after a trap), not a bad input: it must end the process as a crash, never as exit 2.
                guard !files.isEmpty else { end(by: SIGBUS) }
                TemporaryOutputs.removeAll { _ in
                    printError("kiln: error: \(files.map { $0.escapedForMessage() }.joined(separator: ", ")): changed while being read "
                        + "(the file shrank or its storage failed); nothing was written")
                    _exit(2)
                }
            } else if terminating.contains(signal) {
                TemporaryOutputs.removeAll { removed in
                    let name = [SIGINT: "SIGINT", SIGTERM: "SIGTERM", SIGHUP: "SIGHUP"][signal] ?? "signal \(signal)"
                    printError("kiln: stopped by \(name)" + (removed.isEmpty ? ""
                        : "; removed the unfinished \(removed.map { $0.escapedForMessage() }.joined(separator: ", "))"))
                    // End by the same signal, as the shell and the parent process expect.
                    end(by: signal)
                }
            }
        }
    }

    /// Ends the process by `signal` with its default action.
    private static func end(by signal: Int32) -> Never {
        Glibc.signal(signal, SIG_DFL)
        var only = sigset_t()
        sigemptyset(&only)
        sigaddset(&only, signal)
        pthread_sigmask(SIG_UNBLOCK, &only, nil)
        // To this thread, not the process: a process-directed signal may be taken by another thread
        // after kill() returns, and the _exit below would win that race with a plain exit status.
        raise(signal)
        _exit(128 + signal)
    }

    private static func printError(_ line: String) {
        let bytes = Array((line + "\n").utf8)
        _ = bytes.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    }
}

/// The SIGBUS handler: async-signal-safe calls only (`sigqueue`, `getpid`, `pause`). The faulting
/// thread must not return (the load would fault again), so it waits for the watcher to end the process.
private func relayBusError(_: Int32, _ info: UnsafeMutablePointer<siginfo_t>?, _: UnsafeMutableRawPointer?) {
    var value = sigval()
    value.sival_ptr = info?.pointee._sifields._sigfault.si_addr
    sigqueue(getpid(), SIGUSR2, value)
    while true { pause() }
}
