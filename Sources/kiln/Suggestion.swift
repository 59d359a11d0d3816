/// "Did you mean …?" for a mistyped command, option or type name: the known word fewest edits away,
/// when it is close enough to be the one meant.
enum Suggestion {
    /// The candidate nearest `word` (case ignored), nil when none is within a third of its length
    /// (at least 2 edits), so `xyz` suggests nothing rather than something arbitrary.
    static func nearest(to word: String, in candidates: [String]) -> String? {
        let typed = Array(word.lowercased())
        let allowed = max(2, typed.count / 3)
        let scored = candidates.map { ($0, distance(typed, Array($0.lowercased()))) }
        guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= allowed else { return nil }
        return best.0
    }

    /// `"; did you mean 'Q4_K_M'?"`, or nothing when no candidate is close.
    static func clause(for word: String, in candidates: [String]) -> String {
        nearest(to: word, in: candidates).map { "; did you mean '\($0)'?" } ?? ""
    }

    /// Levenshtein distance, with a swap of two neighbours counted as one edit (`Q4_K_M` for `Q4_M_K`
    /// is two substitutions otherwise).
    static func distance(_ a: [Character], _ b: [Character]) -> Int {
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var table = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { table[i][0] = i }
        for j in 0...b.count { table[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                table[i][j] = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    table[i][j] = min(table[i][j], table[i - 2][j - 2] + 1)
                }
            }
        }
        return table[a.count][b.count]
    }
}
