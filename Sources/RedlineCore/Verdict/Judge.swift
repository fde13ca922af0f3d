/// Options of one check that do not come from files.
public struct JudgeOptions: Sendable {
    /// `--max-regression`: replaces the default threshold (rules that set their own keep it).
    public var maxRegression: Double?
    /// `--fail-on`: the lowest severity that fails the run.
    public var failOn: Severity
    /// The baseline file's name, for messages.
    public var baselineFile: String

    /// Creates options; by default only failures fail the run.
    public init(maxRegression: Double? = nil, failOn: Severity = .failure, baselineFile: String = "baseline") {
        self.maxRegression = maxRegression
        self.failOn = failOn
        self.baselineFile = baselineFile
    }
}

/// How the two sides of one metric compare, in the metric's unit: the figures a verdict is made of.
public struct Comparison: Sendable, Equatable {
    /// The baseline's centre (its samples' median, else its value).
    public var baseline: Double
    /// The current run's centre.
    public var current: Double
    /// How much worse the current run is, in the metric's unit (negative when better): the
    /// Hodges-Lehmann shift when judged on samples, else current − baseline, signed so that
    /// positive is worse.
    public var worsening: Double
    /// `worsening` relative to |baseline|; nil when the baseline is 0 and the current is not
    /// (a change "from 0"), 0 when both are.
    public var change: Double?
    /// The sample statistics, when both sides had enough samples to be judged on them.
    public var statistics: SampleComparison?
}

/// Compares a run with its baseline and its budgets.
public enum Judge {
    /// Changes are compared with thresholds after allowing this much floating-point error, so that
    /// 1.0 → 1.1 is exactly 10% (and passes a 10% threshold) even though 1.1 − 1.0 is 0.1000000000000001.
    public static let tolerance = 1e-9

    /// Both sides need at least this many samples to be judged on their samples: with fewer, no
    /// rank test can reach p < 0.05 one-sided (4 and 4 gives at best 1/70), so the medians are
    /// compared as points, like metrics without samples.
    public static let minimumSamples = 5

    /// Judges every metric in the union of `current`, `baseline` and the policy's exact names.
    /// Throws every configuration problem found (unit dimensions that differ, levels out of
    /// order for the direction in force, equally specific globs, floors with a unit on a metric without one).
    public static func judge(current: MetricSet, baseline: Baseline?, policy: Policy,
                             options: JudgeOptions = JudgeOptions()) throws -> Judgement {
        try judge(current: current, baseline: baseline, policy: policy, options: options, chunks: nil)
    }

    /// `judge` with the number of pieces the work is split into (nil: by size and cores), so a
    /// test can compare a split judgement with one in a single piece.
    static func judge(current: MetricSet, baseline: Baseline?, policy: Policy, options: JudgeOptions,
                      chunks requested: Int?) throws -> Judgement {
        var defaults = policy.defaults
        if let override = options.maxRegression { defaults.maxRegression = override }
        let work = MetricSet.union(current, baseline?.metrics, names: policy.exactNames)
        // Metrics are judged independently: a large run is split over the cores, in order.
        let sides = Sides(current: current, baseline: baseline?.metrics, baselineFile: options.baselineFile)
        let defaultsUsed = defaults
        let (judged, pieces) = Parallel.array(count: work.count, pieces: requested) { range, set -> Problems in
            var problems = Problems()
            let memo = Statistics.Memo()
            for index in range {
                let pair = work[index]
                let result = problems.attempt {
                    try judgeMetric(name: pair.name, current: pair.current, baseline: pair.baseline,
                                    policy: policy, defaults: defaultsUsed, sides: sides, memo: memo)
                }
                // A metric that could not be judged holds its place; the run ends with the problems.
                set(index, result ?? MetricJudgement.placeholder(pair.name))
            }
            return problems
        }
        var problems = Problems()
        for piece in pieces { problems.absorb(piece) }
        try problems.throwIfAny()
        let failing = judged.contains { $0.severity >= options.failOn }
        return Judgement(metrics: judged, outcome: failing ? .failed : .passed, failOn: options.failOn,
                         defaults: defaults, provenance: baseline?.provenance, hasBaseline: baseline != nil,
                         context: current.context)
    }

    /// The two sets a metric comes from, to point at the place of a metric in its file.
    struct Sides: Sendable {
        var current: MetricSet
        var baseline: MetricSet?
        var baselineFile: String
    }

