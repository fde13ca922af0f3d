import RedlineModel
import RedlineJSON
import RedlinePolicy
import RedlineHistory

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
    /// Regressed within an unexpired acceptance in budgets.json (a notice with its reason).
    case accepted
}

/// A `PairedComparison` held by reference.
final class PairedBox: Equatable, Sendable {
    let value: PairedComparison
    init(_ value: PairedComparison) { self.value = value }
    static func == (lhs: PairedBox, rhs: PairedBox) -> Bool { lhs.value == rhs.value }
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

/// What a metric's verdict was judged on.
public enum Basis: String, Sendable, CaseIterable {
    /// Nothing to compare: the metric is new or missing.
    case none
    /// One figure a side: the current figure against the baseline's last run, by the thresholds alone.
    case point
    /// The samples of both sides, by a rank test (with fewer than 5 runs of history).
    case samples
    /// The window of recent runs: the current figure against the runs' distribution.
    case window
    /// Interleaved A/B on one runner (`redline ab`): the ratio head/base of each pair.
    case pairs
}

/// A metric's recent runs and the current run, in the metric's unit, as the reports draw them.
public struct Trend: Sendable, Equatable {
    /// The baseline's runs of the metric, oldest first, aligned with the last `values.count` of
    /// the judgement's `runs`; nil where a run lacked the metric.
    public var values: [Double?]
    /// The current run's figure in each of its runs (the first run, then each rerun).
    public var current: [Double]

    /// Creates a trend.
    public init(values: [Double?], current: [Double]) {
        (self.values, self.current) = (values, current)
    }
}

/// How the current run compared with the window of recent runs, for a metric judged on its window.
public struct WindowComparison: Sendable, Equatable {
    /// Runs in the window (since the last step, if any).
    public var runs: Int
    /// Runs set aside as far from the rest.
    public var setAside: Int
    /// Whether the window starts at a step found on an earlier update (older runs left out).
    public var sinceStep: Bool
    /// The window's centre: the mean of the runs kept, in the metric's unit.
    public var centre: Double
    /// The spread between runs: the standard deviation of the runs kept.
    public var spread: Double
    /// How many runs of the current side were combined (their median), reruns included.
    public var observations: Int
    /// One-sided p-value that the current run is worse than the window's runs (Student's t of
    /// a prediction interval, `runs − setAside − 1` degrees of freedom).
    public var pWorse: Double
    /// One-sided p-value that it is better.
    public var pBetter: Double
    /// The significance level used.
    public var alpha: Double
    /// How far from the centre a figure must be, either way, to be outside the runs' noise at
    /// `alpha` (the half-width of the noise band the reports draw), in the metric's unit.
    public var noise: Double
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
    public let name: String
    /// What applied to it: its budget rule (or the defaults) settled against its unit and
    /// direction, every level and threshold in the metric's unit.
    public let rule: ResolvedRule
    /// The baseline's centre (the median of its samples, else its value), converted to `unit`.
    public let baseline: Double?
    /// The current run's centre (the median of its samples, else its value).
    public let current: Double?
    /// How many samples the baseline had (0 for a single value).
    public let baselineSampleCount: Int
    /// How many samples the current run had (0 for a single value).
    public let currentSampleCount: Int
    /// current − baseline (centres), in `unit`.
    public let delta: Double?
    /// The relative change that was judged, positive when worse: of the centres, or the samples'
    /// Hodges-Lehmann shift; nil without both sides or from a zero baseline.
    public let change: Double?
    /// The absolute worsening that was judged, in `unit` (negative when better); nil without both sides.
    public let worsening: Double?
    /// The regression verdict.
    public let verdict: Verdict
    /// Where the current value stands against the budget levels; nil when the rule has none.
    public let budgetLevel: BudgetLevel?
    /// The sample statistics, when both sides had enough samples to be judged on them.
    public let statistics: SampleComparison?
    /// The window statistics, when the baseline had enough runs of history.
    public let window: WindowComparison?
    /// The pairs of an interleaved A/B run, when the metric was judged on them (held apart, so
    /// that the judgement of a run against a baseline, the usual kind, stays small).
    public var pairs: PairedComparison? { pairsBox?.value }
    let pairsBox: PairedBox?
    /// How many runs of the current side had the metric (1 without reruns).
    public let observations: Int
    /// The tool's name of the metric, when a budget rule's `from` took it under the rule's name.
    public let source: String?
    /// The baseline's recent runs of the metric and the current run, for the trend every report
    /// draws; nil when the baseline has no history of it.
    public let trend: Trend?
    /// What became of the rule's acceptances for this metric (used, exceeded, spent, expired).
    public let acceptances: [AcceptanceStatus]
    /// What the reader should know of the verdict: the acceptance it was within, or the ones it
    /// went beyond.
    public let verdictNotes: [String]
    /// How much this finding matters.
    public let severity: Severity

