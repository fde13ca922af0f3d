/// What happened to one metric between the baseline and the current run.
public enum Verdict: String, Sendable, CaseIterable {
    /// Worse by more than `maxRegression` and `minDelta`.
    case regressed
    /// Better by more than `maxRegression` and `minDelta`.
    case improved
    /// Within the thresholds either way.
    case unchanged
    /// In the current run but not in the baseline.
    case new
    /// In the baseline or the budgets but not in the current run.
    case missing
    /// Worse beyond the thresholds, but the samples do not show it is real (a warning).
    case inconclusive
}

/// How the samples of both sides compared, for a metric judged on its samples.
public struct SampleComparison: Sendable, Equatable {
    /// The Hodges-Lehmann estimate of the shift from baseline to current (the median of all
    /// pairwise differences), in the metric's unit.
    public var shift: Double
    /// `shift` relative to |median of the baseline's samples| (`0.12` is +12%); nil from a median of 0.
    public var estimate: Double?
    /// The lower end of its interval, relative likewise.
    public var low: Double?
    /// The upper end of its interval, relative likewise.
    public var high: Double?
    /// The interval's confidence level.
    public var confidence: Double
    /// One-sided p-value of the Mann-Whitney U test that the current run is worse.
    public var pWorse: Double
    /// One-sided p-value that it is better.
    public var pBetter: Double
    /// The significance level used.
    public var alpha: Double
    /// Samples in the baseline.
    public var baselineCount: Int
    /// Samples in the current run.
    public var currentCount: Int
}

/// Where the current value stands against the rule's `target` / `warning` / `error` levels.
public enum BudgetLevel: String, Sendable, CaseIterable {
    /// At or better than every level given.
    case withinTarget = "within target"
    /// Worse than `target`: a notice.
    case overTarget = "over target"
    /// Worse than `warning`.
    case warning
    /// Worse than `error`: the run fails.
    case error
}

/// How much a finding matters; the report lists the worst first.
public enum Severity: Int, Sendable, Comparable, CaseIterable {
    case ok = 0
    case notice = 1
    case warning = 2
    case failure = 3

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The word used in reports and the JSON result.
    public var name: String {
        switch self {
        case .ok: return "ok"
        case .notice: return "notice"
        case .warning: return "warning"
        case .failure: return "failure"
        }
    }
}

/// The judgement of one metric: every figure the report shows, in one unit.
public struct MetricJudgement: Sendable, Equatable {
    /// The metric's name.
    public var name: String
    /// The budgets.json key of the rule that applied, or nil for the defaults.
    public var rule: String?
    /// The direction used.
    public var direction: Direction
    /// The unit every value below is in (the current run's own, else the rule's, else the baseline's).
    public var unit: Unit?
    /// The baseline's centre (the median of its samples, else its value), converted to `unit`.
    public var baseline: Double?
    /// The current run's centre (the median of its samples, else its value).
    public var current: Double?
    /// How many samples each side had (0 for a single value).
    public var baselineSampleCount: Int
    /// How many samples the current run had (0 for a single value).
    public var currentSampleCount: Int
    /// current − baseline (centres), in `unit`.
    public var delta: Double?
    /// The relative change that was judged, positive when worse: of the centres, or the samples'
    /// Hodges-Lehmann shift; nil without both sides or from a zero baseline.
    public var change: Double?
    /// The absolute worsening that was judged, in `unit` (negative when better); nil without both sides.
    public var worsening: Double?
    /// The regression verdict.
    public var verdict: Verdict
    /// Where the current value stands against the budget levels; nil when the rule has none.
    public var budgetLevel: BudgetLevel?
    /// The budget levels in `unit`.
    public var target: Double?
    /// The warning level in `unit`.
    public var warning: Double?
    /// The error level in `unit`.
    public var error: Double?
    /// The threshold used, as a fraction.
    public var maxRegression: Double
    /// The noise floor used, in `unit`; 0 when none.
    public var minDelta: Double
    /// The missing policy used.
    public var missing: MissingPolicy
    /// The sample statistics, when both sides had enough samples to be judged on them.
    public var statistics: SampleComparison?
    /// How much this finding matters.
    public var severity: Severity
    /// What the reader should know about how this metric was judged (a direction that differs
    /// between the baseline and the current run).
    public var notes: [String] = []

    /// Whether the baseline was zero and the current run is not (the change is reported "from 0").
    public var isFromZero: Bool {
        baseline == 0 && current != nil && delta != nil && change == nil
    }
}

/// The outcome of a whole check.
public enum Outcome: String, Sendable {
    /// Nothing failed (warnings may remain).
    case passed
    /// At least one failure (or a warning under `--fail-on warning`).
    case failed
}

/// The result of judging a run: per metric figures and the overall outcome.
public struct Judgement: Sendable, Equatable {
    /// One entry per metric in the union of current, baseline and exact budget names, sorted by name.
    public var metrics: [MetricJudgement]
    /// The overall outcome.
    public var outcome: Outcome
    /// The lowest severity that fails the run (`.failure`, or `.warning` under `--fail-on warning`).
    public var failOn: Severity
    /// The defaults in force (after `--max-regression`).
    public var defaults: PolicyDefaults
    /// The baseline's provenance, when it had one.
    public var provenance: Provenance?
    /// Whether a baseline was given at all (a first run has none).
    public var hasBaseline: Bool
    /// The current run's context.
    public var context: [(key: String, value: String)]

    /// How many metrics have each verdict.
    public func count(_ verdict: Verdict) -> Int { metrics.lazy.filter { $0.verdict == verdict }.count }
    /// How many metrics are at each budget level.
    public func count(_ level: BudgetLevel) -> Int { metrics.lazy.filter { $0.budgetLevel == level }.count }
    /// How many metrics have at least this severity.
    public func count(atLeast severity: Severity) -> Int { metrics.lazy.filter { $0.severity >= severity }.count }
    /// How many metrics have exactly this severity.
    public func count(exactly severity: Severity) -> Int { metrics.lazy.filter { $0.severity == severity }.count }

    /// The metrics ordered for reading: worst severity first, then the largest worsening, then by name.
    public var worstFirst: [MetricJudgement] { Judgement.worstFirst(metrics) }

    /// `metrics` ordered worst first (see `worstFirst`).
    public static func worstFirst(_ metrics: [MetricJudgement]) -> [MetricJudgement] {
        // Sort small keys rather than the judgements themselves: far less copying on large runs.
        let keys = metrics.indices.map { index -> (severity: Int, change: Double, index: Int) in
            let metric = metrics[index]
            // From 0 there is no percentage: a worsening sorts above every percentage, anything else below.
            let change = metric.change ?? ((metric.worsening ?? 0) > 0 ? .greatestFiniteMagnitude : -.greatestFiniteMagnitude)
            return (metric.severity.rawValue, change, index)
        }
        // metrics are sorted by name already, so the index breaks ties by name.
        let order = keys.sorted { left, right in
            if left.severity != right.severity { return left.severity > right.severity }
            if left.change != right.change { return left.change > right.change }
            return left.index < right.index
        }
        return order.map { metrics[$0.index] }
    }

    public static func == (lhs: Judgement, rhs: Judgement) -> Bool {
        lhs.metrics == rhs.metrics && lhs.outcome == rhs.outcome && lhs.failOn == rhs.failOn
            && lhs.defaults == rhs.defaults && lhs.provenance == rhs.provenance && lhs.hasBaseline == rhs.hasBaseline
            && lhs.context.elementsEqual(rhs.context) { $0 == $1 }
    }
}
