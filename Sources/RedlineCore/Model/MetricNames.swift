/// What a metric's name says about what it measures, by the naming conventions the readers share.
public enum MetricNames {
    /// The measurement a metric's name belongs to: the name without a trailing statistic of a
    /// distribution (`latency p95`, `http_req_duration p(95)`, `NAME{route="/a"} mean`, `… max`) and
    /// without Google Benchmark's ` [cpu_time]` (the same repetitions, timed by another clock).
    /// A count is a measurement of its own: it says how much work was done, not how long it took.
    public static func measurement(of name: String) -> Substring {
        // Both the suffix and a statistic start at a space: a name without one (most benchmark
        // names) is its own measurement, found without walking its characters.
        guard name.utf8.contains(UInt8(ascii: " ")) else { return Substring(name) }
        var base = Substring(name)
        if base.hasSuffix(" [cpu_time]") { base = base.dropLast(" [cpu_time]".count) }
        guard let space = base.lastIndex(of: " ") else { return base }
        let word = base[base.index(after: space)...]
        return isStatistic(word) ? base[..<space] : base
    }

    /// Whether `word` names a statistic of a distribution: `p50`, `p99.9`, `p(95)`, `mean`, `avg`,
    /// `min`, `max`, `med`, `median`, `stddev`, `stdev`.
    public static func isStatistic(_ word: Substring) -> Bool {
        if statisticWords.contains(word) { return true }
        var digits = word.dropFirst()
        guard word.first == "p", !digits.isEmpty else { return false }
        if digits.first == "(" && digits.last == ")" { digits = digits.dropFirst().dropLast() }
        return !digits.isEmpty && digits.allSatisfy { $0.isASCII && ($0.isNumber || $0 == ".") } && digits.first != "."
    }

    static let statisticWords: Set<Substring> = [
        "mean", "avg", "average", "min", "max", "med", "median", "stddev", "stdev",
    ]
}

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs.
    package var trimmingSpaces: String {
        var text = Substring(self)
        while let first = text.first, first == " " || first == "\t" { text.removeFirst() }
        while let last = text.last, last == " " || last == "\t" { text.removeLast() }
        return String(text)
    }
}