    /// A metric's judgement, made once and complete (`Judge` makes them).
    public init(
        name: String, rule: ResolvedRule, baseline: Double?, current: Double?, baselineSampleCount: Int = 0,
        currentSampleCount: Int = 0, comparison: Comparison? = nil, verdict: Verdict, budgetLevel: BudgetLevel? = nil,
        observations: Int = 1, source: String? = nil, trend: Trend? = nil, acceptances: [AcceptanceStatus] = [],
        verdictNotes: [String] = [], severity: Severity
    ) {
        (self.name, self.rule, self.baseline, self.current) = (name, rule, baseline, current)
        (self.baselineSampleCount, self.currentSampleCount) = (baselineSampleCount, currentSampleCount)
        delta = comparison.map { $0.current - $0.baseline }
        (change, worsening) = (comparison?.change, comparison?.worsening)
        (statistics, window, pairsBox) = (
            comparison?.statistics, comparison?.window, comparison?.pairs.map(PairedBox.init)
        )
        (self.verdict, self.budgetLevel, self.observations, self.source) = (verdict, budgetLevel, observations, source)
        (self.trend, self.acceptances, self.verdictNotes, self.severity) = (trend, acceptances, verdictNotes, severity)
    }

    /// What the verdict was judged on.
    public var basis: Basis {
        guard baseline != nil, current != nil else { return .none }
        return pairs != nil ? .pairs : window != nil ? .window : statistics != nil ? .samples : .point
    }

    /// The unit every value is in: the current run's own, else the rule's, else the baseline's.
    public var unit: Unit? { rule.unit }
    /// The direction used.
    public var direction: Direction { rule.direction }
    /// What the reader should know about how this metric was judged (a direction that differs
    /// between the baseline and the current run, an acceptance).
    public var notes: [String] { rule.notes + verdictNotes }

    /// The figure past which a worsening of this metric counts (the threshold line of a chart),
    /// from the centre it was compared with: see `Judge.regressionLimit`.
    public var regressionLimit: Double? {
        (window?.centre ?? baseline).flatMap {
            Judge.regressionLimit(
                centre: $0, direction: direction, maxRegression: rule.maxRegression, minDelta: rule.minDelta)
        }
    }

    /// The change of the value as the reports show it, signed with the value (a faster time is
    /// negative, whatever the direction; `change` is signed with "worse" instead): the pairs'
    /// ratio or the samples' shift with their interval, else the centres' relative change.
    public var shownChange: ShownChange {
        if let pairs {
            guard pairs.ratio.isFinite else { return .fromZero }
            guard pairs.low > 0 && pairs.high.isFinite else { return .relative(pairs.ratio - 1) }
            return .interval(pairs.ratio - 1, low: pairs.low - 1, high: pairs.high - 1)
        }
        if let statistics {
            guard let estimate = statistics.estimate, let low = statistics.low, let high = statistics.high else {
                return .fromZero
            }
            return .interval(estimate, low: low, high: high)
        }
        guard let baseline, let current else { return .unknown }
        if baseline == 0 { return current == 0 ? .relative(0) : .fromZero }
        return .relative((current - baseline) / abs(baseline))
    }

    /// The change of a value, signed with the value: see `MetricJudgement.shownChange`.
    public enum ShownChange: Sendable, Equatable {
        /// A side has no figure.
        case unknown
        /// From a baseline of 0 to a figure that is not: no relative change exists.
        case fromZero
        /// A relative change (0.1 is 10% more).
        case relative(Double)
        /// A relative estimate with its confidence interval.
        case interval(Double, low: Double, high: Double)
    }

