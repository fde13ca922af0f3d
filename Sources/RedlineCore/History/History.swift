import RedlineModel
import RedlineJSON
import RedlinePolicy

/// One `redline baseline update`: a run the baseline remembers.
public struct BaselineRun: Sendable, Equatable {
    /// Its number: one more than the run before it.
    public var id: Int
    /// The commit it measured, when known.
    public var commit: String?
    /// When it was recorded, ISO 8601 UTC.
    public var time: String?
    /// The metrics files it was read from.
    public var sources: [Provenance.Source]

    /// Creates a run.
    public init(id: Int, commit: String? = nil, time: String? = nil, sources: [Provenance.Source] = []) {
        (self.id, self.commit, self.time, self.sources) = (id, commit, time, sources)
    }
}

/// A change of level found in a metric's history by `baseline update`.
public struct HistoryStep: Sendable, Equatable {
    /// The id of the first run at the new level.
    public var run: Int
    /// The new level relative to the old one, by value (+0.12: 12% higher), whatever the direction.
    public var change: Double
    /// The test's p-value, adjusted for the places a step was looked for.
    public var p: Double

    /// Creates a step.
    public init(run: Int, change: Double, p: Double) {
        (self.run, self.change, self.p) = (run, change, p)
    }
}

/// What a baseline remembers of one metric over its recent runs. The arrays hold one entry per
/// run, oldest first, aligned with the last `values.count` runs of the baseline (`Baseline.runs`);
/// an entry is nil for a run that did not have the metric.
public struct MetricHistory: Sendable, Equatable {
    /// Each run's figure: the median of its samples, else its value, in the baseline metric's unit.
    public var values: [Double?]
    /// For metrics with samples: each run's spread of samples (1.4826 × their median absolute
    /// deviation, a standard deviation that one wild sample cannot inflate); nil for a run without
    /// samples. Empty when no run had samples. Kept instead of the samples themselves, so the file
    /// grows with metrics × runs, not with samples: the judge needs only each run's figure and how
    /// precise it was (`spreads` with `counts`).
    public var spreads: [Double?]
    /// For metrics with samples: how many samples each run had; aligned with `spreads`.
    public var counts: [Int?]
    /// Changes of level found in the window, oldest first; the judge uses the runs since the last one.
    public var steps: [HistoryStep]

    /// Creates a history.
    public init(values: [Double?], spreads: [Double?] = [], counts: [Int?] = [], steps: [HistoryStep] = []) {
        (self.values, self.spreads, self.counts, self.steps) = (values, spreads, counts, steps)
    }

    /// The entry of `metric` for one run: its figure, and its spread and count when it has samples.
    static func entry(of metric: Metric) -> (value: Double, spread: Double?, count: Int?) {
        // The median of an even count and the spread are computed figures: kept to 12 and 6
        // significant digits, so that the file shows 199.6, not 199.60000000000002.
        let value = tidy(metric.centre, digits: 12)
        guard let samples = metric.samples, samples.count >= 2 else { return (value, nil, nil) }
        return (value, tidy(WindowStatistics.robustSpread(samples), digits: 6), samples.count)
    }

    /// `value` rounded to `digits` significant digits.
    static func tidy(_ value: Double, digits: Int) -> Double {
        guard value.isFinite, value != 0 else { return value }
        return Double(CFormat.string("%.*g", Int32(digits), value)) ?? value
    }

    /// The runs the judge compares with: the figures since the last step, with their spreads and
    /// counts, converted by `convert`. `runIDs` are the ids of the runs `values` is aligned with.
    package func window(runIDs: ArraySlice<Int>, convert: (Double) -> Double) -> Window {
        var start = 0
        if let step = steps.last, let position = runIDs.firstIndex(of: step.run) {
            start = position - runIDs.startIndex
        }
        var window = Window()
        window.values.reserveCapacity(max(0, values.count - start))
        window.errors.reserveCapacity(max(0, min(spreads.count, values.count) - start))
        for index in start..<values.count {
            guard let value = values[index] else { continue }
            window.values.append(convert(value))
            if index < spreads.count, let spread = spreads[index], index < counts.count, let count = counts[index] {
                window.errors.append(WindowStatistics.medianError(spread: convert(spread), count: count))
            }
        }
        window.sinceStep = start > 0
        return window
    }

