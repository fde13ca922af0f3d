/// "Did you mean …?": the nearest of some known words to one that is not among them.
public enum Suggestion {
    /// The candidate nearest to `word` by edit distance (insertions, deletions, substitutions and
    /// swaps of neighbours; case counts), when it is near enough to be a slip of the keyboard:
    /// at most a third of the longer word's length, and at least one edit. Ties go to the
    /// earlier candidate.
    public static func nearest(to word: String, among candidates: [String]) -> String? {
        let target = Array(word)
        var best: (candidate: String, distance: Int)?
        for candidate in candidates where candidate != word {
            let other = Array(candidate)
            let limit = max(1, max(target.count, other.count) / 3)
            guard abs(target.count - other.count) <= limit else { continue }
            let distance = editDistance(target, other)
            if distance <= limit, distance < (best?.distance ?? .max) { best = (candidate, distance) }
        }
        return best?.candidate
    }

    /// The optimal string alignment distance between two words.
    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var before = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], before[j - 2] + 1)
                }
            }
            (before, previous, current) = (previous, current, before)
        }
        return previous[b.count]
    }
}
