import RedlineModel
import RedlineJSON
import RedlinePolicy
import RedlineHistory

/// Options of one check that do not come from files.
public struct JudgeOptions: Sendable {
    /// `--max-regression`: replaces the default threshold (rules that set their own keep it).
    public var maxRegression: Double?
    /// `--fail-on`: the lowest severity that fails the run.
    public var failOn: Severity
    /// The baseline file's name, for messages.
    public var baselineFile: String
    /// Today, `YYYY-MM-DD`, for the expiry of acceptances; nil: none expires.
    public var today: String?
    /// Whether the current metrics come from a load test or a service's telemetry (one service
    /// under load, whose statistics move together when it gets slower) rather than a benchmark suite.
    public var fromLoadTest = false

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
    /// The window statistics, when the baseline had enough runs of history.
    public var window: WindowComparison?
    /// The pairs of an interleaved A/B run.
    public var pairs: PairedComparison?

    /// The evidence a worsening or an improvement needs, when the comparison has any: one-sided
    /// p-values of each and the level they must be below.
    var evidence: (pWorse: Double, pBetter: Double, alpha: Double)? {
        if let pairs { return (pairs.pWorse, pairs.pBetter, pairs.alpha) }
        if let window { return (window.pWorse, window.pBetter, window.alpha) }
        return statistics.map { ($0.pWorse, $0.pBetter, $0.alpha) }
    }
}

/// Compares a run with its baseline and its budgets.
public enum Judge {
    /// Both sides need at least this many samples to be judged on their samples: with fewer, no
    /// rank test can reach p < 0.05 one-sided (4 and 4 gives at best 1/70), so the medians are
    /// compared as points, like metrics without samples.
    public static let minimumSamples = 5

    /// Judges every metric in the union of `current`, `baseline` and the policy's exact names.
    /// Throws every configuration problem found (unit dimensions that differ, levels out of
    /// order for the direction in force, equally specific globs, floors with a unit on a metric without one).
    /// `reruns` are further runs of the current side (`check --rerun`): each is one more
    /// observation of every metric it has, and a metric's observations are combined by their median.
    public static func judge(
        current: MetricSet, baseline: Baseline?, policy: Policy,
        options: JudgeOptions = JudgeOptions(), reruns: [MetricSet] = []
    ) throws -> Judgement {
        try judge(current: current, baseline: baseline, policy: policy, options: options, reruns: reruns, chunks: nil)
    }

    /// `judge` with the number of pieces the work is split into (nil: by size and cores), so a
    /// test can compare a split judgement with one in a single piece.
    static func judge(
        current: MetricSet, baseline: Baseline?, policy: Policy, options: JudgeOptions,
        reruns: [MetricSet] = [], chunks requested: Int?
    ) throws -> Judgement {
        // Rules with `from` take a tool's metric under their own name, on every side.
        let (current, sources) = try policy.takingFrom(current, side: "the current run", required: true)
        let reruns = try reruns.map { try policy.takingFrom($0, side: "a rerun", required: true).set }
        let baseline = try baseline.map(policy.takingFrom)
        var defaults = policy.defaults
        if let override = options.maxRegression { defaults.maxRegression = override }
        let work = MetricSet.union(current, baseline?.metrics, names: policy.exactNames)
        // Metrics are judged independently: a large run is split over the cores, in order.
        let sides = Sides(
            current: current, baseline: baseline?.metrics, baselineFile: options.baselineFile,
            history: baseline.map { ($0.history, $0.runs.map(\.id)) } ?? ([:], []), reruns: reruns,
            machineVariance: reruns.isEmpty
                ? nil
                : baseline.flatMap { WindowStatistics.machineVariance($0.history, runs: $0.runs.count) },
            today: options.today)
        let defaultsUsed = defaults
        let (judged, pieces) = Parallel.array(count: work.count, pieces: requested) { range, set -> Problems in
            var problems = Problems()
            let memo = Statistics.Memo()
            for index in range {
                let pair = work[index]
                let result = problems.attempt {
                    try judgeMetric(
                        name: pair.name, current: pair.current, baseline: pair.baseline,
                        policy: policy, defaults: defaultsUsed, sides: sides, source: sources[pair.name], memo: memo)
                }
                // A metric that could not be judged holds its place; the run ends with the problems.
                set(index, result ?? MetricJudgement.placeholder(pair.name, source: sources[pair.name]))
            }
            return problems
        }
        var problems = Problems()
        for piece in pieces { problems.absorb(piece) }
        try problems.throwIfAny()
        let failing = judged.contains { $0.severity >= options.failOn }
        let shift = RunShift.find(
            in: judged, maxRegression: defaults.maxRegression,
            machineVariance: {
                baseline.flatMap { WindowStatistics.machineVariance($0.history, runs: $0.runs.count) }
            }, fromLoadTest: options.fromLoadTest)
        return Judgement(
            metrics: judged, outcome: failing ? .failed : .passed, failOn: options.failOn, defaults: defaults,
            provenance: baseline?.provenance, hasBaseline: baseline != nil, context: current.context, runShift: shift,
            observations: 1 + reruns.count, runs: baseline?.runs ?? [], budgetsFile: policy.file)
    }

    /// The two sets a metric comes from, to point at the place of a metric in its file.
    struct Sides: Sendable {
        var current: MetricSet
        var baseline: MetricSet?
        var baselineFile: String
        /// The baseline's history and the ids of its runs.
        var history: (metrics: [String: MetricHistory], runIDs: [Int]) = ([:], [])
        /// Further runs of the current side.
        var reruns: [MetricSet] = []
        /// The share of the runs' relative variance that all metrics of a run share (see
        /// `WindowStatistics.machineVariance`); estimated only when there are reruns to combine.
        var machineVariance: Double?
        /// Today, for the expiry of acceptances.
        var today: String?
    }

    /// Judges one metric; `current` and `baseline` may each be absent.
    static func judgeMetric(
        name: String, current: Metric?, baseline: Metric?, policy: Policy, defaults: PolicyDefaults,
        sides: Sides, source: String? = nil, memo: Statistics.Memo = Statistics.Memo()
    ) throws -> MetricJudgement {
        let resolved = try policy.resolve(
            name: name, current: current, baseline: baseline, defaults: defaults,
            baselineSet: sides.baseline, baselineFile: sides.baselineFile)
        let unit = resolved.unit
        // Every figure of the baseline side in the metric's unit (`resolve` checked that the two convert).
        // Decided once, not per sample: comparing two units copies them.
        let conversion = resolved.baselineUnit.flatMap { from in unit.flatMap { to in from != to ? (from, to) : nil } }
        let fromBaseline: (Double) -> Double = { value in
            guard let (from, to) = conversion else { return value }
            return from.convert(value, to: to) ?? value
        }
        // The current side: the run, and each rerun that has the metric, in the metric's unit.
        var observations: [Metric] = current.map { [$0] } ?? []
        if current != nil {
            for rerun in sides.reruns {
                guard var again = rerun[name] else { continue }
                if let from = again.unit, let to = unit, from != to, let converted = from.convert(again.value, to: to) {
                    again.samples = again.samples?.map { from.convert($0, to: to) ?? $0 }
                    (again.value, again.unit) = (converted, to)
                }
                observations.append(again)
            }
        }
        let centres = observations.map(\.centre)
        let baselineSamples = conversion == nil ? baseline?.samples : baseline?.samples?.map(fromBaseline)
        let baselineCentre = baseline.map { fromBaseline($0.centre) }
        let counts = (baseline: baseline?.samples?.count ?? 0, current: current?.samples?.count ?? 0)
        guard let currentCentre = Metric.median(centres) else {
            return missing(
                name: name, rule: resolved, baseline: baselineCentre, counts: counts, observations: 0, source: source)
        }
        var comparison: Comparison?
        var trend: Trend?
        if let baselineCentre {
            let history = sides.history.metrics[name]
            let window = history?.window(
                runIDs: sides.history.runIDs.suffix(history!.values.count), convert: fromBaseline)
            if let history {
                trend = Trend(values: history.values.map { $0.map(fromBaseline) }, current: centres)
            }
            if let window, window.values.count >= HistoryLimits.minimumRuns {
                comparison = compare(
                    window: window, current: centres,
                    currentErrors: observations.compactMap(Self.medianError),
                    machineVariance: sides.machineVariance, direction: resolved.direction, alpha: resolved.alpha,
                    memo: memo)
            } else {
                // Samples of every run of the current side, together, when each run has them.
                let pooled = observations.allSatisfy { $0.samples != nil } ? observations.flatMap { $0.samples! } : nil
                comparison = compare(
                    baseline: baselineCentre, baselineSamples: baselineSamples,
                    current: currentCentre, currentSamples: pooled,
                    direction: resolved.direction, alpha: resolved.alpha, memo: memo)
            }
        }
        return judged(
            name: name, rule: resolved, baseline: comparison?.baseline ?? baselineCentre, current: currentCentre,
            counts: counts, comparison: comparison, observations: observations.count, source: source, trend: trend,
            today: sides.today)
    }

    /// A metric's judgement, complete: the verdict of `comparison` (none: the metric is new)
    /// under its rule, the rule's acceptances applied, the budget level of `current` and the
    /// severity of the whole.
    static func judged(
        name: String, rule: ResolvedRule, baseline: Double?, current: Double, counts: (baseline: Int, current: Int),
        comparison: Comparison?, observations: Int, source: String?, trend: Trend?, today: String?
    ) -> MetricJudgement {
        var outcome = (verdict: Verdict.new, statuses: [AcceptanceStatus](), notes: [String]())
        if let comparison {
            outcome = accept(
                verdict(comparison, maxRegression: rule.maxRegression, minDelta: rule.minDelta), comparison: comparison,
                rule: rule, name: name, today: today)
        }
        let level = budgetLevel(
            of: current, target: rule.target, warning: rule.warning, error: rule.error, direction: rule.direction)
        return MetricJudgement(
            name: name, rule: rule, baseline: baseline, current: current, baselineSampleCount: counts.baseline,
            currentSampleCount: counts.current, comparison: comparison, verdict: outcome.verdict, budgetLevel: level,
            observations: observations, source: source, trend: trend, acceptances: outcome.statuses,
            verdictNotes: outcome.notes,
            severity: severity(of: outcome.verdict, acceptances: outcome.statuses, level: level, gates: rule.gates))
    }

    /// The judgement of a metric the current run (or the head side) lacks: its rule's `missing`
    /// decides the severity, and a rule that does not gate fails nothing.
    static func missing(
        name: String, rule: ResolvedRule, baseline: Double?, counts: (baseline: Int, current: Int), observations: Int,
        source: String?
    ) -> MetricJudgement {
        let severity: Severity
        switch rule.missing {
        case .fail: severity = .failure
        case .warn: severity = .warning
        case .ignore: severity = .ok
        }
        return MetricJudgement(
            name: name, rule: rule, baseline: baseline, current: nil, baselineSampleCount: counts.baseline,
            currentSampleCount: counts.current, verdict: .missing, observations: observations, source: source,
            severity: rule.gates ? severity : .ok)
    }

    /// How much a metric's findings matter: its verdict (a regression fails, an inconclusive
    /// worsening warns, an accepted one is a notice), an expired acceptance (a line to delete:
    /// a warning), and its budget level; nothing at all when its rule only reports.
    static func severity(of verdict: Verdict, acceptances: [AcceptanceStatus], level: BudgetLevel?, gates: Bool)
        -> Severity
    {
        guard gates else { return .ok }
        var severity: Severity
        switch verdict {
        case .regressed: severity = .failure
        case .inconclusive: severity = .warning
        case .accepted: severity = .notice
        default: severity = .ok
        }
        if acceptances.contains(where: { $0.state == .expired }) { severity = max(severity, .warning) }
        switch level {
        case .error: severity = max(severity, .failure)
        case .warning: severity = max(severity, .warning)
        case .overTarget: severity = max(severity, .notice)
        case .withinTarget, nil: break
        }
        return severity
    }

    /// The rule's acceptances applied to `verdict`: a regression within an unexpired one is
    /// `accepted`; beyond every one it stays `regressed`, naming them; unexpired ones of a metric
    /// that no longer regresses are spent; expired ones are ignored and reported.
    static func accept(
        _ verdict: Verdict, comparison: Comparison, rule: ResolvedRule, name: String, today: String?
    ) -> (verdict: Verdict, statuses: [AcceptanceStatus], notes: [String]) {
        guard !rule.accept.isEmpty, let key = rule.key else { return (verdict, [], []) }
        func status(_ acceptance: Acceptance, _ state: AcceptanceStatus.State) -> AcceptanceStatus {
            AcceptanceStatus(rule: key, metric: name, acceptance: acceptance, state: state)
        }
        let live = rule.accept.filter { today.map($0.isExpired) != true }
        let expired = rule.accept.filter { today.map($0.isExpired) == true }.map { status($0, .expired) }
        switch verdict {
        case .regressed:
            if let used = live.first(where: {
                $0.covers(change: comparison.change, amount: comparison.worsening, unit: rule.unit)
            }) {
                return (.accepted, expired + [status(used, .used)], ["within the acceptance of " + used.text])
            }
            return (
                verdict, expired + live.map { status($0, .exceeded) },
                live.map { "beyond the acceptance of " + $0.text }
            )
        case .improved, .unchanged, .inconclusive:
            return (verdict, expired + live.map { status($0, .spent) }, [])
        case .new, .missing, .accepted:
            return (verdict, expired, [])
        }
    }

    /// The standard error of a run's figure (the median of its samples), when it has samples.
    static func medianError(_ metric: Metric) -> Double? {
        guard let samples = metric.samples, samples.count >= 2 else { return nil }
        return WindowStatistics.medianError(spread: WindowStatistics.robustSpread(samples), count: samples.count)
    }

    /// How the current side compares with a window of recent runs: the median of its runs against
    /// the window's centre, as a one-sided prediction interval (Student's t with the window's
    /// degrees of freedom). The variance of the current figure is the spread between runs; when
    /// both sides have samples, the part of that spread that is each run's own sampling error is
    /// replaced by the current run's.
    static func compare(
        window: MetricHistory.Window, current centres: [Double], currentErrors: [Double],
        machineVariance: Double?, direction: Direction, alpha: Double, memo: Statistics.Memo = Statistics.Memo()
    ) -> Comparison {
        let summary = WindowStatistics.summary(window.values)
        let current = Metric.median(centres)!
        let sign: Double = direction == .lower ? 1 : -1
        func meanSquare(_ values: [Double]) -> Double { values.reduce(0) { $0 + $1 * $1 } / Double(values.count) }
        let between = summary.spread * summary.spread
        var runVariance = between
        if !currentErrors.isEmpty && !window.errors.isEmpty {
            runVariance = max(0, between - meanSquare(window.errors)) + meanSquare(currentErrors)
        }
        // Reruns are combined by their median. Runs on one machine share its state, so only the
        // part of the spread that is not the machine's narrows with them: the machine's share is
        // what all metrics of a run share (estimated from the baseline's other metrics), and
        // without an estimate nothing narrows.
        var shared = 1.0
        if centres.count > 1, let machineVariance, summary.centre != 0, between > 0 {
            shared = min(1, machineVariance / (between / (summary.centre * summary.centre)))
        }
        let narrowing = shared + (1 - shared) * WindowStatistics.medianVarianceFactor(centres.count)
        let variance = runVariance * narrowing + between / Double(summary.kept)
        let worsening = sign * (current - summary.centre)
        let pWorse: Double
        let pBetter: Double
        let degrees = Double(max(summary.kept - 1, 1))
        if variance > 0 {
            let t = worsening / variance.squareRoot()
            (pWorse, pBetter) = (
                WindowStatistics.studentUpperTail(t, degrees: degrees),
                WindowStatistics.studentUpperTail(-t, degrees: degrees)
            )
        } else {
            // Every run the same: any difference is outside the noise.
            (pWorse, pBetter) = (worsening > 0 ? 0 : 1, worsening < 0 ? 0 : 1)
        }
        let change: Double? = summary.centre != 0 ? worsening / abs(summary.centre) : (worsening == 0 ? 0 : nil)
        let statistics = WindowComparison(
            runs: window.values.count, setAside: summary.setAside, sinceStep: window.sinceStep, centre: summary.centre,
            spread: summary.spread, observations: centres.count, pWorse: pWorse, pBetter: pBetter, alpha: alpha,
            noise: variance > 0
                ? memo.studentQuantile(upperTail: alpha, degrees: degrees, computing: WindowStatistics.studentQuantile)
                    * variance.squareRoot() : 0)
        return Comparison(
            baseline: summary.centre, current: current, worsening: worsening, change: change, window: statistics)
    }

    /// How the two sides compare. With at least `minimumSamples` samples a side the samples
    /// decide everything: the change is the Hodges-Lehmann shift relative to the baseline's median,
    /// with the rank test's p-values; otherwise the centres are compared as points.
    public static func compare(
        baseline: Double, baselineSamples: [Double]?, current: Double, currentSamples: [Double]?,
        direction: Direction, alpha: Double, memo: Statistics.Memo = Statistics.Memo()
    ) -> Comparison {
        let sign: Double = direction == .lower ? 1 : -1
        func relative(_ amount: Double) -> Double? {
            if baseline != 0 { return amount / abs(baseline) }
            return amount == 0 ? 0 : nil
        }
        guard let before = baselineSamples, let after = currentSamples,
            before.count >= minimumSamples, after.count >= minimumSamples
        else {
            let worsening = sign * (current - baseline)
            return Comparison(baseline: baseline, current: current, worsening: worsening, change: relative(worsening))
        }
        let shift = Statistics.shift(baseline: before, current: after, alpha: alpha, memo: memo)
        let tests = Statistics.uTests(baseline: before, current: after, memo: memo)
        let statistics = SampleComparison(
            shift: shift.estimate, estimate: relative(shift.estimate), low: relative(shift.low),
            high: relative(shift.high),
            confidence: shift.confidence,
            pWorse: direction == .lower ? tests.larger.pValue : tests.smaller.pValue,
            pBetter: direction == .lower ? tests.smaller.pValue : tests.larger.pValue,
            alpha: alpha, baselineCount: before.count, currentCount: after.count)
        let worsening = sign * shift.estimate
        return Comparison(
            baseline: baseline, current: current, worsening: worsening, change: relative(worsening),
            statistics: statistics)
    }

    /// The verdict of a comparison under the thresholds. A worsening counts when it is beyond
    /// `maxRegression` (or, from a baseline of 0, when there is any) and beyond `minDelta`; on
    /// samples it must also be significant (p < α), else it is inconclusive. An improvement needs
    /// the same, the other way round.
    public static func verdict(_ comparison: Comparison, maxRegression: Double, minDelta: Double) -> Verdict {
        let floor = minDelta * (1 + Statistics.tolerance)
        func beyond(_ sign: Double) -> Bool {
            let amount = sign * comparison.worsening
            guard amount > floor else { return false }
            // From a baseline of 0 any worsening beyond the floor counts: there is no percentage.
            guard let change = comparison.change else { return true }
            return sign * change > maxRegression + Statistics.tolerance
        }
        let evidence = comparison.evidence
        if beyond(1) {
            guard let evidence else { return .regressed }
            return evidence.pWorse < evidence.alpha ? .regressed : .inconclusive
        }
        if beyond(-1), evidence.map({ $0.pBetter < $0.alpha }) ?? true { return .improved }
        return .unchanged
    }

    /// The figure past which `verdict` counts a worsening from `centre`: beyond both
    /// `maxRegression` of the centre and `minDelta`, in the direction that is worse. Nil when any
    /// worsening counts (a centre of 0 without `minDelta`): there is no line to draw apart from
    /// the centre. On samples or a window, a worsening past it must also be significant.
    public static func regressionLimit(centre: Double, direction: Direction, maxRegression: Double, minDelta: Double)
        -> Double?
    {
        let amount = max(abs(centre) * maxRegression, minDelta)
        guard amount > 0 else { return nil }
        return centre + (direction == .lower ? amount : -amount)
    }

    /// The centre of a window and the half-width of its noise band: how far from the centre a
    /// run of one figure must land to be outside the window's noise at `alpha`, as `compare`
    /// judges it. Nil for an empty window.
    package static func noiseBand(of window: MetricHistory.Window, alpha: Double) -> (centre: Double, noise: Double)? {
        guard !window.values.isEmpty else { return nil }
        let centre = WindowStatistics.summary(window.values).centre
        let comparison = compare(
            window: window, current: [centre], currentErrors: [], machineVariance: nil, direction: .lower,
            alpha: alpha)
        return (centre, comparison.window?.noise ?? 0)
    }

    /// Where `value` stands against the levels (in its unit), or nil when none is set. A value
    /// equal to a level is not over it.
    public static func budgetLevel(
        of value: Double, target: Double?, warning: Double?, error: Double?,
        direction: Direction
    ) -> BudgetLevel? {
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