    /// The figures of one metric's window, as the judge sees them.
    package struct Window {
        /// The runs' figures, oldest first.
        package var values: [Double] = []
        /// The standard errors of the figures of the runs that had samples.
        package var errors: [Double] = []
        /// Whether the window starts at a step (older runs were left out).
        package var sinceStep = false
    }
}

/// Adds a run to a baseline's history: the window of the last `limit` runs, per metric.
public enum HistoryUpdate {
    /// The runs of `old` (an old baseline without runs counts as one run, id 1, from its
    /// provenance) followed by `run`, the oldest dropped beyond `limit`.
    package static func runs(old: Baseline?, adding run: BaselineRun, limit: Int) -> [BaselineRun] {
        var runs = old.map(pastRuns) ?? []
        var added = run
        added.id = (runs.last?.id ?? 0) + 1
        runs.append(added)
        return Array(runs.suffix(limit))
    }

    /// The runs a baseline remembers; one made from its provenance when it predates history.
    static func pastRuns(_ baseline: Baseline) -> [BaselineRun] {
        if !baseline.runs.isEmpty { return baseline.runs }
        let provenance = baseline.provenance
        return [
            BaselineRun(
                id: 1, commit: provenance?.commit, time: provenance?.updatedAt, sources: provenance?.sources ?? [])
        ]
    }

    /// The history of one metric after the run: the old history (or, from a baseline that predates
    /// history, the old value as a window of one) with `current`'s entry appended (nil when the run
    /// lacks the metric), cut to `runCount` runs, in `unit` (`oldUnit` is what the old figures are
    /// in). Nil when no run in the window has the metric.
    package static func append(
        old: MetricHistory?, oldMetric: Metric?, oldHadRuns: Bool, current: Metric?, runCount: Int,
        unit: Unit?, oldUnit: Unit?
    ) -> MetricHistory? {
        var history = old ?? MetricHistory(values: [])
        if old == nil, let oldMetric, !oldHadRuns {
            // A baseline from before history: its value is the one run it remembers.
            let entry = MetricHistory.entry(of: oldMetric)
            history = MetricHistory(values: [entry.value], spreads: [entry.spread], counts: [entry.count])
        }
        if let from = oldUnit, let to = unit, from != to {
            let convert = { (value: Double) in from.convert(value, to: to) ?? value }
            history.values = history.values.map { $0.map(convert) }
            history.spreads = history.spreads.map { $0.map(convert) }
        }
        let entry = current.map(MetricHistory.entry)
        let hadSamples = !history.spreads.isEmpty || entry?.spread != nil
        if hadSamples {
            // Spreads and counts stay aligned with the values.
            history.spreads += Array(repeating: nil, count: history.values.count - history.spreads.count)
            history.counts += Array(repeating: nil, count: history.values.count - history.counts.count)
            history.spreads.append(entry?.spread)
            history.counts.append(entry?.count)
        }
        history.values.append(entry?.value)
        let keep = min(runCount, history.values.count)
        history.values = Array(history.values.suffix(keep))
        if hadSamples {
            history.spreads = Array(history.spreads.suffix(keep))
            history.counts = Array(history.counts.suffix(keep))
            if history.spreads.allSatisfy({ $0 == nil }) { (history.spreads, history.counts) = ([], []) }
        }
        // Leading gaps carry nothing: the window starts at the metric's first run in it.
        while history.values.first == .some(nil) {
            history.values.removeFirst()
            if !history.spreads.isEmpty {
                history.spreads.removeFirst()
                history.counts.removeFirst()
            }
        }
        guard !history.values.isEmpty else { return nil }
        return history
    }
}