    /// The test behind the verdict, in the verdict's direction (the p-value that the metric got
    /// better for an improvement, worse otherwise), with its α; nil when figures were compared
    /// as points.
    public var verdictTest: (p: Double, alpha: Double, isSignificant: Bool)? {
        let improved = verdict == .improved
        let test: (pWorse: Double, pBetter: Double, alpha: Double)?
        if let pairs {
            test = (pairs.pWorse, pairs.pBetter, pairs.alpha)
        } else if let window {
            test = (window.pWorse, window.pBetter, window.alpha)
        } else if let statistics {
            test = (statistics.pWorse, statistics.pBetter, statistics.alpha)
        } else {
            test = nil
        }
        return test.map { test in
            let p = improved ? test.pBetter : test.pWorse
            return (p, test.alpha, p < test.alpha)
        }
    }

    /// Whether the baseline was zero and the current run is not (the change is reported "from 0").
    public var isFromZero: Bool {
        baseline == 0 && current != nil && delta != nil && change == nil
    }

    /// A judgement that holds the place of a metric that could not be judged (its problem ends the run).
    static func placeholder(_ name: String, source: String?) -> MetricJudgement {
        MetricJudgement(
            name: name, rule: ResolvedRule(direction: .lower, maxRegression: 0, minDelta: 0, missing: .warn, alpha: 0),
            baseline: nil, current: nil, verdict: .unchanged, source: source, severity: .ok)
    }

    /// Whether the metric is absent and its rule says the run fails for that.
    public var isMissingRequired: Bool { verdict == .missing && rule.missing == .fail }

    /// Whether the metric has a finding that its rule keeps out of the verdict (`"gate": false`):
    /// a change, a budget level past its target, or an absence.
    public var isReportedOnlyFinding: Bool {
        guard !rule.gates else { return false }
        return isChange || verdict == .missing || (budgetLevel.map { $0 != .withinTarget } ?? false)
    }

    /// Whether the metric moved beyond its thresholds, either way, or may have (inconclusive).
    public var isChange: Bool { verdict == .regressed || verdict == .improved || verdict == .inconclusive }
}

/// How many metrics of a judgement have each verdict, budget level and severity: counted once,
/// for every output to read. The verdicts and levels count gated metrics only; a metric whose rule
/// says `"gate": false` is counted apart, as reported only, so that a headline never says
/// "33 regressed" of a run that failed on two.
public struct VerdictCounts: Sendable, Equatable {
    public var metrics = 0
    public var regressed = 0
    public var accepted = 0
    public var inconclusive = 0
    public var improved = 0
    public var unchanged = 0
    public var new = 0
    public var missing = 0
    /// Missing under `missing: fail`.
    public var missingRequired = 0
    public var budgetErrors = 0
    public var budgetWarnings = 0
    public var overTarget = 0
    /// Metrics whose severity is exactly failure, warning, notice.
    public var failures = 0
    public var warnings = 0
    public var notices = 0
    /// Metrics under `"gate": false`: judged and shown, never counted in the verdicts above.
    public var reportedOnly = 0
    /// Of those, the ones that changed beyond their thresholds (regressed, improved or inconclusive).
    public var reportedOnlyChanges = 0

    /// Counts `metrics` in one pass.
    public init(_ metrics: [MetricJudgement]) {
        self.metrics = metrics.count
        for metric in metrics {
            guard metric.rule.gates else {
                reportedOnly += 1
                if metric.isChange { reportedOnlyChanges += 1 }
                continue
            }
            switch metric.verdict {
            case .regressed: regressed += 1
            case .accepted: accepted += 1
            case .inconclusive: inconclusive += 1
            case .improved: improved += 1
            case .unchanged: unchanged += 1
            case .new: new += 1
            case .missing: missing += 1
            }
            if metric.isMissingRequired { missingRequired += 1 }
            switch metric.budgetLevel {
            case .error: budgetErrors += 1
            case .warning: budgetWarnings += 1
            case .overTarget: overTarget += 1
            case .withinTarget, nil: break
            }
            switch metric.severity {
            case .failure: failures += 1
            case .warning: warnings += 1
            case .notice: notices += 1
            case .ok: break
            }
        }
    }

