import RedlineModel
import RedlineJSON
import RedlinePolicy

/// A baseline file's content: the accepted metrics, where they came from, and the recent runs
/// they were accepted over.
public struct Baseline: Equatable, Sendable {
    /// The accepted metrics: each one's figures in the last run that had it.
    public var metrics: MetricSet
    /// Where they came from, if recorded.
    public var provenance: Provenance?
    /// The runs the history remembers, oldest first; empty for a baseline from before history.
    public var runs: [BaselineRun]
    /// Each metric's recent runs, by name; absent for a metric the baseline has no history of.
    public var history: [String: MetricHistory]

    /// Creates a baseline.
    public init(
        metrics: MetricSet, provenance: Provenance? = nil, runs: [BaselineRun] = [],
        history: [String: MetricHistory] = [:]
    ) {
        (self.metrics, self.provenance, self.runs, self.history) = (metrics, provenance, runs, history)
    }

    /// The ids of the runs `history`'s entries of length `count` are aligned with (the last `count` runs).
    package func runIDs(count: Int) -> ArraySlice<Int> {
        runs.suffix(count).map(\.id)[...]
    }
}

extension Policy {
    /// `baseline` with its metrics and their histories renamed as `takingFrom` renames them.
    public func takingFrom(_ baseline: Baseline) throws -> Baseline {
        let (metrics, sources) = try takingFrom(baseline.metrics, side: "the baseline", required: false)
        guard !sources.isEmpty else { return baseline }
        var renamed = baseline
        renamed.metrics = metrics
        for source in Set(sources.values) { renamed.history[source] = nil }
        for (name, source) in sources { renamed.history[name] = baseline.history[source] }
        return renamed
    }
}
