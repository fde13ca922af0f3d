import RedlineModel
import RedlineJSON
import RedlinePolicy
import RedlineHistory

/// One pair of an interleaved A/B run: the base side's metrics and the head side's, measured one
/// right after the other on one machine.
public struct RunPair: Sendable {
    /// The base side (the merge-base).
    public var base: MetricSet
    /// The head side (the pull request).
    public var head: MetricSet

    /// Creates a pair.
    public init(base: MetricSet, head: MetricSet) {
        (self.base, self.head) = (base, head)
    }
}

extension Judge {
    /// Judges an interleaved A/B run (`redline ab`): each metric by the ratio head/base of each
    /// pair, in which what the machine did to both runs of a pair cancels. The change is the
    /// Hodges-Lehmann estimate of the ratio (of the logs of the ratios; of relative differences
    /// when a side is not positive), and a worsening beyond `maxRegression` and `minDelta` is a
    /// regression only when the one-sided Wilcoxon signed-rank test gives p < α; budgets are
    /// judged on the head's median. `maxRegression`, `minDelta`, `from`, `gate`, `accept` and
    /// `missing` apply as in `judge`.
    /// `most` is the most pairs the run may take (`--pairs`): each look tests at its share of α
    /// (`PairOrder.alpha`).
    public static func judge(pairs: [RunPair], policy: Policy, options: JudgeOptions = JudgeOptions(), most: Int? = nil)
        throws -> Judgement
    {
        precondition(!pairs.isEmpty, "an A/B judgement needs at least one pair")
        var taken: [RunPair] = []
        var sources: [String: String] = [:]
        for pair in pairs {
            let head = try policy.takingFrom(pair.head, side: "the head side", required: true)
            let base = try policy.takingFrom(pair.base, side: "the base side", required: false).set
            sources.merge(head.sources) { first, _ in first }
            taken.append(RunPair(base: base, head: head.set))
        }
        var defaults = policy.defaults
        if let override = options.maxRegression { defaults.maxRegression = override }
        var names = Set(policy.exactNames)
        for pair in taken {
            names.formUnion(pair.base.metrics.map(\.name))
            names.formUnion(pair.head.metrics.map(\.name))
        }
        var problems = Problems()
        var judged: [MetricJudgement] = []
        for name in names.sorted() {
            let result = problems.attempt {
                try judgePairedMetric(
                    name: name, pairs: taken, policy: policy, defaults: defaults, options: options,
                    source: sources[name]
                ) {
                    PairOrder.alpha($0, pair: pairs.count, of: most ?? pairs.count)
                }
            }
            judged.append(result ?? MetricJudgement.placeholder(name, source: sources[name]))
        }
        try problems.throwIfAny()
        let failing = judged.contains { $0.severity >= options.failOn }
        let shift = RunShift.find(in: judged, maxRegression: defaults.maxRegression).map { found in
            var shift = found
            (shift.cause, shift.measuredInPairs) = (.change, true)
            return shift
        }
        return Judgement(
            metrics: judged, outcome: failing ? .failed : .passed, failOn: options.failOn, defaults: defaults,
            provenance: nil, hasBaseline: true, context: taken.last!.head.context, runShift: shift, pairs: pairs.count,
            budgetsFile: policy.file)
    }

