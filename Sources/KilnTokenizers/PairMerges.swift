/// Which adjacent token pairs merge, into what, and how urgently; and the merge loop itself.
///
/// Shared by byte-level BPE (priority = merge rank, or tiktoken's rank of the merged bytes) and
/// SentencePiece (priority = −score). Candidates sit in a heap, so each merge costs O(log n) where
/// rescanning the word for the best pair after every merge would cost O(n²) on long inputs.
struct PairMerges: Sendable {
    struct Merge: Sendable {
        let priority: Double
        let result: Int
    }

    private var table: [UInt64: Merge] = [:]

    private static func key(_ left: Int, _ right: Int) -> UInt64 {
        UInt64(UInt32(truncatingIfNeeded: left)) << 32 | UInt64(UInt32(truncatingIfNeeded: right))
    }

    /// Merges from a Hugging Face / GGUF merge list (`"left right"`, by priority); lines naming
    /// tokens outside `ids` are skipped, as they can never apply.
    init(lines: [String], ids: [String: Int]) {
        for (rank, line) in lines.enumerated().reversed() {
            guard let space = line.firstIndex(of: " "),
                  let left = ids[String(line[..<space])], let right = ids[String(line[line.index(after: space)...])],
                  let result = ids[String(line[..<space]) + String(line[line.index(after: space)...])]
            else { continue }
            table[Self.key(left, right)] = Merge(priority: Double(rank), result: result)
        }
    }

    /// Merges implied by a vocabulary alone (tiktoken, SentencePiece): two adjacent tokens merge
    /// when their concatenation is a token, with that token's priority. Tokens whose priority is
    /// nil (special and control tokens) take no part.
    init<Unit: Hashable>(spellings: [[Unit]], priority: (Int) -> Double?) {
        let eligible = spellings.indices.compactMap { id in priority(id).map { (id: id, priority: $0) } }
        let ids = Dictionary(eligible.map { (spellings[$0.id], $0.id) }, uniquingKeysWith: { first, _ in first })
        for (id, priority) in eligible where spellings[id].count > 1 {
            let spelling = spellings[id]
            for split in 1..<spelling.count {
                if let left = ids[Array(spelling[..<split])], let right = ids[Array(spelling[split...])] {
                    table[Self.key(left, right)] = Merge(priority: priority, result: id)
                }
            }
        }
    }

    /// `symbols` merged until no adjacent pair has a merge. Negative symbols never merge (callers
    /// use them for pieces outside the vocabulary).
    func apply(_ symbols: [Int]) -> [Int] {
        let n = symbols.count
        guard n > 1 else { return symbols }
        let dead = Int.min
        var ids = symbols
        var next = Array(1...n)
        var previous = Array(-1..<(n - 1))
        var heap = PairHeap()
        func consider(_ position: Int) {
            guard position >= 0, next[position] < n, let merge = table[Self.key(ids[position], ids[next[position]])] else { return }
            heap.push(.init(priority: merge.priority, position: position, left: ids[position], right: ids[next[position]]))
        }
        for position in 0..<(n - 1) { consider(position) }
        while let candidate = heap.pop() {
            let position = candidate.position
            let right = next[position]
            // Stale candidates: a side has merged since (a position only ever grows into longer tokens).
            guard ids[position] == candidate.left, right < n, ids[right] == candidate.right,
                  let merge = table[Self.key(candidate.left, candidate.right)]
            else { continue }
            ids[position] = merge.result
            ids[right] = dead
            next[position] = next[right]
            if next[right] < n { previous[next[right]] = position }
            consider(previous[position])
            consider(position)
        }
        var out: [Int] = []
        var position = 0
        while position < n {
            out.append(ids[position])
            position = next[position]
        }
        return out
    }
}