    /// The counts worth saying, in the order a reader wants them, zero ones left out:
    /// `(count, "1 regressed"-style singular noun, plural noun)`.
    public var findings: [(count: Int, singular: String, plural: String)] {
        [
            (regressed, "regressed", "regressed"),
            (inconclusive, "inconclusive", "inconclusive"),
            (budgetErrors, "budget error", "budget errors"),
            (missingRequired, "required metric missing", "required metrics missing"),
            (budgetWarnings, "budget warning", "budget warnings"),
            (accepted, "accepted", "accepted"),
            (missing - missingRequired, "missing", "missing"),
            (overTarget, "over target", "over target"),
            (improved, "improved", "improved"),
            (new, "new", "new"),
            (unchanged, "unchanged", "unchanged"),
        ].filter { $0.0 > 0 }
    }

    /// Every count under its name in the JSON result, in the result's order.
    public var fields: [(key: String, value: Int)] {
        [
            ("metrics", metrics), ("regressed", regressed), ("accepted", accepted), ("inconclusive", inconclusive),
            ("improved", improved),
            ("unchanged", unchanged), ("new", new), ("missing", missing), ("missingRequired", missingRequired),
            ("budgetErrors", budgetErrors), ("budgetWarnings", budgetWarnings), ("overTarget", overTarget),
            ("failures", failures), ("warnings", warnings), ("notices", notices),
            ("reportedOnly", reportedOnly), ("reportedOnlyChanges", reportedOnlyChanges),
        ]
    }

