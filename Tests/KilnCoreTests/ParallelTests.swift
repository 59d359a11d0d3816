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
}
