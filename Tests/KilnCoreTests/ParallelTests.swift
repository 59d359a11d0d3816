import KilnCore
import Testing

@Suite struct ParallelTests {
    @Test(arguments: [1, 2, 3, 8])
    func coversEveryIndexExactlyOnce(threads: Int) {
        let count = 1003
        let hits = UnsafeMutableBufferPointer<Int>.allocate(capacity: count)
        defer { hits.deallocate() }
        hits.initialize(repeating: 0)
        nonisolated(unsafe) let shared = hits
        parallelChunks(count, threads: threads, minimumChunk: 10) { range in
            for i in range { shared[i] += 1 }
        }
        #expect(hits.allSatisfy { $0 == 1 })
    }

    /// A loop inside a loop finds the worker pool busy and runs on libdispatch instead of waiting on itself.
    @Test func nestedLoopsCoverEveryPair() {
        let outer = 37, inner = 101
        let hits = UnsafeMutableBufferPointer<Int>.allocate(capacity: outer * inner)
        defer { hits.deallocate() }
        hits.initialize(repeating: 0)
        nonisolated(unsafe) let shared = hits
        parallelChunks(outer, threads: 2) { rows in
            for row in rows {
                parallelChunks(inner, threads: 2, minimumChunk: 8) { columns in
                    for column in columns { shared[row * inner + column] += 1 }
                }
            }
        }
        #expect(hits.allSatisfy { $0 == 1 })
    }
}