    /// `12 metrics, 7 reported only, 1 regressed, 2 new; 3 changes in reported-only metrics`: the
    /// counts with a separator, the total first, the gated verdicts, then the reported-only changes.
    public func sentence(separator: String, total: (String) -> String = { $0 }) -> String {
        var text =
            total("\(metrics) metric\(metrics == 1 ? "" : "s")")
            + (reportedOnly > 0 ? separator + "\(reportedOnly) reported only" : "")
        text += findings.map { separator + "\($0.count) \($0.count == 1 ? $0.singular : $0.plural)" }.joined()
        if reportedOnlyChanges > 0 {
            text += "; \(reportedOnlyChanges) change\(reportedOnlyChanges == 1 ? "" : "s") in reported-only metrics"
        }
        return text
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
    public let metrics: [MetricJudgement]
    /// How many metrics have each verdict, level and severity.
    public let counts: VerdictCounts
    /// The overall outcome.
    public private(set) var outcome: Outcome
    /// The lowest severity that fails the run (`.failure`, or `.warning` under `--fail-on warning`).
    public private(set) var failOn: Severity
    /// The defaults in force (after `--max-regression`).
    public private(set) var defaults: PolicyDefaults
    /// The baseline's provenance, when it had one.
    public private(set) var provenance: Provenance?
    /// Whether a baseline was given at all (a first run has none).
    public private(set) var hasBaseline: Bool
    /// The current run's context.
    public private(set) var context: [(key: String, value: String)]
    /// A shift of the whole run, when most metrics moved together.
    public private(set) var runShift: RunShift?
    /// How many runs of the current side were judged (1 without reruns).
    public private(set) var observations = 1
    /// How many pairs an A/B run used (`redline ab`); nil for a run judged against a baseline.
    public private(set) var pairs: Int?
    /// What `check --rerun` did, when it was asked for.
    public private(set) var reruns: RerunRecord?
    /// The baseline's runs, oldest first: the x axis of every trend.
    public private(set) var runs: [BaselineRun] = []
    /// The budgets file's name, for sentences that point at a line of it.
    public private(set) var budgetsFile = ""

    /// Every acceptance's fate in this run, metric by metric.
    public var acceptances: [AcceptanceStatus] { metrics.flatMap(\.acceptances) }

    /// The gated metrics that could still change with another run: those that would regress, and
    /// those whose worsening is beyond the thresholds but not yet shown to be real. A reported-only
    /// metric (`"gate": false`) is never a reason to run the benchmark again.
    public var suspects: [String] {
        metrics.filter { $0.rule.gates && ($0.verdict == .regressed || $0.verdict == .inconclusive) }.map(\.name)
    }

    /// A judgement of `metrics`: their counts are made here, once.
    public init(
        metrics: [MetricJudgement], outcome: Outcome, failOn: Severity, defaults: PolicyDefaults,
        provenance: Provenance?, hasBaseline: Bool, context: [(key: String, value: String)], runShift: RunShift? = nil,
        observations: Int = 1, pairs: Int? = nil, runs: [BaselineRun] = [], budgetsFile: String = ""
    ) {
        (self.metrics, self.counts) = (metrics, VerdictCounts(metrics))
        (self.outcome, self.failOn, self.defaults) = (outcome, failOn, defaults)
        (self.provenance, self.hasBaseline, self.context) = (provenance, hasBaseline, context)
        (self.runShift, self.observations, self.pairs, self.runs, self.budgetsFile) = (
            runShift, observations, pairs, runs, budgetsFile
        )
    }

    /// This judgement with what `check --rerun` did to reach it.
    public func recording(_ reruns: RerunRecord) -> Judgement {
        var judgement = self
        judgement.reruns = reruns
        return judgement
    }

    /// The metrics ordered for reading: worst severity first, then the largest worsening, then by name.
    public var worstFirst: [MetricJudgement] { Judgement.worstFirst(metrics) }

    /// The metrics as every output groups them, each group worst first: what needs attention
    /// (every failure first, then warnings and notices, whatever findings there are), accepted
    /// regressions, and the metrics without findings, split into those that moved with a run-wide
    /// shift and the rest. Only metrics without findings are ever folded.
    public var sections: Sections {
        var sections = Sections()
        for metric in worstFirst {
            if metric.severity == .ok {
                if runShift?.explains(metric.name) == true {
                    sections.movedWithShift.append(metric)
                } else {
                    sections.rest.append(metric)
                }
            } else if metric.verdict == .accepted && metric.severity <= .notice {
                sections.accepted.append(metric)
            } else {
                sections.attention.append(metric)
            }
        }
        return sections
    }

    /// Every metric with a finding (failures, warnings, notices, accepted regressions), worst
    /// first: `sections.attention` and `sections.accepted` in one list, for the outputs that list
    /// findings without grouping them (the terminal past its full table, the HTML page's charts,
    /// the annotations).
    public var findings: [MetricJudgement] { Judgement.worstFirst(metrics.filter { $0.severity > .ok }) }

    /// The groups of `sections`.
    public struct Sections: Sendable {
        /// Failures, warnings and notices (accepted regressions aside), worst first.
        public var attention: [MetricJudgement] = []
        /// Regressions within an acceptance that raise nothing worse than a notice.
        public var accepted: [MetricJudgement] = []
        /// Metrics without findings whose verdict the run-wide shift explains (improved on a
        /// faster run, or a reported-only metric that moved with it).
        public var movedWithShift: [MetricJudgement] = []
        /// Every other metric without findings.
        public var rest: [MetricJudgement] = []

        /// The failures among `attention`.
        public var failing: [MetricJudgement] { attention.filter { $0.severity == .failure } }
    }

    /// Whether the baseline is younger than the window: it has fewer runs than a window verdict
    /// needs, so each metric is compared with its last run by the thresholds alone.
    public var isYoungBaseline: Bool { hasBaseline && pairs == nil && runs.count < HistoryLimits.minimumRuns }

    /// `metrics` ordered worst first (see `worstFirst`).
    public static func worstFirst(_ metrics: [MetricJudgement]) -> [MetricJudgement] {
        // Sort small keys rather than the judgements themselves: far less copying on large runs.
        let keys = metrics.indices.map { index -> (severity: Int, change: Double, index: Int) in
            let metric = metrics[index]
            // From 0 there is no percentage: a worsening sorts above every percentage, anything else below.
            let change =
                metric.change ?? ((metric.worsening ?? 0) > 0 ? .greatestFiniteMagnitude : -.greatestFiniteMagnitude)
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
            && lhs.context.elementsEqual(rhs.context) { $0 == $1 } && lhs.runShift == rhs.runShift
            && lhs.observations == rhs.observations && lhs.reruns == rhs.reruns && lhs.runs == rhs.runs
    }
}
