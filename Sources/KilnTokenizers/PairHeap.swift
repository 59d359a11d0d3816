/// A binary min-heap of merge candidates, ordered by priority and then by position so that among
/// equal priorities the leftmost pair merges first (as Hugging Face, tiktoken and SentencePiece do).
struct PairHeap {
    struct Candidate {
        let priority: Double
        let position: Int
        let left: Int
        let right: Int

        func precedes(_ other: Candidate) -> Bool {
            (priority, position) < (other.priority, other.position)
        }
    }

    private var items: [Candidate] = []

    mutating func push(_ candidate: Candidate) {
        items.append(candidate)
        var child = items.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard items[child].precedes(items[parent]) else { break }
            items.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() -> Candidate? {
        guard let top = items.first else { return nil }
        let last = items.removeLast()
        guard !items.isEmpty else { return top }
        items[0] = last
        var parent = 0
        while true {
            var best = parent
            for child in [2 * parent + 1, 2 * parent + 2] where child < items.count && items[child].precedes(items[best]) {
                best = child
            }
            guard best != parent else { return top }
            items.swapAt(parent, best)
            parent = best
        }
    }
}
