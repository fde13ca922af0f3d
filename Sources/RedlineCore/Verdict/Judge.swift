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

/// Compares a run with its baseline and its budgets.
public enum Judge {
    /// Changes are compared with thresholds after allowing this much floating-point error, so that
    /// 1.0 → 1.1 is exactly 10% (and passes a 10% threshold) even though 1.1 − 1.0 is 0.1000000000000001.
    public static let tolerance = 1e-9

    /// Both sides need at least this many samples to be judged on their samples: with fewer, no
    /// rank test can reach p < 0.05 one-sided (4 and 4 gives at best 1/70), so the median is
    /// compared as a point, like a metric without samples.
    public static let minimumSamples = 5

    /// Judges every metric in the union of `current`, `baseline` and the policy's exact names.
    /// Throws every configuration problem found (unit dimensions that differ, levels out of
    /// order for the direction in force, equally specific globs).
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
        // Every name of the run, the baseline and the exact budget rules, in order. The three lists
        // are sorted, so one merge pairs them: no hashing, no searching, no sorting of the union.
        let currentMetrics = current.metrics
        let baselineMetrics = baseline?.metrics.metrics ?? []
        let ruleNames = Array(Set(policy.exactNames)).sorted()
        var pairs: [(name: String, current: Metric?, baseline: Metric?)] = []
        pairs.reserveCapacity(max(currentMetrics.count, baselineMetrics.count))
        var (nextCurrent, nextBaseline, nextRule) = (0, 0, 0)
        while true {
            var name: String?
            for head in [nextCurrent < currentMetrics.count ? currentMetrics[nextCurrent].name : nil,
                         nextBaseline < baselineMetrics.count ? baselineMetrics[nextBaseline].name : nil,
                         nextRule < ruleNames.count ? ruleNames[nextRule] : nil] {
                if let head, name == nil || head < name! { name = head }
            }
            guard let name else { break }
            var pair: (name: String, current: Metric?, baseline: Metric?) = (name, nil, nil)
            if nextCurrent < currentMetrics.count && currentMetrics[nextCurrent].name == name {
                pair.current = currentMetrics[nextCurrent]
                nextCurrent += 1
            }
            if nextBaseline < baselineMetrics.count && baselineMetrics[nextBaseline].name == name {
                pair.baseline = baselineMetrics[nextBaseline]
                nextBaseline += 1
            }
            if nextRule < ruleNames.count && ruleNames[nextRule] == name { nextRule += 1 }
            pairs.append(pair)
        }
        // Metrics are judged independently: a large run is split over the cores, in order.
        let defaultsUsed = defaults
        let work = pairs
        var chunks = Parallel.mapPieces(over: work.count, pieces: requested) { range -> (judged: [MetricJudgement], problems: Problems) in
            var problems = Problems()
            let memo = Statistics.Memo()
            var judged: [MetricJudgement] = []
            for pair in work[range] {
                let result = problems.attempt {
                    try judgeMetric(name: pair.name, current: pair.current, baseline: pair.baseline,
                                    rule: policy.rule(for: pair.name), defaults: defaultsUsed, policy: policy,
                                    options: options, memo: memo)
                }
                if let result { judged.append(result) }
            }
            return (judged, problems)
        }
        var problems = Problems()
        var judged: [MetricJudgement] = []
        judged.reserveCapacity(pairs.count)
        for index in chunks.indices {
            judged += chunks[index].judged
            problems.absorb(chunks[index].problems)
            chunks[index].judged = []  // freed as it is copied: never the whole judgement twice
        }
        try problems.throwIfAny()
        let failing = judged.contains { $0.severity >= options.failOn }
        return Judgement(metrics: judged, outcome: failing ? .failed : .passed, failOn: options.failOn,
                         defaults: defaults, provenance: baseline?.provenance, hasBaseline: baseline != nil,
                         context: current.context)
    }

    /// Judges one metric; `current` and `baseline` may each be absent.
    static func judgeMetric(name: String, current: Metric?, baseline: Metric?, rule: BudgetRule?,
                            defaults: PolicyDefaults, policy: Policy, options: JudgeOptions,
                            memo: Statistics.Memo = Statistics.Memo()) throws -> MetricJudgement {
        let unit = current?.unit ?? baseline?.unit ?? rule?.unit
        let direction = rule?.direction ?? current?.direction ?? baseline?.direction ?? unit?.defaultDirection ?? .lower

        func ruleError(_ message: String, hint: String? = nil) -> RedlineError {
            RedlineError(file: policy.file, line: rule?.line, column: rule?.column, message: message, hint: hint)
        }

        var baselineValue = baseline?.value
        if let baselineMetric = baseline, let from = baselineMetric.unit, let to = unit {
            guard let converted = from.convert(baselineMetric.value, to: to) else {
                throw RedlineError(file: options.baselineFile,
                                   message: "metric \"\(name)\" is in \(from.symbol) (\(from.dimensionName)) in the baseline but in \(to.symbol) (\(to.dimensionName)) in the current run",
                                   hint: "values of different dimensions cannot be compared; update the baseline or rename the metric")
            }
            baselineValue = converted
        }

        /// Converts a figure written in the rule's unit to the metric's unit.
        func inMetricUnit(_ value: Double?, from given: Unit?, what: String) throws -> Double? {
            guard let value else { return nil }
            guard let given, let unit else { return value }
            guard let converted = given.convert(value, to: unit) else {
                throw ruleError("budget rule \"\(rule?.key ?? name)\" gives \(what) in \(given.symbol) (\(given.dimensionName)), but metric \"\(name)\" is in \(unit.symbol) (\(unit.dimensionName))",
                                hint: "set the rule's unit to one of the metric's dimension")
            }
            return converted
        }

        let target = try inMetricUnit(rule?.target, from: rule?.unit, what: "`target`")
        let warning = try inMetricUnit(rule?.warning, from: rule?.unit, what: "`warning`")
        let error = try inMetricUnit(rule?.error, from: rule?.unit, what: "`error`")
        if let rule, rule.hasLevels, let problem = Budgets.levelOrderProblem(rule, direction: direction) {
            throw ruleError("budget rule \"\(rule.key)\" applies to metric \"\(name)\": \(problem)",
                            hint: "set \"direction\" in the rule to the metric's direction, or fix the order")
        }
        let minDeltaQuantity = rule?.minDelta ?? defaults.minDelta
        let minDelta = try inMetricUnit(minDeltaQuantity?.value, from: minDeltaQuantity?.unit ?? rule?.unit, what: "`minDelta`") ?? 0
        let maxRegression = rule?.maxRegression ?? defaults.maxRegression
        let missing = rule?.missing ?? defaults.missing

        var judgement = MetricJudgement(
            name: name, rule: rule?.key, direction: direction, unit: unit,
            baseline: baselineValue, current: current?.value,
            baselineSampleCount: baseline?.samples?.count ?? 0, currentSampleCount: current?.samples?.count ?? 0,
            delta: nil, change: nil, verdict: .unchanged, budgetLevel: nil,
            target: target, warning: warning, error: error,
            maxRegression: maxRegression, minDelta: minDelta, missing: missing, statistics: nil, severity: .ok)

        guard let currentValue = current?.value else {
            judgement.verdict = .missing
            switch missing {
            case .fail: judgement.severity = .failure
            case .warn: judgement.severity = .warning
            case .ignore: judgement.severity = .ok
            }
            return judgement
        }

        var severity = Severity.ok
        if let baselineValue {
            let delta = currentValue - baselineValue
            let worsening = direction == .lower ? delta : -delta
            judgement.delta = delta
            if baselineValue != 0 {
                judgement.change = worsening / abs(baselineValue)
            } else if worsening == 0 {
                judgement.change = 0
            }
            let floor = minDelta * (1 + tolerance)
            let beyondThreshold: (Double) -> Bool = { $0 > maxRegression + tolerance }
            if let comparison = compareSamples(baseline: baseline, current: current, direction: direction,
                                               alpha: rule?.alpha ?? defaults.alpha, memo: memo) {
                // Judged on the samples: the robust estimate must pass the thresholds and the
                // rank test must say the worsening is real.
                judgement.statistics = comparison
                let change = direction == .lower ? comparison.estimate : -comparison.estimate
                judgement.change = change
                if beyondThreshold(change) && worsening > floor {
                    judgement.verdict = comparison.pWorse < comparison.alpha ? .regressed : .inconclusive
                } else if beyondThreshold(-change) && -worsening > floor && comparison.pBetter < comparison.alpha {
                    judgement.verdict = .improved
                }
            } else if let change = judgement.change {
                if beyondThreshold(change) && worsening > floor {
                    judgement.verdict = .regressed
                } else if beyondThreshold(-change) && -worsening > floor {
                    judgement.verdict = .improved
                }
            } else if worsening > floor {
                judgement.verdict = .regressed
            } else if -worsening > floor {
                judgement.verdict = .improved
            }
            if judgement.verdict == .regressed { severity = .failure }
            if judgement.verdict == .inconclusive { severity = .warning }
        } else {
            judgement.verdict = .new
        }

        if let rule, rule.hasLevels {
            let isWorse: (Double) -> Bool = { level in direction == .lower ? currentValue > level : currentValue < level }
            let level: BudgetLevel
            if let error, isWorse(error) {
                level = .error
            } else if let warning, isWorse(warning) {
                level = .warning
            } else if let target, isWorse(target) {
                level = .overTarget
            } else {
                level = .withinTarget
            }
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

    /// The sample comparison, when both sides have at least `minimumSamples` samples.
    static func compareSamples(baseline: Metric?, current: Metric?, direction: Direction, alpha: Double,
                               memo: Statistics.Memo) -> SampleComparison? {
        guard let baselineMetric = baseline, let currentMetric = current,
              var baselineSamples = baselineMetric.samples, let currentSamples = currentMetric.samples,
              baselineSamples.count >= minimumSamples, currentSamples.count >= minimumSamples else { return nil }
        if let from = baselineMetric.unit, let to = currentMetric.unit, from.symbol != to.symbol {
            // Units were checked by the caller; convert every sample as the value was.
            baselineSamples = baselineSamples.map { from.convert($0, to: to) ?? $0 }
        }
        let shift = Statistics.shift(baseline: baselineSamples, current: currentSamples, alpha: alpha, memo: memo)
        let tests = Statistics.uTests(baseline: baselineSamples, current: currentSamples, memo: memo)
        let larger = tests.larger.pValue
        let smaller = tests.smaller.pValue
        return SampleComparison(estimate: shift.estimate, low: shift.low, high: shift.high, confidence: shift.confidence,
                                pWorse: direction == .lower ? larger : smaller,
                                pBetter: direction == .lower ? smaller : larger,
                                alpha: alpha, baselineCount: baselineSamples.count, currentCount: currentSamples.count)
    }
}