    /// Judges one metric; `current` and `baseline` may each be absent.
    static func judgeMetric(name: String, current: Metric?, baseline: Metric?, policy: Policy, defaults: PolicyDefaults,
                            sides: Sides, memo: Statistics.Memo = Statistics.Memo()) throws -> MetricJudgement {
        let resolved = try policy.resolve(name: name, current: current, baseline: baseline, defaults: defaults,
                                          baselineSet: sides.baseline, baselineFile: sides.baselineFile)
        let unit = resolved.unit
        let currentCentre = current?.centre
        var judgement = MetricJudgement(
            name: name, rule: resolved, baseline: nil, current: currentCentre,
            baselineSampleCount: baseline?.samples?.count ?? 0, currentSampleCount: current?.samples?.count ?? 0,
            delta: nil, change: nil, worsening: nil, verdict: .new, budgetLevel: nil, statistics: nil, severity: .ok)

        // The baseline in the metric's unit (`resolve` checked that the two convert).
        var baselineSamples = baseline?.samples
        if let baselineMetric = baseline {
            var centre = baselineMetric.centre
            if let from = resolved.baselineUnit, let to = unit, from != to {
                centre = from.convert(centre, to: to) ?? centre
                baselineSamples = baselineSamples?.map { from.convert($0, to: to) ?? $0 }
            }
            judgement.baseline = centre
        }

        guard let currentMetric = current, let currentCentre else {
            judgement.verdict = .missing
            switch resolved.missing {
            case .fail: judgement.severity = .failure
            case .warn: judgement.severity = .warning
            case .ignore: judgement.severity = .ok
            }
            return judgement
        }

        var severity = Severity.ok
        if let baselineCentre = judgement.baseline {
            let comparison = compare(baseline: baselineCentre, baselineSamples: baselineSamples,
                                     current: currentCentre, currentSamples: currentMetric.samples,
                                     direction: resolved.direction, alpha: resolved.alpha, memo: memo)
            judgement.delta = comparison.current - comparison.baseline
            judgement.change = comparison.change
            judgement.worsening = comparison.worsening
            judgement.statistics = comparison.statistics
            judgement.verdict = verdict(comparison, maxRegression: resolved.maxRegression, minDelta: resolved.minDelta)
            if judgement.verdict == .regressed { severity = .failure }
            if judgement.verdict == .inconclusive { severity = .warning }
        }

        if let level = budgetLevel(of: currentCentre, target: resolved.target, warning: resolved.warning,
                                   error: resolved.error, direction: resolved.direction) {
            judgement.budgetLevel = level
            switch level {
            case .error: severity = max(severity, .failure)
            case .warning: severity = max(severity, .warning)
            case .overTarget: severity = max(severity, .notice)
            case .withinTarget: break
            }
        }
        judgement.severity = severity
        return judgement
    }

    /// How the two sides compare. With at least `minimumSamples` samples a side the samples
    /// decide everything: the change is the Hodges-Lehmann shift relative to the baseline's median,
    /// with the rank test's p-values; otherwise the centres are compared as points.
    public static func compare(baseline: Double, baselineSamples: [Double]?, current: Double, currentSamples: [Double]?,
                               direction: Direction, alpha: Double, memo: Statistics.Memo = Statistics.Memo()) -> Comparison {
        let sign: Double = direction == .lower ? 1 : -1
        func relative(_ amount: Double) -> Double? {
            if baseline != 0 { return amount / abs(baseline) }
            return amount == 0 ? 0 : nil
        }
        guard let before = baselineSamples, let after = currentSamples,
              before.count >= minimumSamples, after.count >= minimumSamples else {
            let worsening = sign * (current - baseline)
            return Comparison(baseline: baseline, current: current, worsening: worsening, change: relative(worsening))
        }
        let shift = Statistics.shift(baseline: before, current: after, alpha: alpha, memo: memo)
        let tests = Statistics.uTests(baseline: before, current: after, memo: memo)
        let statistics = SampleComparison(
            shift: shift.estimate, estimate: relative(shift.estimate), low: relative(shift.low), high: relative(shift.high),
            confidence: shift.confidence,
            pWorse: direction == .lower ? tests.larger.pValue : tests.smaller.pValue,
            pBetter: direction == .lower ? tests.smaller.pValue : tests.larger.pValue,
            alpha: alpha, baselineCount: before.count, currentCount: after.count)
        let worsening = sign * shift.estimate
        return Comparison(baseline: baseline, current: current, worsening: worsening, change: relative(worsening),
                          statistics: statistics)
    }

    /// The verdict of a comparison under the thresholds. A worsening counts when it is beyond
    /// `maxRegression` (or, from a baseline of 0, when there is any) and beyond `minDelta`; on
    /// samples it must also be significant (p < α), else it is inconclusive. An improvement needs
    /// the same, the other way round.
    public static func verdict(_ comparison: Comparison, maxRegression: Double, minDelta: Double) -> Verdict {
        let floor = minDelta * (1 + tolerance)
        func beyond(_ sign: Double) -> Bool {
            let amount = sign * comparison.worsening
            guard amount > floor else { return false }
            // From a baseline of 0 any worsening beyond the floor counts: there is no percentage.
            guard let change = comparison.change else { return true }
            return sign * change > maxRegression + tolerance
        }
        let statistics = comparison.statistics
        if beyond(1) {
            guard let statistics else { return .regressed }
            return statistics.pWorse < statistics.alpha ? .regressed : .inconclusive
        }
        if beyond(-1), statistics.map({ $0.pBetter < $0.alpha }) ?? true { return .improved }
        return .unchanged
    }

    /// Where `value` stands against the levels (in its unit), or nil when none is set. A value
    /// equal to a level is not over it.
    public static func budgetLevel(of value: Double, target: Double?, warning: Double?, error: Double?,
                                   direction: Direction) -> BudgetLevel? {
        guard target != nil || warning != nil || error != nil else { return nil }
        func isWorse(than level: Double?) -> Bool {
            guard let level else { return false }
            return direction == .lower ? value > level : value < level
        }
        if isWorse(than: error) { return .error }
        if isWorse(than: warning) { return .warning }
        if isWorse(than: target) { return .overTarget }
        return .withinTarget
    }
}