    /// Judges one metric of an A/B run.
    static func judgePairedMetric(
        name: String, pairs: [RunPair], policy: Policy, defaults: PolicyDefaults,
        options: JudgeOptions, source: String?, level: (Double) -> Double
    ) throws -> MetricJudgement {
        let head = pairs.lazy.compactMap { $0.head[name] }.first
        let base = pairs.lazy.compactMap { $0.base[name] }.first
        let resolved = try policy.resolve(
            name: name, current: head, baseline: base, defaults: defaults,
            baselineSet: pairs.first { $0.base[name] != nil }?.base, baselineFile: "the base side")
        // Every figure in the metric's unit: `resolve` checked the first runs; a later run in a
        // unit that does not convert is an error, never a figure taken as it is.
        func inUnit(_ metric: Metric, side: String, pair: Int) throws -> Double {
            guard let from = metric.unit, let to = resolved.unit, from != to else { return metric.centre }
            guard let converted = from.convert(metric.centre, to: to) else {
                throw RedlineError(
                    file: "",
                    message:
                        "metric \"\(name)\" is in \(from.symbol) in pair \(pair) of the \(side) side but in \(to.symbol) before",
                    hint: "each run of a side must report a metric in units of one dimension")
            }
            return converted
        }
        var both: [(base: Double, head: Double)] = []
        var heads: [Double] = []
        var bases: [Double] = []
        for (index, pair) in pairs.enumerated() {
            let b = try pair.base[name].map { try inUnit($0, side: "base", pair: index + 1) }
            let h = try pair.head[name].map { try inUnit($0, side: "head", pair: index + 1) }
            if let b { bases.append(b) }
            if let h { heads.append(h) }
            if let b, let h { both.append((b, h)) }
        }
        guard let currentCentre = Metric.median(heads) else {
            return missing(
                name: name, rule: resolved, baseline: Metric.median(bases), counts: (0, 0), observations: 1,
                source: source)
        }
        // Sides that never ran together: the head is judged on its budgets alone.
        let comparison =
            both.isEmpty
            ? nil
            : compare(
                pairs: both, direction: resolved.direction, alpha: level(resolved.alpha), boundsAlpha: resolved.alpha)
        return judged(
            name: name, rule: resolved, baseline: comparison?.baseline, current: comparison?.current ?? currentCentre,
            counts: (0, 0), comparison: comparison, observations: 1, source: source,
            trend: both.isEmpty ? nil : Trend(values: both.map(\.base), current: both.map(\.head)), today: options.today
        )
    }

    /// How the pairs compare: the Hodges-Lehmann estimate of the ratio head/base and the
    /// signed-rank test of the pairs' log-ratios (relative differences when a figure is not
    /// positive), the change relative to the base's median and signed so that worse is positive.
    /// `alpha` is the test's level; the bounds are at `boundsAlpha` (by default the same): a
    /// bound that shows a metric within its threshold ends a run without a verdict of
    /// regression, so it needs none of the test's share of α.
    public static func compare(
        pairs: [(base: Double, head: Double)], direction: Direction, alpha: Double,
        boundsAlpha: Double? = nil
    ) -> Comparison {
        let baseline = Metric.median(pairs.map(\.base))!
        let current = Metric.median(pairs.map(\.head))!
        let sign: Double = direction == .lower ? 1 : -1
        let positive = pairs.allSatisfy { $0.base > 0 && $0.head > 0 }
        let scale = abs(baseline)
        // The pairs' differences on a scale where 0 is "no change": log-ratios, or differences
        // relative to the base's median (absolute ones from a median of 0).
        // A ratio too large or too small for a double (and so a log of ±∞) says nothing a finite one does not.
        let all = pairs.map { pair in
            positive ? CLibrary.logarithm(pair.head / pair.base) : (pair.head - pair.base) / (scale > 0 ? scale : 1)
        }.filter(\.isFinite)
        guard !all.isEmpty else {
            return Comparison(
                baseline: baseline, current: current, worsening: sign * (current - baseline),
                change: scale > 0 ? sign * (current - baseline) / scale : nil)
        }
        // A pair far from the rest (a noisy neighbour slowed one of its runs by half) is set aside,
        // as a window sets aside a wild run: the signed-rank test weighs a pair by the size of its
        // difference, and one such pair would outweigh every other.
        let differences = PairedStatistics.withoutOutliers(all)
        let centre = PairedStatistics.centre(differences, alpha: boundsAlpha ?? alpha)
        let tests = PairedStatistics.signedRank(differences)
        func ratio(_ difference: Double) -> Double {
            if positive { return CLibrary.exponential(difference) }
            // From a base of 0 there is no ratio, unless nothing changed at all.
            return scale > 0 ? 1 + difference : difference == 0 ? 1 : .nan
        }
        let estimate = ratio(centre.estimate)
        let paired = PairedComparison(
            ratios: pairs.map { $0.base != 0 ? $0.head / $0.base : .nan }, ratio: estimate,
            low: centre.lower.isFinite ? ratio(centre.lower) : 0,
            high: centre.upper.isFinite ? ratio(centre.upper) : .infinity,
            pWorse: direction == .lower ? tests.above : tests.below,
            pBetter: direction == .lower ? tests.below : tests.above,
            alpha: alpha, setAside: all.count - differences.count)
        let change: Double?
        let worsening: Double
        if scale > 0 {
            change = sign * (estimate - 1)
            worsening = change! * scale
        } else {
            // From a base of 0: the estimate is an absolute difference.
            worsening = sign * centre.estimate
            change = worsening == 0 ? 0 : nil
        }
        return Comparison(baseline: baseline, current: current, worsening: worsening, change: change, pairs: paired)
    }
}

