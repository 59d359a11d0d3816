import Dispatch
import Foundation

/// Splits `0..<count` into contiguous chunks and runs `body` on them across `threads` workers.
///
/// Chunks are contiguous and processed independently, so results written by index are the same
/// whatever the thread count.
public func parallelChunks(_ count: Int, threads: Int, minimumChunk: Int = 1, _ body: (Range<Int>) -> Void) {
    guard count > 0 else { return }
    let workers = max(1, min(threads, (count + minimumChunk - 1) / minimumChunk))
    if workers == 1 { body(0..<count); return }
    // A few chunks per worker, claimed as workers get free: one thread starting late or running
    // slower then costs a small chunk, not half the loop.
    let chunks = max(workers, min(workers * 4, count / max(minimumChunk, 1)))
    let chunk = (count + chunks - 1) / chunks
    // Each chunk is a disjoint range; the caller guarantees `body` is safe to run concurrently.
    nonisolated(unsafe) let body = body
    let runChunk: @Sendable (Int) -> Void = { index in
        let start = index * chunk
        let end = min(count, start + chunk)
        if start < end { body(start..<end) }
    }
    if !WorkerPool.shared.run(chunks, threads: workers, runChunk) {
        DispatchQueue.concurrentPerform(iterations: chunks, execute: runChunk)
    }
}

/// The number of cores this process may use; the default thread count of every command.
public var availableCores: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }
