/// A shift of the whole run: most metrics moved the same way by about the same amount, as on a
/// slower (or faster) machine, or after a change that touches everything. Reported as one finding
/// instead of as many unrelated regressions; it changes no verdict, so a real global regression
/// still fails the gate.
public struct RunShift: Sendable, Equatable {
    /// The median change of the metrics, positive when worse (+0.18: the run is 18% worse).
    public var change: Double
    /// How much the metrics' changes differ around it: 1.4826 × their median absolute deviation.
    public var spread: Double
    /// How many metrics had a change to compare.
    public var metrics: Int
    /// How many moved the same way as the median.
    public var agreeing: Int
    /// Metrics whose verdict goes the shift's way (regressed on a worse run, improved on a better
    /// one) by no more than their threshold beyond the shift: the shift explains them. Sorted.
    public var explained: [String]

    /// The fewest metrics with a change for a run-wide shift to be told apart from chance.
    public static let minimumMetrics = 8
    /// The share of metrics that must move the same way (a sign test at p ≈ 0.02 for 20 metrics).
    public static let agreement = 0.75

    /// The shift of a run, when there is one: at least `minimumMetrics` metrics with a change,
    /// three quarters of them moving the same way, a median change of at least half the default
    /// threshold (smaller shifts fail no metric on their own), and a spread of the changes at most
    /// half the median change.
    public static func find(in metrics: [MetricJudgement], maxRegression: Double) -> RunShift? {
        let changes = metrics.compactMap { metric -> Double? in
            guard metric.verdict != .new, metric.verdict != .missing else { return nil }
            return metric.change
        }
        guard changes.count >= minimumMetrics, let median = Metric.median(changes) else { return nil }
        let agreeing = changes.filter { median > 0 ? $0 > 0 : $0 < 0 }.count
        let spread = WindowStatistics.robustSpread(changes)
        // Together: most the same way, by about the same amount (a spread under half the shift;
        // half the metrics regressed and half not is two groups, not a shift of the run).
        guard Double(agreeing) >= agreement * Double(changes.count), abs(median) >= maxRegression / 2, median > -1,
              spread <= abs(median) / 2 else {
            return nil
        }
        let explained = metrics.filter { metric in
            guard let change = metric.change,
                  metric.verdict == (median > 0 ? .regressed : .improved) else { return false }
            return abs((1 + change) / (1 + median) - 1) <= metric.rule.maxRegression
        }.map(\.name)
        return RunShift(change: median, spread: spread, metrics: changes.count,
                        agreeing: agreeing, explained: explained)
    }

    /// Whether the shift explains the metric called `name`.
    public func explains(_ name: String) -> Bool {
        var (low, high) = (0, explained.count)
        while low < high {
            let middle = (low + high) / 2
            if explained[middle] == name { return true }
            if explained[middle] < name { low = middle + 1 } else { high = middle }
        }
        return false
    }
}

/// What `check --rerun` did: how many runs of the current side were used, and which metrics
/// each rerun settled (suspects before it that were not suspects after it).
public struct RerunRecord: Sendable, Equatable {
    /// Runs used, the first one included.
    public var used: Int
    /// The most runs allowed (`--max-runs`).
    public var limit: Int
    /// For each rerun, in order: the metrics it settled, sorted.
    public var settled: [[String]]
    /// The suspects left after the last run (none when the reruns settled everything).
    public var remaining: [String]

    /// Creates a record.
    public init(used: Int, limit: Int, settled: [[String]], remaining: [String]) {
        (self.used, self.limit, self.settled, self.remaining) = (used, limit, settled, remaining)
    }
}