/// The order of an interleaved A/B run: which side runs first in each pair.
public enum PairOrder {
    /// The fewest pairs whose signed-rank test can reach p < 0.05 (all five worse: 1/32): the
    /// fewest an A/B run takes, and the first that may stop it.
    public static let fewestSignificant = 5

    /// The level the test of pair `pairs` of a run of up to `most` uses, for a rule's `alpha`.
    /// Each pair from the fifth on is a look that may stop the run on a regression, and every
    /// look spends part of α so that all of them together keep the false alarms at α: the last
    /// look half of it, the looks before it the other half in equal parts (one look: all of it).
    public static func alpha(_ alpha: Double, pair pairs: Int, of most: Int) -> Double {
        let looks = max(1, most - fewestSignificant + 1)
        guard looks > 1 else { return alpha }
        return pairs >= most ? alpha / 2 : alpha / 2 / Double(looks - 1)
    }

    /// Whether the head side runs first in the first pair, from a seed (a reproducible coin).
    public static func headFirst(seed: UInt64) -> Bool {
        // SplitMix64's finaliser: one well-mixed bit of any seed.
        var z = seed &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return (z ^ (z >> 31)) & 1 == 1
    }

    /// The sides of pair `pair` (1-based) in the order they run, `true` for the head: the first
    /// pair starts with the seeded side and each pair flips the order (base-head, head-base, …),
    /// so that a warm-up or a drift within the run favours neither side.
    public static func sides(pair: Int, headFirst: Bool) -> [Bool] {
        let head = headFirst != (pair % 2 == 0)
        return [head, !head]
    }
}

extension PairOrder {
    /// Whether an A/B run of up to `most` pairs stops after `judgement` of its first `pairs`:
    /// at the last pair, or from the fifth on (no fewer can show a regression at α = 0.05, and
    /// only these looks spend α) once every gated metric is settled.
    public static func stops(after judgement: Judgement, pairs: Int, of most: Int) -> Bool {
        pairs >= most || (pairs >= fewestSignificant && judgement.isSettledAB)
    }
}

extension Judgement {
    /// Whether an A/B run may stop: every gated metric that both sides have is settled, either
    /// regressed (or improved) with the test's evidence, or with the worse-side bound of its
    /// ratio within its threshold (`maxRegression`, or `minDelta` in its unit) at the rule's α:
    /// the pairs so far show it is within the threshold, so the run stops rather than look for
    /// a regression the bound leaves little room for.
    public var isSettledAB: Bool {
        metrics.allSatisfy { metric in
            guard metric.rule.gates, let pairs = metric.pairs else { return true }
            switch metric.verdict {
            case .regressed, .improved, .accepted: return true
            case .inconclusive, .new, .missing: return false
            case .unchanged: break
            }
            // The worst ratio the pairs still allow, as a worsening relative to the base.
            let worst = metric.direction == .lower ? pairs.high - 1 : (pairs.low > 0 ? 1 - pairs.low : .infinity)
            guard worst.isFinite else { return false }
            let scale = abs(metric.baseline ?? 0)
            return worst <= metric.rule.maxRegression + Statistics.tolerance
                || (scale > 0 && worst * scale <= metric.rule.minDelta)
        }
    }
}
