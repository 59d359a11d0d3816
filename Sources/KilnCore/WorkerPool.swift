import Foundation
import Synchronization

/// Long-lived worker threads for `parallelChunks`.
///
/// A forward pass dispatches hundreds of small parallel loops per token; waking threads through
/// libdispatch for each one costs tens of microseconds, more than a small model's whole matrix
/// product. Workers here spin briefly after each job (the next one usually follows within
/// microseconds), then sleep on a condition variable. One job runs at a time; a caller that finds the
/// pool busy (a nested or concurrent loop) gets `false` back and runs the work another way.
final class WorkerPool: @unchecked Sendable {
    static let shared = WorkerPool()

    /// One parallel loop: `count` items, claimed one at a time by whoever is running it.
    private final class Job: @unchecked Sendable {
        var body: ((Int) -> Void)?
        let count: Int
        let claimed = Atomic<Int>(0)
        let finished = Atomic<Int>(0)
        /// Workers inside `run`; `closed` is set before the caller waits for this to reach zero, so a
        /// worker that arrives late never touches `body` after the caller has returned.
        let active = Atomic<Int>(0)
        let closed = Atomic<Bool>(false)

        init(count: Int, body: @escaping (Int) -> Void) {
            self.count = count
            self.body = body
        }

        func run() {
            active.add(1, ordering: .sequentiallyConsistent)
            defer { active.subtract(1, ordering: .sequentiallyConsistent) }
            guard !closed.load(ordering: .sequentiallyConsistent), let body else { return }
            while true {
                let item = claimed.add(1, ordering: .relaxed).oldValue
                guard item < count else { return }
                body(item)
                finished.add(1, ordering: .releasing)
            }
        }
    }

    /// Spins of a worker waiting for the next job before it sleeps (a few hundred microseconds).
    private static let spinLimit = 1 << 17

    private let busy = Atomic<Bool>(false)
    private let generation = Atomic<Int>(0)
    private let current = Mutex<Job?>(nil)
    private let wakeUp = NSCondition()
    private var workerCount = 0

    /// Runs `body(0..<count)` on the caller and up to `threads - 1` workers; returns false without
    /// running anything when the pool is already in use.
    func run(_ count: Int, threads: Int, _ body: (Int) -> Void) -> Bool {
        guard busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else { return false }
        defer { busy.store(false, ordering: .releasing) }
        startWorkers(upTo: threads - 1)
        withoutActuallyEscaping(body) { body in
            let job = Job(count: count, body: body)
            current.withLock { $0 = job }
            wakeUp.lock()
            generation.add(1, ordering: .releasing)
            wakeUp.broadcast()
            wakeUp.unlock()
            job.run()
            while job.finished.load(ordering: .acquiring) < count {}
            job.closed.store(true, ordering: .sequentiallyConsistent)
            while job.active.load(ordering: .sequentiallyConsistent) > 0 {}
            current.withLock { $0 = nil }
            job.body = nil
        }
        return true
    }

    private func startWorkers(upTo wanted: Int) {
        while workerCount < wanted {
            workerCount += 1
            let thread = Thread { [unowned self] in self.workerLoop() }
            thread.name = "kiln-worker-\(workerCount)"
            thread.start()
        }
    }

    private func workerLoop() {
        var seen = generation.load(ordering: .acquiring)
        while true {
            var spins = 0
            while generation.load(ordering: .acquiring) == seen {
                spins += 1
                if spins < Self.spinLimit { continue }
                wakeUp.lock()
                while generation.load(ordering: .acquiring) == seen { wakeUp.wait() }
                wakeUp.unlock()
            }
            seen = generation.load(ordering: .acquiring)
            current.withLock { $0 }?.run()
        }
    }
}
